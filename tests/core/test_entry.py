"""EntryService.admit: the re-delivery check and the sender's identity in one round trip."""

from __future__ import annotations

import asyncio

from sqlmodel import func, select

from bot.core.clock import FakeClock
from bot.core.dedup import DedupService
from bot.core.entry import EntryService
from bot.core.members import MemberUpdate
from bot.core.models import SeenEvent
from bot.core.services import Services


def fresh_entry(services: Services, clock: FakeClock) -> EntryService:
    """A new process's view: an empty in-memory cache, the same database."""
    return EntryService(services.db, DedupService(services.db, clock), services.members)


async def test_first_delivery_gives_the_sender(services: Services, clock: FakeClock) -> None:
    await services.members.update("20001", MemberUpdate(name="张三", sector="农业界"))
    identity = await fresh_entry(services, clock).admit("10000", "1", "20001", "农业界-张三")
    assert identity is not None
    assert identity.member is not None and identity.member.name == "张三"
    assert identity.is_member
    assert identity.display_name == "农业界-张三"


async def test_unknown_sender_is_admitted_without_a_roster_entry(
    services: Services, clock: FakeClock
) -> None:
    identity = await fresh_entry(services, clock).admit("10000", "2", "29999")
    assert identity is not None
    assert identity.member is None and not identity.is_member


async def test_redelivery_is_refused_in_memory_and_after_a_restart(
    services: Services, clock: FakeClock
) -> None:
    entry = fresh_entry(services, clock)
    assert await entry.admit("10000", "3", "20001") is not None
    assert await entry.admit("10000", "3", "20001") is None  # same process
    assert await fresh_entry(services, clock).admit("10000", "3", "20001") is None  # restarted
    assert await entry.admit("20000", "3", "20001") is not None  # another bot account


async def test_unit_contact_is_known_at_entry(services: Services, clock: FakeClock) -> None:
    unit, _created = await services.units.add("县水利局")
    await services.units.set_contact(unit, "20002", "李四")
    identity = await fresh_entry(services, clock).admit("10000", "4", "20002")
    assert identity is not None
    assert identity.unit_ids == frozenset({unit.id})


async def test_concurrent_deliveries_admit_once(services: Services, clock: FakeClock) -> None:
    results = await asyncio.gather(
        *(fresh_entry(services, clock).admit("10000", "5", "20001") for _ in range(4))
    )
    assert sum(r is not None for r in results) == 1
    async with services.db.session() as session:
        count = (await session.exec(select(func.count()).select_from(SeenEvent))).one()
    assert count == 1
