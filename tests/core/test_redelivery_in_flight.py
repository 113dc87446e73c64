"""A re-delivery that arrives while the first delivery of the message is still being handled in
this process waits for it, and is handled when the first ended without marking the message.

Before, it was dropped at once as a duplicate. When the first delivery's answer then could not be
sent (the client's connection had closed: that is why the client re-delivered), the first left
the message unmarked for a re-delivery that had already been dropped, and the member was never
answered. Found by bench/bench_reliability.py (commands in flight when the connection fails).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.core import seen
from bot.core.dedup import DedupService
from bot.core.entry import EntryService
from bot.core.seen import chat_key

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

CHAT = chat_key(None, "20001")


async def deliver_twice(entry: EntryService, *, first_fails: bool) -> tuple[bool, bool]:
    """The first delivery is being handled when the second arrives; whether each was handled."""
    inside = asyncio.Event()
    let_go = asyncio.Event()

    async def first() -> bool:
        async with entry.admitted("10000", CHAT, "77", "20001") as who:
            inside.set()
            await let_go.wait()
            if first_fails:
                seen.abandon()  # its answer never reached the client
            return who is not None

    async def second() -> bool:
        async with entry.admitted("10000", CHAT, "77", "20001") as who:
            return who is not None

    handling = asyncio.create_task(first())
    await inside.wait()
    redelivery = asyncio.create_task(second())
    for _ in range(5):
        await asyncio.sleep(0)
    let_go.set()
    return await handling, await redelivery


async def test_redelivery_during_a_failed_first_delivery_is_handled(
    services: Services, clock: FakeClock
) -> None:
    entry = EntryService(services.db, DedupService(services.db, clock), services.members)
    assert await deliver_twice(entry, first_fails=True) == (True, True)


async def test_redelivery_during_a_successful_first_delivery_is_dropped(
    services: Services, clock: FakeClock
) -> None:
    entry = EntryService(services.db, DedupService(services.db, clock), services.members)
    assert await deliver_twice(entry, first_fails=False) == (True, False)
