"""协商计划 [2027] — the year's consultation plan by form, for everyone (the plan is public;
items of privately submitted topics are shown only to staff, privately)."""

from __future__ import annotations

from bot.core.consultation.listing import PLAN_LIST_USAGE
from bot.nb.context import CommandContext
from bot.nb.registry import registry


@registry.command(
    "协商计划",
    aliases=("年度协商计划",),
    usage="协商计划 [年份]",
    summary="查看年度协商计划及进展",
    topic="议题",
    details=(
        f"用法：{PLAN_LIST_USAGE}。按协商形式列出计划项、牵头领导、责任部门、时限和进展；"
        "不写年份显示今年的计划。"
    ),
)
async def plan_list_command(ctx: CommandContext) -> None:
    include_private = ctx.is_private and ctx.identity.is_staff
    await ctx.reply(
        await ctx.services.consultation.plan_text(ctx.args, include_private=include_private)
    )
