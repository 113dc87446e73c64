"""未采用 5 [理由]."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.nb.steps import one_record

USAGE = "未采用 5 [理由]"


@registry.command(
    "未采用",
    aliases=("不采用",),
    usage=USAGE,
    summary="社情民意信息未予采用（可写理由，提交人会收到）",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def not_adopt_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.not_adopt, usage=USAGE)
