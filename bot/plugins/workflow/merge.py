"""并案 17 到 9 — 17's proposer and co-signers become co-signers of 9; 并案 17 18 到 9 for several."""

from __future__ import annotations

from bot.core.workflow.bulk import run_steps
from bot.core.workflow.common import Outcome, Requester
from bot.core.workflow.parsing import MERGE_USAGE, leading_numbers, parse_merge
from bot.nb.context import CommandContext
from bot.nb.sections import PROPOSAL_HANDLING


@PROPOSAL_HANDLING.command(
    "并案",
    usage="并案 17 到 9",
    summary="把一件提案并入另一件（提案人和联名人转为另一件的联名人）",
    details=f"用法：{MERGE_USAGE}。被并的提案仍可查询，并指向并入的那一件。",
)
async def merge_command(ctx: CommandContext) -> None:
    left, into = parse_merge(ctx.args)
    year = ctx.services.records.current_year()
    numbers = leading_numbers(left, current_year=year, usage=MERGE_USAGE)
    by = Requester(ctx.identity, ctx.source)
    services = ctx.services

    async def merge_one(ref: str) -> Outcome:
        return await services.proposals.merge(ref, into, by)

    await ctx.reply(await run_steps(numbers.refs, merge_one, title="并案"))
