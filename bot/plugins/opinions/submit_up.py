"""报送 5 单位 — to a higher CPPCC, the party committee or government, or a department."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.nb.steps import one_record

USAGE = "报送 5 市政协（或 县委办、县政府办、转交的部门）"


@registry.command(
    "报送",
    usage="报送 5 单位",
    summary="记录社情民意信息报送（上级政协、党委政府或转交部门）",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def submit_up_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.submit_up, usage=USAGE)
