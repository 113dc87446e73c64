"""The outbox end to end: the real bot process, the OneBot simulator, rows written into the bot's
database (as another process would). Disconnects, kill -9, the rate limit, temporary sessions."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import OutboxMessage, OutboxStatus
from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator
from tests import dbutil
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from pathlib import Path

GROUP = 556001
STAFF_GROUP = 556002
SELF_ID = 72_001

BotFactory = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def make_bot(tmp_path: Path) -> AsyncIterator[BotFactory]:
    """Start a bot with outbox settings of the test's choosing (one per test)."""
    started: list[tuple[BotProcess, str]] = []

    async def start(interval: float = 0.0, jitter: float = 0.0) -> BotProcess:
        url = await dbutil.create_database(tmp_path)
        process = BotProcess(
            workdir=tmp_path / "bot",
            database_url=url,
            superusers=(str(SUPERUSER),),
            extra_env={
                "OUTBOX_INTERVAL": str(interval),
                "OUTBOX_JITTER": str(jitter),
                "OUTBOX_POLL": "0.2",
            },
        )
        await process.astart()
        started.append((process, url))
        return process

    yield start
    for process, url in started:
        await process.astop()
        await dbutil.drop_database(url)


async def connect(process: BotProcess, *, retry: bool = False) -> OneBotSimulator:
    sim = OneBotSimulator(
        process.ws_url,
        self_id=SELF_ID,
        access_token=process.token,
        heartbeat_interval=None,
    )
    sim.add_group(GROUP, "县政协全体委员")
    await sim.connect(timeout=20, retry_refused=retry)
    return sim


async def queue_rows(url: str, texts: list[str], *, purpose: str = "reminder") -> None:
    """Write outbox rows into the bot's database from this (other) process."""
    db = Database(url)
    try:
        outbox = OutboxService(db, SystemClock())
        for text in texts:
            assert await outbox.enqueue(Target.group(str(GROUP)), text, purpose=purpose)
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


def texts_of(*sims: OneBotSimulator) -> list[str]:
    return [m.text for sim in sims for m in sim.sent]


async def test_queued_while_disconnected_delivered_once_after_reconnect(
    make_bot: BotFactory,
) -> None:
    process = await make_bot()
    sim = await connect(process)
    await queue_rows(process.database_url, ["连接时的提醒"])
    await sim.wait_for_sent(lambda m: m.text == "连接时的提醒", timeout=10)

    await sim.disconnect_abruptly()
    reminders = [f"断线期间的提醒{n}" for n in range(3)]
    await queue_rows(process.database_url, reminders)
    await asyncio.sleep(0.6)  # the bot looks (poll 0.2 s) and finds no connection to send on
    assert (await statuses(process.database_url))[reminders[0]] == OutboxStatus.PENDING

    await sim.connect(timeout=20, retry_refused=True)
    for text in reminders:
        await sim.wait_for_sent(lambda m, t=text: m.text == t, timeout=15)
    await asyncio.sleep(0.5)
    sent = texts_of(sim)
    assert all(sent.count(text) == 1 for text in reminders)
    assert sent.count("连接时的提醒") == 1
    assert set((await statuses(process.database_url)).values()) == {OutboxStatus.SENT}


async def test_killed_with_pending_rows_each_delivered_exactly_once(
    make_bot: BotFactory,
) -> None:
    process = await make_bot(interval=0.5)
    texts = [f"重启测试{n}" for n in range(6)]
    await queue_rows(process.database_url, texts)
    sim = await connect(process)
    await sim.wait_for_sent(timeout=10)
    await sim.wait_for_sent(timeout=10)
    # The second call was just answered; the next one waits 0.5 s for the rate limit.
    process.kill()
    await sim.close()
    before = texts_of(sim)
    assert before == texts[: len(before)]
    assert len(before) >= 2

    await process.astart()
    sim2 = await connect(process, retry=True)
    remaining = [t for t in texts if t not in before]
    for text in remaining:
        await sim2.wait_for_sent(lambda m, t=text: m.text == t, timeout=20)
    await asyncio.sleep(0.8)
    delivered = texts_of(sim, sim2)
    assert sorted(delivered) == sorted(texts)  # every one, none twice
    final = await statuses(process.database_url)
    assert set(final.values()) <= {OutboxStatus.SENT, OutboxStatus.UNCERTAIN}
    assert list(final.values()).count(OutboxStatus.UNCERTAIN) <= 1


async def test_messages_leave_no_faster_than_the_interval(make_bot: BotFactory) -> None:
    interval = 0.2
    process = await make_bot(interval=interval)
    texts = [f"限速{n}" for n in range(6)]
    await queue_rows(process.database_url, texts)
    sim = await connect(process)
    for _ in texts:
        await sim.wait_for_sent(timeout=10)
    times = [m.time for m in sim.sent]
    assert [m.text for m in sim.sent] == texts
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval, gaps


async def test_private_message_through_group_temp_session_and_unreachable_report(
    make_bot: BotFactory,
) -> None:
    process = await make_bot()
    sim = await connect(process)
    sim.add_group(STAFF_GROUP, "县政协机关")
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
    await sim.post_group_message(STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await sim.wait_for_sent(lambda m: m.group_id == STAFF_GROUP, timeout=10)
    sim.add_member(GROUP, 20001, nickname="张委员", card="农业界-张三")  # not a friend

    db = Database(process.database_url)
    try:
        outbox = OutboxService(db, SystemClock())
        await outbox.enqueue(Target.private("20001"), "请评价提案第1号", purpose="reminder")
        await outbox.enqueue(Target.private("20999"), "找不到的人", purpose="reminder")
    finally:
        await db.dispose()

    private = await sim.wait_for_sent(lambda m: m.message_type == "private", timeout=10)
    assert private.user_id == 20001
    assert private.text == "请评价提案第1号"
    assert int(private.params["group_id"]) == GROUP  # a temporary session through the group
    report = await sim.wait_for_sent(lambda m: m.group_id == STAFF_GROUP, timeout=15)
    assert "QQ 20999" in report.text
    assert "不是机器人的好友" in report.text
    assert "找不到的人" in report.text


async def _wait_for_status(url: str, text: str, wanted: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while (await statuses(url)).get(text) != wanted:
        assert asyncio.get_running_loop().time() < deadline, await statuses(url)
        await asyncio.sleep(0.2)


async def test_a_send_answered_ok_with_a_retcode_is_a_failure(make_bot: BotFactory) -> None:
    """Lagrange answers some refused sends with status ok and the server's result code: the
    bot counts them as failed (120, muted: not sent again) or retries them (other codes),
    never as sent."""
    process = await make_bot()
    url = process.database_url
    sim = await connect(process)
    sim.fail_next("send_group_msg", retcode=120, status="ok")
    await queue_rows(url, ["禁言群里的提醒"])
    await _wait_for_status(url, "禁言群里的提醒", OutboxStatus.FAILED)
    assert texts_of(sim) == []
    db = Database(url)
    try:
        async with db.session() as session:
            (row,) = (await session.exec(select(OutboxMessage))).all()
    finally:
        await db.dispose()
    assert "retcode=120" in row.last_error
    # another code: retried, then delivered once
    sim.fail_next("send_group_msg", retcode=9057, status="ok")
    await queue_rows(url, ["第二条提醒"])
    await _wait_for_status(url, "第二条提醒", OutboxStatus.SENT, timeout=60)
    assert texts_of(sim) == ["第二条提醒"]
    await sim.close()
