"""采用 5 — also several at once: 采用 5 6 7 / 采用 5-7."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.nb.steps import each_record

USAGE = "采用 5；多件：采用 5 6 7 或 采用 5-7"


@registry.command(
    "采用",
    usage="采用 5",
    summary="采用社情民意信息（多件：采用 5 6 7）",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def adopt_command(ctx: CommandContext) -> None:
    await each_record(
        ctx, lambda ref, by, _: ctx.services.opinions.adopt(ref, by), usage=USAGE, title="采用"
    )
