"""重点 17 [取消] — mark (or unmark) key proposals, supervised by the office."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING
from bot.nb.steps import each_record

USAGE = "重点 17（设为重点提案）；重点 17 取消；多件：重点 17 18"
OFF_WORDS = {"取消", "撤销", "取消重点", "去掉"}


def switch(rest: str) -> bool:
    """What follows the numbers: nothing (mark as key) or 取消 (unmark)."""
    if rest and rest not in OFF_WORDS:
        raise InvalidInput(f"不认识“{rest[:20]}”。用法：{USAGE}")
    return not rest


@PROPOSAL_HANDLING.command(
    "重点",
    aliases=("督办",),
    usage="重点 17 [取消]",
    summary="列为重点提案（督办），或取消",
)
async def key_command(ctx: CommandContext) -> None:
    await each_record(
        ctx,
        lambda ref, by, on: ctx.services.proposals.mark_key(ref, by, on=on),
        usage=USAGE,
        title=lambda on: "重点提案" if on else "取消重点",
        parse=switch,
    )
