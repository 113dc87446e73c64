"""Events seen once: a re-delivered (bot account, chat, message id) is refused, also after a
restart; the same id in another chat is another message."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import func, select

from bot.core.dedup import KEEP_FOR, DedupService
from bot.core.models import SeenEvent
from bot.core.seen import EventKey, chat_key

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

GROUP_CHAT = chat_key("900001", "20001")


def key(message_id: str, chat: str = GROUP_CHAT, self_id: str = "10000") -> EventKey:
    return EventKey(self_id, chat, message_id)


@pytest.fixture
def dedup(services: Services, clock: FakeClock) -> DedupService:
    """A fresh service (the session-wide one remembers ids from earlier tests in memory)."""
    return DedupService(services.db, clock)


async def test_second_delivery_is_refused(dedup: DedupService) -> None:
    assert await dedup.first_time(key("1"))
    assert not await dedup.first_time(key("1"))
    assert not await dedup.first_time(key("1"))


async def test_other_message_other_account_or_other_chat_is_new(dedup: DedupService) -> None:
    assert await dedup.first_time(key("1"))
    assert await dedup.first_time(key("2"))
    assert await dedup.first_time(key("1", self_id="20000"))  # another bot account
    assert await dedup.first_time(key("1", chat=chat_key("900002", "20001")))  # another group
    assert await dedup.first_time(key("1", chat=chat_key(None, "20001")))  # a private chat
    assert await dedup.first_time(key("1", chat=chat_key(None, "20002")))  # someone else's


async def test_chat_keys_of_groups_and_private_chats_differ() -> None:
    assert chat_key("123", "456") == "group:123"
    assert chat_key(None, "456") == "private:456"
    assert chat_key("456", "1") != chat_key(None, "456")


async def test_remembered_across_a_restart(services: Services, clock: FakeClock) -> None:
    before = DedupService(services.db, clock)
    assert await before.first_time(key("77"))
    after = DedupService(services.db, clock)  # a new process: empty memory, same database
    assert not await after.first_time(key("77"))
    assert await after.first_time(key("78"))


async def test_a_row_from_before_the_chat_was_in_the_key_matches_any_chat(
    services: Services, clock: FakeClock, dedup: DedupService
) -> None:
    async with services.db.session() as session:
        session.add(SeenEvent(self_id="10000", message_id="66", seen_at=clock.now()))
        await session.commit()
    assert not await dedup.first_time(key("66"))
    assert not await dedup.first_time(key("66", chat=chat_key(None, "20001")))


async def test_claimed_in_process_until_released(dedup: DedupService) -> None:
    assert await dedup.claim(key("9"))
    second = asyncio.create_task(dedup.claim(key("9")))  # while the first is handled: waits
    await asyncio.sleep(0)
    assert not second.done()
    dedup.release(key("9"), seen=False)  # not marked (the handler failed): may come again
    assert await second
    dedup.release(key("9"), seen=True)
    assert not await dedup.claim(key("9"))


async def test_concurrent_deliveries_pass_once(services: Services, clock: FakeClock) -> None:
    # separate instances, as two processes racing without the in-memory claim
    results = await asyncio.gather(
        *(DedupService(services.db, clock).first_time(key("5")) for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]
    async with services.db.session() as session:
        assert (await session.exec(select(func.count()).select_from(SeenEvent))).one() == 1


async def test_prune_forgets_old_events(
    dedup: DedupService, services: Services, clock: FakeClock
) -> None:
    assert await dedup.first_time(key("old"))
    clock.advance(KEEP_FOR + timedelta(hours=1))
    assert await dedup.first_time(key("new"))
    assert await dedup.prune() == 1
    async with services.db.session() as session:
        ids = (await session.exec(select(SeenEvent.message_id))).all()
    assert ids == ["new"]
