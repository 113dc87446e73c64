"""履职: a member's own duty points, privately only; 履职 统计 [界别] (staff table), 履职 登记
(staff record an item), 履职 积分表. Never posted to a members' group."""

from __future__ import annotations

from bot.core.duty import texts
from bot.core.duty.minimum import authored_kinds, shortfalls
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.people.identity import Role
from bot.core.stats.query import leading_year
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.plugins.stats.figures import in_staff_place


def parse_year(
    ctx: CommandContext, words: list[str], *, usage: str = "履职"
) -> tuple[int, list[str]]:
    """A leading ``2026`` (or ``2026年``), else this year; and the words after it."""
    return leading_year(words, current_year=ctx.services.records.current_year(), usage=usage)


@registry.command(
    "履职",
    usage="履职",
    summary="私聊查看本人履职积分",
    topic="履职积分",
    role=Role.MEMBER,
    where=Where.ANYWHERE,
    details=(
        f"委员私聊发送“{texts.DUTY_USAGE}”查看本人积分和每一分的来由；“履职 积分表”查看计分办法。机关工作人员："
        f"{texts.TABLE_USAGE}（机关群或私聊）查看委员积分表；{texts.RECORD_USAGE} 登记会议、"
        "视察调研等需人工登记的项目。积分不在委员群公布、不排名。"
    ),
)
async def duty_command(ctx: CommandContext) -> None:
    words = ctx.args.split()
    head = words[0] if words else ""
    if head == "积分表":
        await ctx.reply(texts.point_table(ctx.services.duty.table))
    elif head in ("统计", "登记"):
        if not (ctx.identity.is_staff and in_staff_place(ctx)):
            raise PermissionDenied(
                f"“履职 {head}”仅限机关工作人员在机关群或私聊使用。"
                "委员请私聊机器人发送“履职”查看本人积分。"
            )
        await (_table(ctx, words[1:]) if head == "统计" else _record(ctx, words[1:]))
    else:
        await _own(ctx, words)


async def _own(ctx: CommandContext, words: list[str]) -> None:
    if not ctx.is_private:
        raise InvalidInput("履职积分只私聊告诉本人：请私聊机器人发送“履职”。")
    year, rest = parse_year(ctx, words)
    if rest:
        raise InvalidInput(
            f"看不懂“{rest[0][:20]}”。用法：{texts.DUTY_USAGE}，例如：履职 {year}；"
            "计分办法：履职 积分表"
        )
    member = ctx.identity.member
    if member is None or not member.is_member:
        raise PermissionDenied("履职积分只为委员计算。机关工作人员请用：" + texts.TABLE_USAGE)
    await ctx.reply(texts.own(await ctx.services.duty.member(member, year), year))


async def _table(ctx: CommandContext, words: list[str]) -> None:
    services = ctx.services
    year, rest = parse_year(ctx, words)
    sector = None
    if rest:
        sector = services.sectors.resolve(" ".join(rest))
        if sector is None:
            raise InvalidInput(
                f"没有“{' '.join(rest)[:20]}”这个界别。用法：{texts.TABLE_USAGE}。"
                f"可用的界别：{'、'.join(services.sectors.names())}"
            )
    people = await services.members.list_members(sector)
    rows = await services.duty.members(people, year)
    kinds = await authored_kinds(services.db, year)
    short = shortfalls(rows, kinds, services.config.duty_minimum_points, year)
    table = texts.staff_table(rows, year, sector)
    await ctx.reply("\n".join([table, *texts.shortfall_lines(short)]) if rows else table)


async def _record(ctx: CommandContext, words: list[str]) -> None:
    services = ctx.services
    if not ctx.mentions or not words:
        raise InvalidInput(f"请 @ 委员并写项目名称。用法：{texts.RECORD_USAGE}")
    count = 1
    if len(words) > 1 and words[1].isdigit():
        count = int(words[1])
        note = " ".join(words[2:])
    else:
        note = " ".join(words[1:])
    known = await services.members.get_many(ctx.mentions)
    people = [known[u] for u in ctx.mentions if u in known and known[u].is_member]
    if not people:
        raise InvalidInput("被 @ 的人都不在委员名单中。请先登记委员：委员 设置 @某人 界别 农业界")
    year = services.records.current_year()
    item = await services.duty.record(
        [p.user_id for p in people],
        words[0],
        year,
        count=count,
        note=note,
        by=ctx.identity.user_id,
    )
    names = "、".join(p.name for p in people)
    skipped = len(set(ctx.mentions)) - len(people)
    extra = f"（{skipped} 人不在委员名单中，未登记）" if skipped else ""
    await ctx.reply(
        f"已登记：{names} {item.name} {count} 次，每次 {item.points} 分（{year}年）{extra}。"
    )
