"""Leases (bot/core/leases.py): taken, renewed, expired, taken over, released, raced for, on the
test database (SQLite, or PostgreSQL with TEST_DATABASE_URL). The clock is a FakeClock: expiry
is reached by moving it, never by waiting."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.db import Database
from bot.core.leases import SCHEDULES, LeaseKeeper, LeaseStore, outbox_lease
from bot.core.models import Lease

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.services import Services

SECONDS = 45.0
RENEW = 15.0


@pytest.fixture
async def keepers(services: Services, clock: FakeClock) -> AsyncIterator[list[LeaseKeeper]]:
    """Two instances' keepers (A, B), each on its own engine, as two processes would be."""
    made: list[LeaseKeeper] = []
    dbs: list[Database] = []
    for name in ("A", "B"):
        db = Database(services.db.url)
        dbs.append(db)
        made.append(LeaseKeeper(db, clock, seconds=SECONDS, renew_seconds=RENEW, holder=name))
    yield made
    for db in dbs:
        await db.dispose()


def told(keeper: LeaseKeeper) -> list[tuple[str, bool]]:
    changes: list[tuple[str, bool]] = []
    keeper.on_change(lambda name, held: changes.append((name, held)))
    return changes


async def rows(services: Services) -> list[Lease]:
    async with services.db.session() as session:
        return list((await session.exec(select(Lease).order_by(Lease.name))).all())


async def test_a_free_lease_is_taken_and_written(
    keepers: list[LeaseKeeper], services: Services, clock: FakeClock
) -> None:
    a, _ = keepers
    changes = told(a)
    assert await a.want(SCHEDULES)
    assert a.holds(SCHEDULES)
    assert changes == [(SCHEDULES, True)]
    (row,) = await rows(services)
    assert (row.name, row.holder) == (SCHEDULES, "A")
    assert row.expires_at == clock.now() + timedelta(seconds=SECONDS)


async def test_the_holder_renews_and_the_other_stands_by(
    keepers: list[LeaseKeeper], services: Services, clock: FakeClock
) -> None:
    a, b = keepers
    b_changes = told(b)
    assert await a.want(SCHEDULES)
    acquired = (await rows(services))[0].acquired_at
    for _ in range(6):  # 90 s of renewals every 15 s: longer than one lease
        clock.advance(timedelta(seconds=RENEW))
        await a.tick()
        assert a.holds(SCHEDULES)
        assert not await b.want(SCHEDULES)
        assert not b.holds(SCHEDULES)
    (row,) = await rows(services)
    assert row.holder == "A"
    assert row.acquired_at == acquired  # renewed, not taken again
    assert row.expires_at == clock.now() + timedelta(seconds=SECONDS)
    assert b_changes == []


async def test_an_unrenewed_lease_expires_and_the_other_takes_it_over(
    keepers: list[LeaseKeeper], services: Services, clock: FakeClock
) -> None:
    a, b = keepers
    a_changes, b_changes = told(a), told(b)
    assert await a.want(SCHEDULES)
    assert not await b.want(SCHEDULES)
    # A stops renewing (it died, or hangs). Before the expiry B still may not take it ...
    clock.advance(timedelta(seconds=SECONDS - 1))
    await b.tick()
    assert not b.holds(SCHEDULES)
    # ... and A itself stopped counting on it a margin before the expiry
    assert not a.holds(SCHEDULES)
    clock.advance(timedelta(seconds=1))
    await b.tick()
    assert b.holds(SCHEDULES)
    assert b_changes == [(SCHEDULES, True)]
    # A comes back: it finds the lease lost and is told so
    await a.tick()
    assert not a.holds(SCHEDULES)
    assert a_changes == [(SCHEDULES, True), (SCHEDULES, False)]
    (row,) = await rows(services)
    assert row.holder == "B"
    assert row.acquired_at == clock.now()


async def test_a_released_lease_is_taken_at_the_next_attempt(
    keepers: list[LeaseKeeper], services: Services, clock: FakeClock
) -> None:
    a, b = keepers
    a_changes = told(a)
    assert await a.want(outbox_lease("10000"))
    assert not await b.want(outbox_lease("10000"))
    await a.forgo(outbox_lease("10000"))
    assert a_changes == [(outbox_lease("10000"), True), (outbox_lease("10000"), False)]
    assert await rows(services) == []
    await b.tick()  # long before the old expiry
    assert b.holds(outbox_lease("10000"))
    await a.tick()  # A no longer wants it: nothing taken back
    assert [r.holder for r in await rows(services)] == ["B"]


async def test_stop_releases_every_lease_held(
    keepers: list[LeaseKeeper], services: Services
) -> None:
    a, b = keepers
    await a.want(SCHEDULES)
    await a.want(outbox_lease("10000"))
    await a.start()
    await a.stop()
    assert await rows(services) == []
    assert await b.want(SCHEDULES)


async def test_leases_are_independent(keepers: list[LeaseKeeper], clock: FakeClock) -> None:
    a, b = keepers
    assert await a.want(SCHEDULES)
    assert await b.want(outbox_lease("20000"))
    assert not await b.want(SCHEDULES)
    assert not await a.want(outbox_lease("20000"))
    assert a.held() == [SCHEDULES]
    assert b.held() == [outbox_lease("20000")]


async def test_instances_racing_for_a_free_lease_get_it_once(
    services: Services, clock: FakeClock
) -> None:
    dbs = [Database(services.db.url) for _ in range(6)]
    try:
        racers = [
            LeaseKeeper(db, clock, seconds=SECONDS, renew_seconds=RENEW, holder=f"racer{n}")
            for n, db in enumerate(dbs)
        ]
        for round_ in range(5):
            name = f"race{round_}"
            won = await asyncio.gather(*(keeper.want(name) for keeper in racers))
            assert sum(won) == 1, won
            winner = racers[won.index(True)]
            # the winner dies; once its lease has expired the others race again: one wins
            clock.advance(timedelta(seconds=SECONDS))
            others = [keeper for keeper in racers if keeper is not winner]
            await asyncio.gather(*(keeper.tick() for keeper in others))
            holders = [keeper.holder for keeper in others if keeper.holds(name)]
            assert len(holders) == 1, holders
            lease = await LeaseStore(services.db).current(name)
            assert lease is not None
            assert lease.holder == holders[0]
            for keeper in racers:
                keeper._wanted.discard(name)
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_holder_that_cannot_reach_the_database_stops_before_the_expiry(
    keepers: list[LeaseKeeper], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = keepers
    changes = told(a)
    assert await a.want(SCHEDULES)

    async def unreachable(*args: object) -> bool:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(a.store, "take", unreachable)
    clock.advance(timedelta(seconds=RENEW))
    await a.tick()
    assert a.holds(SCHEDULES)  # a failed renewal alone changes nothing yet
    clock.advance(timedelta(seconds=SECONDS - RENEW - a.margin.total_seconds()))
    assert not a.holds(SCHEDULES)  # the margin before the expiry: before B can take it
    await a.tick()
    assert changes == [(SCHEDULES, True), (SCHEDULES, False)]
    clock.advance(a.margin)
    assert await b.want(SCHEDULES)


async def test_leases_off_means_this_process_holds_them_all(services: Services) -> None:
    keeper = LeaseKeeper(services.db, services.clock, seconds=0)
    changes = told(keeper)
    assert not keeper.enabled
    assert keeper.holds(SCHEDULES)
    assert await keeper.want(outbox_lease("1"))
    await keeper.start()
    await keeper.stop()
    assert changes == [(outbox_lease("1"), True), (outbox_lease("1"), False)]
    assert await LeaseStore(services.db).current(SCHEDULES) is None  # nothing written


async def test_an_instance_restarted_after_a_crash_takes_its_leases_back_at_once(
    keepers: list[LeaseKeeper], services: Services, clock: FakeClock
) -> None:
    a, b = keepers
    assert await a.want(SCHEDULES)  # then A is killed -9: nothing released
    restarted = LeaseKeeper(services.db, clock, seconds=SECONDS, holder="A")  # same name
    changes = told(restarted)
    clock.advance(timedelta(seconds=2))
    assert await restarted.want(SCHEDULES)  # long before the old expiry
    assert changes == [(SCHEDULES, True)]
    assert not await b.want(SCHEDULES)
