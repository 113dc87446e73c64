"""EntryService.admitted: the re-delivery check and the sender's identity in one round trip; the
message counts as seen with what it caused, in the same transaction (bot/core/seen.py)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, func, select

from bot.core import seen
from bot.core.dedup import DedupService
from bot.core.entry import EntryService
from bot.core.models import Member, SeenEvent
from bot.core.people.members import MemberUpdate
from bot.core.seen import AlreadySeen, chat_key

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

CHAT = chat_key("900001", "20001")


def fresh_entry(services: Services, clock: FakeClock) -> EntryService:
    """A new process's view: an empty in-memory cache, the same database."""
    return EntryService(services.db, DedupService(services.db, clock), services.members)


async def admit_once(entry: EntryService, message_id: str, user_id: str = "20001", **kw) -> bool:  # type: ignore[no-untyped-def]
    """Handle a message that causes nothing; True when it was handled (not a re-delivery)."""
    async with entry.admitted("10000", CHAT, message_id, user_id, **kw) as identity:
        return identity is not None


async def seen_ids(services: Services) -> list[str]:
    async with services.db.session() as session:
        return list((await session.exec(select(SeenEvent.message_id))).all())


async def add_member(services: Services, user_id: str, name: str) -> None:
    """A write through an ordinary async session (as a command's service does)."""
    async with services.db.session() as session:
        session.add(Member(user_id=user_id, name=name, created_at=services.clock.now()))
        await session.commit()


async def test_first_delivery_gives_the_sender(services: Services, clock: FakeClock) -> None:
    await services.members.update("20001", MemberUpdate(name="张三", sector="农业界"))
    async with fresh_entry(services, clock).admitted(
        "10000", CHAT, "1", "20001", "农业界-张三"
    ) as identity:
        assert identity is not None
        assert identity.member is not None
        assert identity.member.name == "张三"
        assert identity.is_member
        assert identity.display_name == "农业界-张三"


async def test_unknown_sender_is_admitted_without_a_roster_entry(
    services: Services, clock: FakeClock
) -> None:
    async with fresh_entry(services, clock).admitted("10000", CHAT, "2", "29999") as identity:
        assert identity is not None
        assert identity.member is None
        assert not identity.is_member


async def test_redelivery_is_refused_in_memory_and_after_a_restart(
    services: Services, clock: FakeClock
) -> None:
    entry = fresh_entry(services, clock)
    assert await admit_once(entry, "3")
    assert not await admit_once(entry, "3")  # same process
    assert not await admit_once(fresh_entry(services, clock), "3")  # restarted
    async with entry.admitted("20000", CHAT, "3", "20001") as identity:  # another bot account
        assert identity is not None


async def test_unit_contact_is_known_at_entry(services: Services, clock: FakeClock) -> None:
    unit, _created = await services.units.add("县水利局")
    await services.units.set_contact(unit, "20002", "李四")
    async with fresh_entry(services, clock).admitted("10000", CHAT, "4", "20002") as identity:
        assert identity is not None
        assert identity.unit_ids == frozenset({unit.id})


async def test_concurrent_deliveries_admit_once(services: Services, clock: FakeClock) -> None:
    entry = fresh_entry(services, clock)
    results = await asyncio.gather(*(admit_once(entry, "5") for _ in range(4)))
    assert sum(results) == 1
    assert await seen_ids(services) == ["5"]


async def test_nothing_is_marked_before_the_handler_commits(
    services: Services, clock: FakeClock
) -> None:
    """The crash case: killed after the entry, before the post was stored. The client's
    re-delivery after the restart must be handled, not dropped."""
    entry = fresh_entry(services, clock)
    async with entry.admitted("10000", CHAT, "6", "20001") as identity:
        assert identity is not None
        assert await seen_ids(services) == []
        # ... the process dies here; a new one gets the re-delivery:
        assert await admit_once(fresh_entry(services, clock), "6")


async def test_the_first_writing_transaction_carries_the_mark(
    services: Services, clock: FakeClock
) -> None:
    entry = fresh_entry(services, clock)
    async with entry.admitted("10000", CHAT, "7", "20001") as identity:
        assert identity is not None
        await add_member(services, "20007", "王五")
        assert await seen_ids(services) == ["7"]  # committed with the member, not later
        await add_member(services, "20008", "赵六")  # a second write does not add it again
    assert await seen_ids(services) == ["7"]


async def test_a_synchronous_unit_of_work_carries_the_mark(
    services: Services, clock: FakeClock
) -> None:
    """Database.run_sync (a worker thread on SQLite) sees the handler's mark."""

    def work(session: Session) -> None:
        session.add(Member(user_id="20009", name="孙七", created_at=clock.now()))
        session.commit()

    async with fresh_entry(services, clock).admitted("10000", CHAT, "8", "20001"):
        await services.db.run_sync(work)
        assert await seen_ids(services) == ["8"]


async def test_a_rolled_back_write_leaves_the_mark_for_later(
    services: Services, clock: FakeClock
) -> None:
    async with fresh_entry(services, clock).admitted("10000", CHAT, "9", "20001"):
        async with services.db.session() as session:
            session.add(Member(user_id="20010", name="周八", created_at=clock.now()))
            await session.flush()
            await session.rollback()
        assert await seen_ids(services) == []
    assert await seen_ids(services) == ["9"]  # the handler ended: marked on its own


async def test_a_failed_handler_leaves_the_message_unmarked(
    services: Services, clock: FakeClock
) -> None:
    entry = fresh_entry(services, clock)
    with pytest.raises(RuntimeError):
        async with entry.admitted("10000", CHAT, "10", "20001"):
            raise RuntimeError("boom")
    assert await seen_ids(services) == []
    assert await admit_once(entry, "10")  # a re-delivery is handled again


async def test_a_delivery_that_loses_the_race_is_rolled_back(
    services: Services, clock: FakeClock
) -> None:
    """Two processes got the same message: the one that commits second changes nothing."""
    first, second = fresh_entry(services, clock), fresh_entry(services, clock)
    async with first.admitted("10000", CHAT, "11", "20001") as one:
        assert one is not None
        async with second.admitted("10000", CHAT, "11", "20001") as two:
            assert two is not None  # both passed the check: neither had committed yet
            await add_member(services, "20011", "吴九")
        with pytest.raises(AlreadySeen):
            await add_member(services, "20012", "郑十")
    async with services.db.session() as session:
        names = (await session.exec(select(Member.name))).all()
        count = (await session.exec(select(func.count()).select_from(SeenEvent))).one()
    assert names == ["吴九"]
    assert count == 1


async def test_deferred_writes_do_not_carry_the_mark(services: Services, clock: FakeClock) -> None:
    async with fresh_entry(services, clock).admitted("10000", CHAT, "12", "20001"):
        with seen.deferred():
            await add_member(services, "20013", "钱一")
            await add_member(services, "20014", "钱二")
            assert await seen_ids(services) == []
    assert await seen_ids(services) == ["12"]
