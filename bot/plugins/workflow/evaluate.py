"""评价 17 满意|基本满意|不满意 [意见] — the lead proposer, once per round."""

from __future__ import annotations

from bot.core.workflow.parsing import EVALUATE_USAGE, parse_evaluation
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSERS
from bot.nb.steps import one_record


@PROPOSERS.command(
    "评价",
    usage="评价 17 满意｜基本满意｜不满意 [意见]",
    summary="评价承办单位的答复（领衔提案人，每轮一次）",
    details="收到答复后15个工作日内评价。不满意的提案会重新办理一次，请写上意见，例如：评价 17 不满意 没有回应第二条建议",
)
async def evaluate_command(ctx: CommandContext) -> None:
    await one_record(
        ctx,
        lambda ref, by, evaluation: ctx.services.proposals.evaluate(ref, by, *evaluation),
        usage=EVALUATE_USAGE,
        parse=parse_evaluation,
    )
