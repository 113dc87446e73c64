"""督办 17 [视察|座谈|催办|调研|约谈] 内容 — a supervision activity on the proposal's timeline;
the lead unit's contacts are told while it is being handled."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import SUPERVISE_USAGE
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, PROPOSAL_HANDLING
from bot.nb.steps import one_record


@PROPOSAL_HANDLING.command(
    "督办",
    usage="督办 17 [视察|座谈|催办] 内容",
    summary="记录督办活动（视察、座谈、催办），列入办理过程并通知主办单位",
    topic=PRACTICE_TOPIC,
    details=f"用法：{SUPERVISE_USAGE}。设为重点提案和督办领导请用：重点 17 督办 某副主席",
)
async def supervise_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.proposals.supervise, usage=SUPERVISE_USAGE)
