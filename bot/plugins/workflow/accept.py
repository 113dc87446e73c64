"""立案 17 [类别] — also several at once: 立案 17 18 21 / 立案 17-21."""

from __future__ import annotations

from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING
from bot.nb.steps import each_record

USAGE = "立案 17 [类别]；多件：立案 17 18 21 或 立案 17-21"


@PROPOSAL_HANDLING.command(
    "立案",
    usage="立案 17 [类别]",
    summary="提案立案（可改类别；多件：立案 17 18 21、立案 17-21）",
    details="不写类别则保留系统猜测的类别。立案后会一对一通知提案人。",
)
async def accept_command(ctx: CommandContext) -> None:
    await each_record(
        ctx,
        lambda ref, by, category: ctx.services.proposals.accept(ref, by, category or None),
        usage=USAGE,
        title="立案",
    )
