"""The shape every workflow command shares (立案 17, 采用 5 6 7, 答复 17 B …): read the numbers,
say who asks, run the service's step, reply with what it did. Used by the `workflow` (提案办理)
and `opinions` (社情民意办理) plugins, so each command file is its registration and one call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.core.workflow.bulk import run_steps, with_notes
from bot.core.workflow.common import Outcome, Requester
from bot.core.workflow.parsing import leading_numbers, single_number
from bot.core.workflow.practice_parsing import parse_year
from bot.nb.context import CommandContext

T = TypeVar("T")

#: One step on one record: (the number as typed, who asks, what followed the numbers, parsed).
Step = Callable[[str, Requester, T], Awaitable[Outcome]]


def _keep(text: str) -> str:
    return text


async def one_record(
    ctx: CommandContext,
    step: Step[T],
    *,
    usage: str,
    parse: Callable[[str], T] = _keep,  # type: ignore[assignment]
) -> None:
    """``命令 17 …``: exactly one number; `parse` reads what follows it (refusing with `usage`)."""
    ref, rest = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=usage
    )
    parsed = parse(rest)
    outcome = await step(ref, Requester(ctx.identity, ctx.source), parsed)
    await ctx.reply(with_notes(outcome.text, outcome.notes))


async def each_record(
    ctx: CommandContext,
    step: Step[T],
    *,
    usage: str,
    title: str | Callable[[T], str],
    parse: Callable[[str], T] = _keep,  # type: ignore[assignment]
) -> None:
    """``命令 17 18 21 …`` / ``命令 17-21 …``: one or more numbers; what follows them is parsed
    once (a mistake there refuses the whole command), then the step runs for each number
    (bot/core/workflow/bulk.py: one reply, a line per number)."""
    numbers = leading_numbers(
        ctx.args, current_year=ctx.services.records.current_year(), usage=usage
    )
    parsed = parse(numbers.rest_text)
    by = Requester(ctx.identity, ctx.source)
    heading = title(parsed) if callable(title) else title
    await ctx.reply(await run_steps(numbers.refs, lambda ref: step(ref, by, parsed), title=heading))


async def yearly_listing(
    ctx: CommandContext, listing: Callable[[int], Awaitable[str]], *, usage: str
) -> None:
    """``命令 列表 [2026]`` / ``重点 候选 [2026]``: the year after the first word (this year by
    default), and the listing of that year as the reply."""
    year = parse_year(" ".join(ctx.words[1:]), ctx.services.records.current_year(), usage)
    await ctx.reply(await listing(year))
