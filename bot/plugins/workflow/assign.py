"""交办 17 主办 县教育局 [会办 县财政局,县住建局] [时限 …] [理由 …]."""

from __future__ import annotations

from bot.core.workflow.parsing import ASSIGN_USAGE, parse_assign
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING
from bot.nb.steps import each_record

DETAILS = (
    f"用法：{ASSIGN_USAGE}。"
    "时限可写 2027-03-01、3月1日、3个月、30个工作日；不写则为交办后3个月（遇节假日顺延）。"
    "超过6个月须写理由，例如：时限 8个月 理由 涉及跨年度预算。"
    "重新办理的提案发送“交办 17”即交给原单位。多件同时交办：交办 17 18 主办 县教育局。"
)


@PROPOSAL_HANDLING.command(
    "交办",
    usage="交办 17 主办 县教育局 [会办 县财政局,县住建局] [时限 2027-03-01]",
    summary="把提案交给承办单位办理，设定答复时限（会通知单位联系人和提案人）",
    details=DETAILS,
)
async def assign_command(ctx: CommandContext) -> None:
    await each_record(
        ctx,
        lambda ref, by, spec: ctx.services.proposals.assign(ref, by, spec),
        usage=ASSIGN_USAGE,
        title="交办",
        parse=parse_assign,
    )
