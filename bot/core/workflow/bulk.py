"""Running one workflow step over several numbers (`立案 17 18 21`, `办结 3-5`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.core import seen
from bot.core.errors import DomainError
from bot.core.workflow.common import Outcome

Step = Callable[[str], Awaitable[Outcome]]


async def run_steps(refs: Sequence[str], step: Step, *, title: str) -> str:
    """The reply: one record's own text, or one line per number (done or why not).

    With a single number a refusal propagates (the router replies with it); with several, each
    item reports what happened and the rest go on. Each number commits on its own, so the
    command's re-delivery mark waits for the last one (bot/core/seen.py): a re-delivery after a
    crash midway does the numbers left, and the done ones refuse as already done.
    """
    if len(refs) == 1:
        outcome = await step(refs[0])
        return with_notes(outcome.text, outcome.notes)
    lines: list[str] = []
    notes: list[str] = []
    done = 0
    with seen.deferred():
        for ref in refs:
            try:
                outcome = await step(ref)
            except DomainError as exc:
                lines.append(f"· {ref}：{exc.message}")
                continue
            done += 1
            lines.append(f"· {outcome.line}")
            notes.extend(n for n in outcome.notes if n not in notes)
    head = f"{title}：{len(refs)}件，完成{done}件" + (
        f"，{len(refs) - done}件未办理（原因见下）" if done < len(refs) else ""
    )
    return with_notes("\n".join([head, *lines]), notes)


def with_notes(text: str, notes: list[str]) -> str:
    return "\n".join([text, *notes]) if notes else text
