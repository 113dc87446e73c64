"""重新办理 17 理由 — a C answer (因条件限制留作参考) whose conditions have changed is handled
again: a new round, to be assigned with 交办."""

from __future__ import annotations

from bot.core.workflow.practice_parsing import REOPEN_USAGE
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, PROPOSAL_HANDLING
from bot.nb.steps import one_record


@PROPOSAL_HANDLING.command(
    "重新办理",
    usage=REOPEN_USAGE,
    summary="条件变化后重启C类答复的提案（新一轮办理，提案人会收到通知）",
    topic=PRACTICE_TOPIC,
    details="重启后请交办：交办 17（不写单位即交原单位）。B类答复的落实情况请用“回头看”。",
)
async def reopen_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.proposals.reopen, usage=REOPEN_USAGE)
