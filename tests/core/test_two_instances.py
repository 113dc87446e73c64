"""Two bot processes on one database, stood in for by Services on separate engines.

Each second ``Services`` has its own engine, connection pool and in-process locks, as another
``python -m bot`` sharing the database would: numbering must come out distinct and consecutive
without a retry to exhaust, and a change one of them makes must reach the other's caches.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.core.changes import CHECK_SECONDS, ChangeWatch
from bot.core.db import Database
from bot.core.intake.results import Source
from bot.core.models import ChannelKind, Record, TimelineEntry
from bot.core.people.channels import ChannelService
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR
from tests import dbutil
from tests.core.test_db import head_revision
from tests.core.test_records import draft
from tests.intake_helpers import (
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_REWORDED,
    SEWAGE_REWORDED_TITLE,
    SEWAGE_TITLE,
    post,
    register,
)
from tests.utils import SUPERUSER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.core.clock import FakeClock

POSTS_PER_PROCESS = 100


@pytest.fixture
async def others(services: Services, clock: FakeClock) -> AsyncIterator[list[Services]]:
    """Two more "processes" on the test database (its schema is already at head)."""
    made = [
        Services(
            CoreConfig(
                database_url=services.db.url,
                data_dir=DEFAULT_DATA_DIR,
                superusers=(SUPERUSER,),
                change_check_seconds=0.0,  # checks on every read, not every ~2 s
            ),
            clock=clock,
        )
        for _ in range(2)
    ]
    for other in made:
        await other.start(migrate=False)
    yield made
    for other in made:
        await other.stop()


async def test_concurrent_posts_through_three_processes_get_consecutive_numbers(
    services: Services, others: list[Services]
) -> None:
    everyone = [services, *others]
    people = [await register(services, str(21000 + n), f"委员{n}") for n in range(50)]
    message_ids = iter(range(900_000, 990_000))

    async def one(n: int) -> Record:
        where = everyone[n % len(everyone)]
        result = await where.intake.submit(
            post(f"{LIFT_TITLE}（第{n}稿）", f"{LIFT}第{n}稿。"),
            identity=people[n % len(people)],
            source=Source.group("900001", str(next(message_ids))),
        )
        assert not result.duplicate
        return result.record

    total = POSTS_PER_PROCESS * len(everyone)
    outcomes = await asyncio.gather(*(one(n) for n in range(total)), return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert failed == []
    numbers = sorted(o.number for o in outcomes if isinstance(o, Record))
    assert numbers == list(range(1, total + 1))
    async with services.db.session() as session:
        stored = (await session.exec(select(Record.number).order_by(Record.number))).all()
        entries = (
            await session.exec(
                select(TimelineEntry.record_id).where(TimelineEntry.action == "submit")
            )
        ).all()
    assert stored == list(range(1, total + 1))
    assert len(entries) == total


async def test_records_created_by_three_processes_at_once_never_share_a_number(
    services: Services, others: list[Services]
) -> None:
    everyone = [services, *others]
    actor = Actor("20001", "委员1")
    total = 60 * len(everyone)
    outcomes = await asyncio.gather(
        *(everyone[n % len(everyone)].records.create(draft(n), actor=actor) for n in range(total)),
        return_exceptions=True,
    )
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert sorted(o.number for o in outcomes if isinstance(o, Record)) == list(range(1, total + 1))


async def test_a_group_bound_through_one_process_is_seen_by_the_other(
    services: Services, others: list[Services]
) -> None:
    other = others[0]
    assert await other.channels.get("900777") is None  # cached as unbound
    await services.channels.bind(
        "900777", ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER, group_name="全体委员群"
    )
    seen = await other.channels.get("900777")
    assert seen is not None
    assert seen.kind == ChannelKind.WHOLE
    assert [b.group_id for b in await other.channels.by_kind(ChannelKind.WHOLE)] == ["900777"]

    await services.channels.unbind("900777")
    assert await other.channels.get("900777") is None


async def test_a_contact_forgotten_by_one_process_is_recorded_again_by_the_other(
    services: Services, others: list[Services]
) -> None:
    other = others[0]
    await other.contacts.record("20001", "900001")
    assert other.contacts.knows("20001", "900001")
    await services.contacts.forget("20001", "900001")  # e.g. its temporary session failed
    await other.changes.refresh()
    assert not other.contacts.knows("20001", "900001")
    await other.contacts.record("20001", "900001")  # seen speaking there again
    assert await services.contacts.groups_of("20001") == ["900001"]


async def test_a_burst_right_after_a_change_waits_for_the_check_under_way(
    services: Services,
) -> None:
    ticks = [0.0]
    watch = ChangeWatch(services.db, interval=CHECK_SECONDS, monotonic=lambda: ticks[0])
    channels = ChannelService(services.db, services.clock, services.sectors, watch)
    assert await channels.get("900778") is None  # checked at 0 s: unbound
    await services.channels.bind("900778", ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    ticks[0] = CHECK_SECONDS  # the next check is due: twenty messages arrive together
    seen = await asyncio.gather(*(channels.get("900778") for _ in range(20)))
    assert all(binding is not None for binding in seen)


async def test_two_upgrades_of_an_empty_database_at_once_both_succeed(tmp_path: Path) -> None:
    for round_ in range(2):
        url = await dbutil.create_database(tmp_path / str(round_))
        engines = [Database(url), Database(url)]
        try:
            # (without the migration lock these clash, or on PostgreSQL wait on each other)
            outcomes = await asyncio.wait_for(
                asyncio.gather(*(db.upgrade() for db in engines), return_exceptions=True), 120
            )
            assert outcomes == [None, None]
            async with engines[0].engine.connect() as conn:
                version = (
                    await conn.execute(text("SELECT version_num FROM alembic_version"))
                ).all()
            assert version == [(head_revision(),)]
        finally:
            for db in engines:
                await db.dispose()
            await dbutil.drop_database(url)


async def test_a_post_through_one_process_is_found_similar_through_the_other(
    services: Services, others: list[Services]
) -> None:
    other = others[0]
    for svc in (services, other):
        await svc.similarity.rebuild_index()  # both indexes built (empty) before the first post
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=Source.group("900001", "880001")
    )
    second = await other.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED),
        identity=li,
        source=Source.group("900001", "880002"),
    )
    assert [s.record.id for s in second.similar] == [first.record.id]
    found = await other.similarity.similar(RecordKind.PROPOSAL, SEWAGE_TITLE, SEWAGE)
    assert first.record.id in [s.record.id for s in found]
