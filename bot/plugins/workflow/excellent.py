"""优秀提案 17 [理由] / 优秀提案 17 取消 / 优秀提案 列表 [2026] — the year's best proposals;
the proposer and co-signers are told."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import EXCELLENT_USAGE
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, PROPOSAL_HANDLING
from bot.nb.steps import one_record, yearly_listing

LIST_WORDS = ("列表", "清单", "查看")
OFF_WORDS = ("取消", "撤销")


@PROPOSAL_HANDLING.command(
    "优秀提案",
    usage="优秀提案 17 [理由]｜优秀提案 17 取消｜优秀提案 列表 [2026]",
    summary="评选本年度优秀提案（通知提案人和联名人），或取消、查看",
    topic=PRACTICE_TOPIC,
    details=f"用法：{EXCELLENT_USAGE}。优秀提案在办理进度公开页展示，并计入履职积分。",
)
async def excellent_command(ctx: CommandContext) -> None:
    words = ctx.words
    if not words or words[0] in LIST_WORDS:
        await yearly_listing(ctx, ctx.services.proposals.excellent_list, usage=EXCELLENT_USAGE)
        return
    await one_record(
        ctx,
        lambda ref, by, reason: ctx.services.proposals.mark_excellent(
            ref, by, "" if reason in OFF_WORDS else reason, on=reason not in OFF_WORDS
        ),
        usage=EXCELLENT_USAGE,
    )
