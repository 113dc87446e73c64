"""沟通 17 面商|电话|座谈|调研 [日期] 内容 — 办理协商: the handling unit's contact (or staff)
records how the proposer was consulted; the proposer is told one-to-one."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import CONSULT_USAGE
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, UNIT_HANDLING
from bot.nb.steps import one_record


@UNIT_HANDLING.command(
    "沟通",
    aliases=("办理协商",),
    usage="沟通 17 面商|电话|座谈|调研 [日期] 内容",
    summary="记录答复前与提案人的沟通（办理协商；承办单位联系人、机关工作人员）",
    topic=PRACTICE_TOPIC,
    details=(
        f"用法：{CONSULT_USAGE}。日期可写 2026-03-05、3月5日、昨天，不写为今天。"
        "交办后15个工作日（可设置）仍未记录沟通的，主办单位会收到提醒；没有沟通就答复的，"
        "机关会收到提示。提案人评价时也会被问到单位是否与其沟通过。"
    ),
)
async def consult_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.proposals.consult, usage=CONSULT_USAGE)
