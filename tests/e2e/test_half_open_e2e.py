"""A QQ client whose old socket hangs half-open reconnects at once, and the notice that was in
flight on the old socket is delivered through the new one.

Before: the reconnect was refused (403 "Duplicate X-Self-ID") until keepalive dropped the old
socket (~40 s), and the notice in flight ended `uncertain`, never sent."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import OutboxMessage, OutboxStatus
from bot.devtools.onebot_sim import OneBotSimulator, SimulatorRefused

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bot.devtools.botprocess import BotProcess

GROUP = 560_001
FRIEND = 20_001
SELF_ID = 75_001


@pytest.fixture
def bot(fast_bot_process: BotProcess) -> BotProcess:
    return fast_bot_process


async def queue(url: str, target: Target, text: str) -> None:
    db = Database(url)
    try:
        assert await OutboxService(db, SystemClock()).enqueue(target, text, purpose="reminder")
    finally:
        await db.dispose()


async def statuses(url: str) -> dict[str, str]:
    db = Database(url)
    try:
        async with db.session() as session:
            rows = (await session.exec(select(OutboxMessage))).all()
        return {"".join(p.get("text", "") for p in r.parts): r.status for r in rows}
    finally:
        await db.dispose()


async def until_status(url: str, text: str, status: str) -> None:
    for _ in range(200):
        if (await statuses(url)).get(text) == status:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never became {status}: {await statuses(url)}")


@contextlib.contextmanager
def with_log(process: BotProcess) -> Iterator[None]:
    """A failure shows the end of the bot's log (the replacement and outbox lines)."""
    try:
        yield
    except (AssertionError, TimeoutError, SimulatorRefused) as exc:
        raise AssertionError(f"{exc}\n--- bot log ---\n{process.log()[-4000:]}") from exc


async def test_half_open_connection_is_replaced_and_its_notices_delivered(
    bot: BotProcess,
) -> None:
    sim = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    sim.add_group(GROUP, "县政协全体委员")
    sim.add_friend(FRIEND, "张三")
    await sim.connect(timeout=20)
    try:
        with with_log(bot):
            await queue(bot.database_url, Target.group(str(GROUP)), "连接正常")
            await sim.wait_for_sent(lambda m: m.text == "连接正常", timeout=15)

            # 1. The old socket stops reading while a private notice is being prepared: its
            #    friend-list lookup hangs, the notice itself was never written.
            await sim.go_half_open()
            await queue(bot.database_url, Target.private(str(FRIEND)), "私信通知")
            await until_status(bot.database_url, "私信通知", OutboxStatus.SENDING)
            await sim.connect(30, retry_refused=False)  # accepted, not refused as a duplicate
            notice = await sim.wait_for_sent(lambda m: m.text == "私信通知", timeout=20)
            assert notice.user_id == FRIEND

            # 2. The new socket hangs too, this time with a group notice written to it but never
            #    answered: it may have been delivered, so it is resent once (as after a timeout).
            await sim.go_half_open()
            await queue(bot.database_url, Target.group(str(GROUP)), "群通知")
            await until_status(bot.database_url, "群通知", OutboxStatus.SENDING)
            await sim.connect(30, retry_refused=False)
            await sim.wait_for_sent(lambda m: m.text == "群通知", timeout=30)

            assert [m.text for m in sim.sent] == ["连接正常", "私信通知", "群通知"]
            assert set((await statuses(bot.database_url)).values()) == {OutboxStatus.SENT}
            assert "did not answer within" in bot.log()
    finally:
        await sim.close()


async def test_a_live_connection_keeps_its_place(bot: BotProcess) -> None:
    first = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    second = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    first.add_group(GROUP)
    await first.connect(timeout=20)
    try:
        with pytest.raises(Exception) as info:  # noqa: PT011 (the client's own error type)
            await second.connect(timeout=15)
        assert getattr(info.value, "status", None) == 403
        assert first.connected
        await queue(bot.database_url, Target.group(str(GROUP)), "仍由原连接发送")
        await first.wait_for_sent(lambda m: m.text == "仍由原连接发送", timeout=15)
    finally:
        await first.close()
        await second.close()
