"""提案质量 17 优秀|良好|一般 [意见] — 双向评价: the lead unit rates the proposal's quality
after answering; only staff see it."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import QUALITY_USAGE, parse_quality
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, UNIT_HANDLING
from bot.nb.steps import one_record


@UNIT_HANDLING.command(
    "提案质量",
    usage=QUALITY_USAGE,
    summary="答复后评价提案的质量（双向评价；答复的主办单位联系人、机关工作人员）",
    topic=PRACTICE_TOPIC,
    details=(
        "优秀（90分以上）、良好（75–89分）、一般（60–74分）。评价只有机关工作人员能看到，"
        "不告知提案人，计入委员履职积分，并作为重点提案和优秀提案评选的参考。再次评价会替换上一次。"
    ),
)
async def quality_command(ctx: CommandContext) -> None:
    await one_record(
        ctx,
        lambda ref, by, rating: ctx.services.proposals.rate_quality(ref, by, *rating),
        usage=QUALITY_USAGE,
        parse=parse_quality,
    )
