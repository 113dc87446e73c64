"""A group message that fails for one bot account goes out through another account in the group
(issue 15 item 5): one real `python -m bot`, two simulated QQ accounts in the same group."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import OutboxMessage, OutboxStatus
from bot.devtools.onebot_sim import OneBotSimulator
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess

GROUP = 557001
FIRST, SECOND = 73_001, 73_002
TIMEOUT = 30  # a wait, not a timed assertion


async def connected(process: BotProcess, self_id: int) -> OneBotSimulator:
    sim = OneBotSimulator(
        process.ws_url, self_id=self_id, access_token=process.token, heartbeat_interval=None
    )
    sim.add_group(GROUP, "县政协全体委员")
    sim.add_member(GROUP, SUPERUSER, nickname="管理员")
    sim.add_friend(SUPERUSER)
    await sim.connect(timeout=TIMEOUT)
    return sim


async def seen_in_group(sim: OneBotSimulator) -> None:
    """The bot hears this account in the group: a chatter line there, then a private `帮助`
    whose answer shows the line before it was taken in (one connection's frames in order)."""
    await sim.post_group_message(GROUP, SUPERUSER, "大家好")
    await sim.post_private_message(SUPERUSER, "帮助")
    await sim.wait_for_sent(lambda m: m.user_id == SUPERUSER, timeout=TIMEOUT)


async def queue(url: str, text: str, account: int) -> int:
    db = Database(url)
    try:
        row = await OutboxService(db, SystemClock()).enqueue(
            Target.group(str(GROUP)), text, bot_id=str(account)
        )
        assert row is not None
        return int(row.id)  # type: ignore[arg-type]
    finally:
        await db.dispose()


async def settled(url: str, row_id: int) -> OutboxMessage:
    """The row once it is sent or failed (waits, generously)."""
    db = Database(url)
    try:
        for _ in range(TIMEOUT * 10):
            async with db.session() as session:
                row = await session.get(OutboxMessage, row_id)
            assert row is not None
            if row.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
                return row
            await asyncio.sleep(0.1)
        raise TimeoutError(f"row {row_id} still {row.status}")
    finally:
        await db.dispose()


def group_texts(sim: OneBotSimulator) -> list[str]:
    return [m.text for m in sim.sent if m.group_id == GROUP]


async def test_a_group_message_refused_for_one_account_goes_through_the_other(
    fast_bot_process: BotProcess,
) -> None:
    first = await connected(fast_bot_process, FIRST)
    second = await connected(fast_bot_process, SECOND)
    try:
        await seen_in_group(first)
        await seen_in_group(second)
        # the first account was removed from the group: its sends fail ("群聊不存在")
        first.fail_next("send_group_msg", retcode=100, message="GROUP_NOT_FOUND", times=10)
        row_id = await queue(fast_bot_process.database_url, "会议通知：明天上午九点", FIRST)
        await second.wait_for_sent(lambda m: m.group_id == GROUP, timeout=TIMEOUT)
        row = await settled(fast_bot_process.database_url, row_id)
        assert (row.status, row.claimed_by, row.rerouted_from) == (
            OutboxStatus.SENT,
            str(SECOND),
            str(FIRST),
        )
        assert group_texts(second) == ["会议通知：明天上午九点"]
        assert group_texts(first) == []
        assert [c.action for c in first.calls].count("send_group_msg") == 1

        # failing through both: handed over once, then failed for good (never back)
        second.fail_next("send_group_msg", retcode=100, message="GROUP_NOT_FOUND", times=10)
        row_id = await queue(fast_bot_process.database_url, "第二条通知", FIRST)
        row = await settled(fast_bot_process.database_url, row_id)
        assert (row.status, row.claimed_by, row.rerouted_from) == (
            OutboxStatus.FAILED,
            str(SECOND),
            str(FIRST),
        )
        assert [c.action for c in first.calls].count("send_group_msg") == 2
        assert [c.action for c in second.calls].count("send_group_msg") == 2
    finally:
        await first.close()
        await second.close()
