"""RecordService numbering: sequential per kind and year, never the same number twice."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.db import Database
from bot.core.models import Record, TimelineEntry
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor, RecordService
from bot.core.workflow import states

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


def draft(n: int, kind: RecordKind = RecordKind.PROPOSAL) -> Record:
    return Record(
        kind=kind,
        year=0,
        number=0,
        proposer_user_id=str(20000 + n),
        proposer_name=f"委员{n}",
        title=f"关于第{n}件事的建议",
        body="情况、分析与建议。",
        content_hash=f"hash-{kind}-{n}",
    )


async def test_numbers_run_per_kind(services: Services) -> None:
    actor = Actor("20001", "委员1")
    made = [
        await services.records.create(draft(n, kind), actor=actor)
        for n, kind in enumerate([RecordKind.PROPOSAL, RecordKind.OPINION, RecordKind.PROPOSAL])
    ]
    assert [(r.kind, r.number) for r in made] == [
        (RecordKind.PROPOSAL, 1),
        (RecordKind.OPINION, 1),
        (RecordKind.PROPOSAL, 2),
    ]
    assert all(r.id is not None and r.year == services.records.current_year() for r in made)


async def test_two_processes_numbering_at_once_never_share_a_number(
    services: Services, clock: FakeClock
) -> None:
    # a second RecordService on its own engine stands for another process sharing the
    # database: its lock does not serialise with ours; the counter row does
    other_db = Database(services.db.url)
    other = RecordService(other_db, clock, states)
    actor = Actor("20001", "委员1")
    try:
        made = await asyncio.gather(
            *(
                (services.records if n % 2 else other).create(draft(n), actor=actor)
                for n in range(8)
            )
        )
    finally:
        await other_db.dispose()
    assert sorted(r.number for r in made) == list(range(1, 9))
    async with services.db.session() as session:
        numbers = (await session.exec(select(Record.number).order_by(Record.number))).all()
        entries = (await session.exec(select(TimelineEntry.record_id))).all()
    assert numbers == list(range(1, 9))
    assert sorted(entries) == sorted(r.id for r in made)  # one submit entry each, none lost
