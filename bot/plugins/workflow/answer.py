"""答复 17 A|B|C [内容] — the lead unit's contact or staff; the proposer is told one-to-one."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import ANSWER_USAGE, parse_answer, single_number
from bot.nb.context import CommandContext
from bot.nb.registry import registry
from bot.plugins.workflow.progress import UNIT_PLACES


@registry.command(
    "答复",
    usage="答复 17 A|B|C [答复内容]",
    summary="记录主办单位的答复并请提案人评价（承办单位联系人、机关工作人员）",
    topic="提案办理",
    role=Role.UNIT_CONTACT,
    where=UNIT_PLACES,
    details=(
        f"用法：{ANSWER_USAGE}。答复后提案人收到答复和评价方法，"
        "评价期限为15个工作日。会办单位不答复，意见用“进展”提交。"
    ),
)
async def answer_command(ctx: CommandContext) -> None:
    ref, rest = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=ANSWER_USAGE
    )
    category, content = parse_answer(rest)
    by = Requester(ctx.identity, ctx.source)
    outcome = await ctx.services.workflow.answer(ref, by, category, content)
    await ctx.reply("\n".join([outcome.text, *outcome.notes]))
