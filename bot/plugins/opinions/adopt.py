"""采用 5 — also several at once: 采用 5 6 7 / 采用 5-7."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.bulk import run_steps
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import leading_numbers
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

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
    numbers = leading_numbers(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    flow = ctx.services.opinion_workflow
    await ctx.reply(await run_steps(numbers.refs, lambda ref: flow.adopt(ref, by), title="采用"))
