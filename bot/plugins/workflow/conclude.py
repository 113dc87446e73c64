"""办结 17 — also several at once: 办结 3 4 5 / 办结 3-5."""

from __future__ import annotations

from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING
from bot.nb.steps import each_record

USAGE = "办结 17；多件：办结 3 4 5 或 办结 3-5"


@PROPOSAL_HANDLING.command(
    "办结",
    usage="办结 17",
    summary="提案办结（提案人评价后，或评价期限过后；多件：办结 3 4 5）",
)
async def conclude_command(ctx: CommandContext) -> None:
    await each_record(
        ctx, lambda ref, by, _: ctx.services.proposals.conclude(ref, by), usage=USAGE, title="办结"
    )
