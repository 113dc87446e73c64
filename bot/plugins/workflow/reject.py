"""不立案 17 理由 [转社情民意] — the member is told the reason one-to-one."""

from __future__ import annotations

import re

from bot.core.errors import InvalidInput
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import single_number
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING

USAGE = "不立案 17 理由 [转社情民意]"
_CONVERT = re.compile(r"[\s,，。;；]*转(?:为|成)?(?:社情民意(?:信息)?|民意)[。.!！]*$")
_REASON_WORD = re.compile(r"^(?:理由|原因)\s*[:：]?\s*")


def split_reason(text: str) -> tuple[str, bool]:
    """`不属于受理范围 转社情民意` -> ("不属于受理范围", True)."""
    match = _CONVERT.search(text)
    convert = match is not None
    if match is not None:
        text = text[: match.start()]
    return _REASON_WORD.sub("", text.strip()), convert


@PROPOSAL_HANDLING.command(
    "不立案",
    aliases=("不予立案",),
    usage=USAGE,
    summary="不予立案并写明理由（提案人会收到理由；加“转社情民意”转为社情民意信息）",
)
async def reject_command(ctx: CommandContext) -> None:
    ref, rest = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    reason, convert = split_reason(rest)
    if not reason:
        raise InvalidInput(
            f"不立案需要写明理由，提案人会收到这个理由。例如：不立案 {ref} 不属于政协提案受理范围"
            + (" 转社情民意" if convert else "")
        )
    by = Requester(ctx.identity, ctx.source)
    outcome = await ctx.services.proposals.reject(ref, by, reason, to_opinion=convert)
    await ctx.reply(outcome.text)
