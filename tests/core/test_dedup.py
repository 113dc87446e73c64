"""Events seen once: a re-delivered (self_id, message_id) is refused, also after a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.core.clock import FakeClock
from bot.core.dedup import KEEP_FOR, DedupService
from bot.core.models import SeenEvent
from bot.core.services import Services


@pytest.fixture
def dedup(services: Services, clock: FakeClock) -> DedupService:
    """A fresh service (the session-wide one remembers ids from earlier tests in memory)."""
    return DedupService(services.db, clock)


async def test_second_delivery_is_refused(dedup: DedupService) -> None:
    assert await dedup.first_time("10000", "1")
    assert not await dedup.first_time("10000", "1")
    assert not await dedup.first_time("10000", "1")


async def test_other_message_or_other_account_is_new(dedup: DedupService) -> None:
    assert await dedup.first_time("10000", "1")
    assert await dedup.first_time("10000", "2")
    assert await dedup.first_time("20000", "1")  # the same id from another bot account


async def test_remembered_across_a_restart(services: Services, clock: FakeClock) -> None:
    before = DedupService(services.db, clock)
    assert await before.first_time("10000", "77")
    after = DedupService(services.db, clock)  # a new process: empty memory, same database
    assert not await after.first_time("10000", "77")
    assert await after.first_time("10000", "78")


async def test_concurrent_deliveries_pass_once(services: Services, clock: FakeClock) -> None:
    # separate instances, as two handlers racing without the in-memory shortcut
    results = await asyncio.gather(
        *(DedupService(services.db, clock).first_time("10000", "5") for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]
    async with services.db.session() as session:
        assert (await session.exec(select(func.count()).select_from(SeenEvent))).one() == 1


async def test_prune_forgets_old_events(
    dedup: DedupService, services: Services, clock: FakeClock
) -> None:
    assert await dedup.first_time("10000", "old")
    clock.advance(KEEP_FOR + timedelta(hours=1))
    assert await dedup.first_time("10000", "new")
    assert await dedup.prune() == 1
    async with services.db.session() as session:
        ids = (await session.exec(select(SeenEvent.message_id))).all()
    assert ids == ["new"]
