"""批示 5 内容 — a leader's written instruction on an opinion lead."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.nb.steps import one_record

USAGE = "批示 5 县委书记批示：请县农业农村局研究落实"


@registry.command(
    "批示",
    usage="批示 5 内容",
    summary="记录领导对社情民意信息的批示",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def instruction_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.instruction, usage=USAGE)
