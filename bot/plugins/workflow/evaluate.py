"""评价 17 满意|基本满意|不满意 [意见] — the lead proposer, once per round."""

from __future__ import annotations

from bot.core.models import EvaluationResult
from bot.core.workflow.parsing import EVALUATE_USAGE, parse_evaluation
from bot.core.workflow.practice_parsing import split_consulted
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSERS
from bot.nb.steps import one_record


def parse(text: str) -> tuple[EvaluationResult, str, bool | None]:
    """``满意 已沟通 意见`` -> (SATISFIED, "意见", True)."""
    result, opinion = parse_evaluation(text)
    consulted, opinion = split_consulted(opinion)
    return result, opinion, consulted


@PROPOSERS.command(
    "评价",
    usage="评价 17 满意｜基本满意｜不满意 [已沟通｜未沟通] [意见]",
    summary="评价承办单位的答复（领衔提案人，每轮一次）",
    details=(
        "收到答复后15个工作日内评价。不满意的提案会重新办理一次，请写上意见，例如：评价 17 不满意 "
        "没有回应第二条建议。承办单位办理中是否与您沟通过，请写“已沟通”或“未沟通”，例如："
        "评价 17 满意 已沟通"
    ),
)
async def evaluate_command(ctx: CommandContext) -> None:
    await one_record(
        ctx,
        lambda ref, by, evaluation: ctx.services.proposals.evaluate(ref, by, *evaluation),
        usage=EVALUATE_USAGE,
        parse=parse,
    )
