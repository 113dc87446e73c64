"""统计 [2026] [界别 X|单位 Y|类别 Z]: the full figures for staff (staff group or privately);
the short public version for members, and for anyone in a members' group."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind
from bot.core.people.identity import Role
from bot.core.public import texts as public_texts
from bot.core.stats import texts
from bot.core.stats.query import STATS_USAGE, Dimension, StatsQuery, parse_stats
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry


def in_staff_place(ctx: CommandContext) -> bool:
    """Privately, or in the staff group (机关群): where staff see the full figures."""
    return ctx.is_private or (ctx.binding is not None and ctx.binding.kind == ChannelKind.STAFF)


@registry.command(
    "统计",
    usage="统计 [年份] [界别|单位|类别 名称]",
    summary="办理统计（机关工作人员另有分项）",
    topic="统计",
    role=Role.MEMBER,
    where=Where.ANYWHERE,
    details=(
        f"用法：{STATS_USAGE}。统计 2026：全年各项比率；统计 单位：各承办单位办理情况（效能）；统计 界别 / 统计 类别："
        "分项表；统计 界别 农业界、统计 单位 县教育局、统计 类别 社会建设：只统计其中的提案。"
    ),
)
async def stats_command(ctx: CommandContext) -> None:
    services = ctx.services
    query = parse_stats(ctx.args, current_year=services.records.current_year())
    if not (ctx.identity.is_staff and in_staff_place(ctx)):
        if query.dimension is not None:
            raise InvalidInput(
                "分项统计（界别、单位、类别）由机关工作人员在机关群或私聊查看。"
                f"您可以发送“统计”或“统计 {query.year}”查看公开的办理情况。"
            )
        stats = services.stats
        text = texts.public(await stats.proposals(query.year), await stats.opinions(query.year))
        await ctx.reply(await _with_public_rating(ctx, text, query.year))
        return
    text = await _staff_reply(ctx, query)
    if query.dimension is None:
        text = await _with_public_rating(ctx, text, query.year)
    await ctx.reply(text)


async def _with_public_rating(ctx: CommandContext, text: str, year: int) -> str:
    """The public's ratings (网民满意度) as a line of their own, before the closing line."""
    c = await ctx.services.public.year_ratings(year)
    line = public_texts.rating_line(year, c.satisfied, c.basic, c.unsatisfied)
    lines = text.split("\n")
    at = len(lines) - 1 if lines[-1].startswith("口径") else len(lines)
    return "\n".join([*lines[:at], line, *lines[at:]])


async def _staff_reply(ctx: CommandContext, query: StatsQuery) -> str:
    stats, year = ctx.services.stats, query.year
    if query.dimension is None:
        title = f"{year}年提案和社情民意信息办理统计"
        proposals, opinions = await stats.proposals(year), await stats.opinions(year)
        return texts.full(title, proposals, opinions, await stats.consultations(year))
    if query.value is None:
        if query.dimension is Dimension.UNIT:
            return texts.unit_table(year, await stats.units(year))
        rows = await stats.breakdown(year, query.dimension.value)
        return texts.group_table(year, query.dimension.label, rows)
    value = await _resolve(ctx, query.dimension, query.value)
    title = f"{year}年提案办理统计（{query.dimension.label}：{value}）"
    if query.dimension is Dimension.UNIT:
        return texts.full(title, await stats.proposals(year, unit=value), None)
    opinions = await stats.opinions(year, **{query.dimension.value: value})
    proposals = await stats.proposals(year, **{query.dimension.value: value})
    return texts.full(title, proposals, opinions)


async def _resolve(ctx: CommandContext, dimension: Dimension, text: str) -> str:
    """The canonical name of a sector, unit or category, or a refusal naming the choices."""
    services = ctx.services
    if dimension is Dimension.UNIT:
        return (await services.units.resolve(text)).name
    if dimension is Dimension.SECTOR:
        sector = services.sectors.resolve(text)
        if sector is None:
            raise InvalidInput(
                f"没有“{text[:20]}”这个界别。可用的界别：{'、'.join(services.sectors.names())}"
            )
        return sector
    categories = services.proposals.categories
    if categories and text not in categories:
        raise InvalidInput(f"没有“{text[:20]}”这个类别。可用的类别：{'、'.join(categories)}。")
    return text
