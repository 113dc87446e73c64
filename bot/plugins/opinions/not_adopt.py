"""未采用 5 [理由]."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import single_number
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

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
    ref, reason = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    outcome = await ctx.services.opinion_workflow.not_adopt(ref, by, reason)
    await ctx.reply(outcome.text)
