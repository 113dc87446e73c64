"""落实 5 [内容] — what was done about an opinion lead."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.nb.steps import one_record

USAGE = "落实 5 [落实情况]"


@registry.command(
    "落实",
    usage=USAGE,
    summary="记录社情民意信息反映的问题已落实",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def implement_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.implement, usage=USAGE)
