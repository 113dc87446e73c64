"""进展 17 内容 — staff, or a contact of a unit handling the proposal (会办: their opinion)."""

from __future__ import annotations

from bot.nb.context import CommandContext
from bot.nb.sections import UNIT_HANDLING
from bot.nb.steps import one_record

USAGE = "进展 17 内容"
#: Unit contacts report from their unit group or privately; staff also from the staff group.


@UNIT_HANDLING.command(
    "进展",
    usage=USAGE,
    summary="记录提案办理进展（承办单位联系人、机关工作人员）",
    details="主办单位的进展提案人可以查看；会办单位用“进展”提交会办意见，转给主办单位。",
)
async def progress_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.proposals.progress, usage=USAGE)
