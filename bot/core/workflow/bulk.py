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
    crash midway runs the command again. Each number's transaction carries a mark of its own
    (``seen.item``): the numbers done before the crash are reported done, not done again (a
    step need not refuse a repeat: 交办 on an assigned proposal would be 交办调整).
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
                with seen.item(ref):
                    outcome = await step(ref)
            except DomainError as exc:
                lines.append(f"· {ref}：{exc.message}")
                continue
            except seen.AlreadySeen:  # done by an earlier delivery of this message
                done += 1
                lines.append(f"· {ref}：已办理（此前收到这条命令时已办好，未重复办理）")
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
