"""撤回 17: the proposer takes back a record that has not been reviewed yet."""

from __future__ import annotations

from bot.core.intake import texts
from bot.nb.context import CommandContext
from bot.nb.sections import MEMBER_RECORDS
from bot.plugins.records.common import in_members_group, target_record

USAGE = "撤回 17"


@MEMBER_RECORDS.command(
    "撤回",
    usage="撤回 编号",
    summary="撤回自己提交、尚未审核的提案、社情民意或议题",
    details=(
        "只有提出人可以撤回，且只能在“已提交”（机关尚未审核）时撤回；社情民意写“撤回 民意 5”。"
        "撤回后编号不再使用，可修改后重新提交。"
    ),
)
async def withdraw_command(ctx: CommandContext) -> None:
    record = await target_record(ctx, USAGE)
    if record is None:
        return
    services = ctx.services
    year = services.records.current_year()
    record = await services.withdrawals.withdraw(record, ctx.identity, source=ctx.source)
    title = (
        "" if in_members_group(ctx) and record.source_kind == "private" else f"《{record.title}》"
    )
    await ctx.reply(f"已撤回{texts.label(record, year)}{title}。如需修改后重新提交，请重新发送。")
