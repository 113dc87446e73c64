"""落实 5 [内容] — what was done about an opinion lead."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import single_number
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

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
    ref, content = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    outcome = await ctx.services.opinion_workflow.implement(ref, by, content)
    await ctx.reply(outcome.text)
