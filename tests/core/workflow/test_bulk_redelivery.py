"""A command over several numbers, killed midway and delivered again, does each number once.

`交办 31-40` commits one number at a time, and its re-delivery mark waits for the last one
(bot/core/seen.py): after a crash midway the QQ client re-delivers the message and the command
runs again. Before, that relied on every step refusing a number it had already done; 交办 does
not (on an assigned proposal it is 交办调整), so the numbers done before the crash were assigned a
second time: a `reassign` timeline entry and a second notice to the proposer and the unit
(found by bench/bench_reliability.py, kill -9 runs). Each number now carries a mark of its own.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.dedup import DedupService
from bot.core.entry import EntryService
from bot.core.models import OutboxMessage, Record, RecordStatus, TimelineEntry, Unit
from bot.core.seen import chat_key
from bot.core.workflow.bulk import run_steps
from bot.core.workflow.parsing import AssignSpec
from tests.workflow_utils import EDU, STAFF, add_record

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Outcome, Requester

CHAT = chat_key("900002", STAFF)
MESSAGE_ID = "4242"


class Killed(BaseException):
    """The process dies: nothing after this point runs (not an error a handler catches)."""


def fresh_entry(services: Services, clock: FakeClock) -> EntryService:
    """A restarted process's view: an empty in-memory cache, the same database."""
    return EntryService(services.db, DedupService(services.db, clock), services.members)


async def deliver(services: Services, clock: FakeClock, refs: list[str], step) -> str | None:  # type: ignore[no-untyped-def]
    """The bulk command as the router runs it for one delivery of the message."""
    async with fresh_entry(services, clock).admitted("10000", CHAT, MESSAGE_ID, STAFF) as who:
        if who is None:
            return None  # a re-delivery of a message already handled
        return await run_steps(refs, step, title="交办")


async def assigned_state(services: Services, ids: list[int]) -> tuple[Counter[str], Counter[int]]:
    """(timeline actions on the records, proposer notices of 交办 per record)."""
    async with services.db.session() as session:
        entries = (
            await session.exec(select(TimelineEntry).where(TimelineEntry.record_id.in_(ids)))  # type: ignore[attr-defined]
        ).all()
        rows = (await session.exec(select(OutboxMessage))).all()
        records = {r.id: r for r in (await session.exec(select(Record))).all()}
    actions = Counter(e.action for e in entries)
    notices = Counter(
        m.record_id or 0
        for m in rows
        if m.record_id in ids
        and m.target_type == "private"
        and m.target_id == records[m.record_id].proposer_user_id
        and (m.dedup_key or "").startswith(f"assign:{m.record_id}:")
    )
    return actions, notices


async def test_bulk_assign_killed_midway_then_redelivered_assigns_each_number_once(
    services: Services, clock: FakeClock, units: dict[str, Unit], staff: Requester
) -> None:
    records = [
        await add_record(services, title=f"关于第{n}件民生实事的建议", status=RecordStatus.ACCEPTED)
        for n in range(3)
    ]
    refs = [str(r.number) for r in records]
    ids = [r.id or 0 for r in records]
    spec = AssignSpec(lead=EDU)

    async def assign(ref: str) -> Outcome:
        return await services.proposals.assign(ref, staff, spec)

    async def killed_after_the_first(ref: str) -> Outcome:
        await assign(ref)
        raise Killed  # the first number is committed; then kill -9

    with pytest.raises(Killed):
        await deliver(services, clock, refs, killed_after_the_first)
    actions, notices = await assigned_state(services, ids)
    assert actions["assign"] == 1

    clock.advance(timedelta(seconds=30))  # the restart takes a while
    reply = await deliver(services, clock, refs, assign)  # restarted; the client re-delivers

    assert reply is not None
    actions, notices = await assigned_state(services, ids)
    assert actions["assign"] == 3
    assert actions["reassign"] == 0  # the first number was not assigned a second time
    assert notices == Counter(ids)  # one 交办 notice to each proposer
    async with services.db.session() as session:
        statuses = {
            r.id: r.status
            for r in (await session.exec(select(Record).where(Record.id.in_(ids)))).all()  # type: ignore[attr-defined]
        }
    assert set(statuses.values()) == {RecordStatus.ASSIGNED}
    assert f"· {refs[0]}：" in reply  # the first number is reported, not silently skipped
    assert await deliver(services, clock, refs, assign) is None  # now the message is seen
