"""答复 17 A|B|C [内容] — the lead unit's contact or staff; the proposer is told one-to-one."""

from __future__ import annotations

from bot.core.workflow.parsing import ANSWER_USAGE, parse_answer
from bot.nb.context import CommandContext
from bot.nb.sections import UNIT_HANDLING
from bot.nb.steps import one_record


@UNIT_HANDLING.command(
    "答复",
    usage="答复 17 A|B|C [答复内容]",
    summary="记录主办单位的答复并请提案人评价（承办单位联系人、机关工作人员）",
    details=(
        f"用法：{ANSWER_USAGE}。答复后提案人收到答复和评价方法，"
        "评价期限为15个工作日。会办单位不答复，意见用“进展”提交。"
    ),
)
async def answer_command(ctx: CommandContext) -> None:
    await one_record(
        ctx,
        lambda ref, by, answer: ctx.services.proposals.answer(ref, by, *answer),
        usage=ANSWER_USAGE,
        parse=parse_answer,
    )
