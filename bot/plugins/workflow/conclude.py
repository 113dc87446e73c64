"""办结 17 — also several at once: 办结 3 4 5 / 办结 3-5."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.bulk import run_steps
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import leading_numbers
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

USAGE = "办结 17；多件：办结 3 4 5 或 办结 3-5"


@registry.command(
    "办结",
    usage="办结 17",
    summary="提案办结（提案人评价后，或评价期限过后；多件：办结 3 4 5）",
    topic="提案办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def conclude_command(ctx: CommandContext) -> None:
    numbers = leading_numbers(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    workflow = ctx.services.workflow
    await ctx.reply(
        await run_steps(numbers.refs, lambda ref: workflow.conclude(ref, by), title="办结")
    )
