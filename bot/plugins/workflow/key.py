"""重点 17 [取消 | 督办 某副主席 [牵头 县发改局]] — key proposals, supervised by a leader;
重点 候选 [2026] — the candidates for selection."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import KEY_USAGE, parse_key
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING
from bot.nb.steps import each_record, yearly_listing

CANDIDATE_WORDS = ("候选", "候选提案")


@PROPOSAL_HANDLING.command(
    "重点",
    usage="重点 17 [督办 某副主席 [牵头 县发改局]]｜重点 17 取消｜重点 候选 [2026]",
    summary="重点提案和督办领导、候选（沟通、督办、回头看、优秀提案：帮助 办理协商与督办）",
    details=(
        f"用法：{KEY_USAGE}。重点提案提醒更密（答复期限前30个工作日起），督办活动请用“督办”记录。"
        "候选按联名人数、承办单位的提案质量评价和并入的相似提案排序。"
    ),
)
async def key_command(ctx: CommandContext) -> None:
    words = ctx.words
    if words and words[0] in CANDIDATE_WORDS:
        await yearly_listing(ctx, ctx.services.proposals.key_candidates, usage=KEY_USAGE)
        return
    await each_record(
        ctx,
        lambda ref, by, spec: ctx.services.proposals.set_key(ref, by, spec),
        usage=KEY_USAGE,
        title=lambda spec: "重点提案" if spec.on else "取消重点",
        parse=parse_key,
    )
