"""The outbox sender (framework-free): order, chunks, rate limit, retries, timeouts, crash recovery,
failure reports. A fake transport plays the chat client."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlmodel import select

from bot.core.delivery.chunks import Chunk, ForwardChunk, TextChunk
from bot.core.delivery.failures import (
    BACKOFF,
    MAX_ATTEMPTS,
    REPORT_PURPOSE,
    DeliveryError,
    FailureKind,
)
from bot.core.delivery.outbox import Target, mention_part, text_part
from bot.core.delivery.recovery import STALE_AFTER
from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.models import ChannelKind, OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.delivery.claims import QueuedMessage
    from bot.core.services import Services

ACCOUNT = "10000"


class Crash(BaseException):
    """The process dies (not an Exception: nothing in the sender catches it)."""


class FakeTransport:
    platform = "qq"

    def __init__(self, account: str = ACCOUNT) -> None:
        self.account = account
        self.calls: list[tuple[int, Chunk]] = []
        self.delivered: list[tuple[int, str]] = []
        self.script: list[Any] = []

    async def send(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        self.calls.append((message.id, chunk))
        item = self.script.pop(0) if self.script else None
        if isinstance(item, tuple) and item[0] == "deliver-then":
            self.delivered.append((message.id, chunk.text))
            raise item[1]
        if isinstance(item, BaseException):
            raise item
        self.delivered.append((message.id, chunk.text))
        return f"m{len(self.calls)}"


_made: list[OutboxSender] = []


@pytest.fixture(autouse=True)
async def _close_senders() -> AsyncIterator[None]:
    """Senders driven step by step keep a database connection: return it after each test."""
    yield
    while _made:
        await _made.pop().claims.connection.close()


def make_sender(
    services: Services, transport: FakeTransport, failures: list[int] | None = None
) -> OutboxSender:
    sender = OutboxSender(
        services.db,
        services.clock,
        transport,
        RateLimiter(0),
        on_failure=(lambda: failures.append(1)) if failures is not None else None,
    )
    _made.append(sender)
    return sender


async def drain(sender: OutboxSender, limit: int = 100) -> int:
    steps = 0
    while steps < limit and await sender.step():
        steps += 1
    await sender.close()
    return steps


async def rows(services: Services) -> list[OutboxMessage]:
    async with services.db.session() as session:
        return list((await session.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def queue(services: Services, text: str, **kwargs: Any) -> OutboxMessage:
    target = kwargs.pop("target", Target.group("555"))
    message = await services.outbox.enqueue(target, text, **kwargs)
    assert message is not None
    return message


async def test_sends_in_order_and_marks_sent(services: Services) -> None:
    for n in range(3):
        await queue(services, f"消息{n}")
    transport = FakeTransport()
    sender = make_sender(services, transport)
    assert await drain(sender) == 3
    assert [text for _, text in transport.delivered] == ["消息0", "消息1", "消息2"]
    stored = await rows(services)
    assert [r.status for r in stored] == [OutboxStatus.SENT] * 3
    assert [r.sent_message_id for r in stored] == ["m1", "m2", "m3"]
    assert all(r.claimed_by == ACCOUNT and r.attempts == 1 for r in stored)
    # a second drain (e.g. after a restart) sends nothing again
    assert await drain(make_sender(services, transport)) == 0
    assert len(transport.calls) == 3


async def test_long_text_goes_as_several_messages_in_order(services: Services) -> None:
    lines = [f"第{n}行：" + "内容" * 40 for n in range(60)]  # ~5,000 characters
    await queue(services, "\n".join(lines))
    await queue(services, "之后的消息")
    transport = FakeTransport()
    await drain(make_sender(services, transport))
    texts = [text for _, text in transport.delivered]
    assert len(texts) == 5
    assert all(len(t) <= 1500 for t in texts)
    assert "\n".join(texts[:-1]) == "\n".join(lines)  # split on line boundaries, nothing lost
    assert texts[-1] == "之后的消息"
    first = (await rows(services))[0]
    assert first.status == OutboxStatus.SENT
    assert first.chunks_sent == 4
    assert first.sent_message_id == "m1"


async def test_mentions_stay_with_the_first_part(services: Services) -> None:
    parts = [mention_part("20001"), text_part(" "), text_part("x" * 1400 + "\n" + "y" * 400)]
    await services.outbox.enqueue(Target.group("555"), parts)
    transport = FakeTransport()
    await drain(make_sender(services, transport))
    chunks = [chunk for _, chunk in transport.calls]
    assert len(chunks) == 2
    assert isinstance(chunks[0], TextChunk)
    assert chunks[0].parts[0] == mention_part("20001")
    assert chunks[1].text == "y" * 400


async def test_forward_message_and_plain_text_fallback(services: Services) -> None:
    items = [text_part(f"第{n}项") for n in range(5)]
    await services.outbox.enqueue(Target.group("555"), items, as_forward=True)
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.REFUSED, "不支持", "retcode=1404")]
    await drain(make_sender(services, transport))
    first, second = (chunk for _, chunk in transport.calls)
    assert isinstance(first, ForwardChunk)
    assert first.nodes == [f"第{n}项" for n in range(5)]
    assert isinstance(second, TextChunk)
    assert second.text == "\n\n".join(f"第{n}项" for n in range(5))
    row = (await rows(services))[0]
    assert row.status == OutboxStatus.SENT
    assert not row.as_forward
    assert "改为文字发送" in row.last_error


async def test_transient_failures_back_off_then_fail(services: Services, clock: FakeClock) -> None:
    await queue(services, "重试我")
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.TRANSIENT, "网络错误")] * MAX_ATTEMPTS
    failures: list[int] = []
    sender = make_sender(services, transport, failures)
    for attempt in range(1, MAX_ATTEMPTS):
        assert await sender.step()
        row = (await rows(services))[0]
        assert row.status == OutboxStatus.PENDING
        assert row.attempts == attempt
        assert row.next_attempt_at == clock.now() + BACKOFF[min(attempt, len(BACKOFF)) - 1]
        assert not await sender.step()  # not due yet
        clock.advance(BACKOFF[min(attempt, len(BACKOFF)) - 1])
    assert await sender.step()
    row = (await rows(services))[0]
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error.startswith(f"重试{MAX_ATTEMPTS}次仍失败")
    assert failures == [1]
    assert len(transport.calls) == MAX_ATTEMPTS


async def test_permanent_failure_is_recorded_at_once(services: Services) -> None:
    await queue(services, "发不出去")
    await queue(services, "下一条")
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.PERMANENT, "机器人不在该群", "retcode=100")]
    failures: list[int] = []
    await drain(make_sender(services, transport, failures))
    first, second = await rows(services)
    assert first.status == OutboxStatus.FAILED
    assert first.last_error.startswith("机器人不在该群")
    assert second.status == OutboxStatus.SENT
    assert failures == [1]


async def test_timeout_is_resent_at_most_once(services: Services, clock: FakeClock) -> None:
    await queue(services, "超时一次")
    await queue(services, "超时两次")
    transport = FakeTransport()
    timeout = DeliveryError(FailureKind.UNCERTAIN, "发送超时", "retcode=1200 Timeout")
    transport.script = [timeout, timeout]
    failures: list[int] = []
    sender = make_sender(services, transport, failures)
    await drain(sender)
    assert [r.status for r in await rows(services)] == [OutboxStatus.PENDING] * 2
    clock.advance(timedelta(seconds=5))
    transport.script = [None, timeout]
    await drain(sender)
    once, twice = await rows(services)
    assert once.status == OutboxStatus.SENT
    assert once.timeouts == 1
    assert twice.status == OutboxStatus.UNCERTAIN
    assert twice.timeouts == 2
    assert failures == [1]
    clock.advance(timedelta(hours=1))
    assert await drain(sender) == 0  # never a third call
    assert [mid for mid, _ in transport.calls] == [once.id, twice.id, once.id, twice.id]


async def test_disconnect_leaves_the_row_for_the_next_connection(services: Services) -> None:
    await queue(services, "等连接")
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.DISCONNECTED, "机器人未连接")]
    sender = make_sender(services, transport)
    assert await sender.step()
    assert sender.stopping
    row = (await rows(services))[0]
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 0
    await drain(make_sender(services, FakeTransport()))
    assert (await rows(services))[0].status == OutboxStatus.SENT


async def test_crash_during_call_is_not_resent(services: Services) -> None:
    """Killed after the call reached the client, before the settle: at most once."""
    await queue(services, "只送一次")
    await queue(services, "还没发")
    transport = FakeTransport()
    transport.script = [("deliver-then", Crash())]
    with pytest.raises(Crash):
        await make_sender(services, transport).step()
    first, second = await rows(services)
    assert first.status == OutboxStatus.SENDING
    assert second.status == OutboxStatus.PENDING
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    report = await sender.recover()
    assert report.uncertain == [first.id]
    await drain(sender)
    assert [text for _, text in transport.delivered + restarted.delivered] == ["只送一次", "还没发"]
    first, second = await rows(services)
    assert first.status == OutboxStatus.UNCERTAIN
    assert first.reported_at is not None
    assert second.status == OutboxStatus.SENT


async def test_crash_between_parts_continues_with_the_next_part(services: Services) -> None:
    lines = [f"{n}:" + "字" * 800 for n in range(3)]  # three parts
    await queue(services, "\n".join(lines))
    transport = FakeTransport()
    transport.script = [None, ("deliver-then", Crash())]
    sender = make_sender(services, transport)
    assert await sender.step()
    with pytest.raises(Crash):
        await sender.step()
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    report = await sender.recover()
    assert report.advanced == [(await rows(services))[0].id]
    await drain(sender)
    sent = [text for _, text in transport.delivered + restarted.delivered]
    assert sent == lines  # each part exactly once
    assert (await rows(services))[0].status == OutboxStatus.SENT


async def test_recovery_leaves_other_accounts_fresh_calls_alone(
    services: Services, clock: FakeClock
) -> None:
    other = await queue(services, "另一个账号正在发")
    stale = await queue(services, "早就卡住了")
    async with services.db.session() as session:
        for row, at in ((other, clock.now()), (stale, clock.now() - STALE_AFTER * 2)):
            fresh = await session.get(OutboxMessage, row.id)
            assert fresh is not None
            fresh.status, fresh.claimed_by, fresh.claimed_at = OutboxStatus.SENDING, "20000", at
            session.add(fresh)
        await session.commit()
    report = await make_sender(services, FakeTransport()).recover()
    assert report.uncertain == [stale.id]
    assert (await rows(services))[0].status == OutboxStatus.SENDING


async def test_rows_for_another_account_are_left_to_it(services: Services) -> None:
    await queue(services, "给账号二", bot_id="20000")
    await queue(services, "企业微信的", target=Target.group("555", platform="wecom"))
    await queue(services, "谁都行")
    mine = FakeTransport()
    await drain(make_sender(services, mine))
    assert [text for _, text in mine.delivered] == ["谁都行"]
    theirs = FakeTransport("20000")
    await drain(make_sender(services, theirs))
    assert [text for _, text in theirs.delivered] == ["给账号二"]


async def test_not_before_delays_the_message(services: Services, clock: FakeClock) -> None:
    await queue(services, "明早再发", not_before=clock.now() + timedelta(hours=1))
    sender = make_sender(services, FakeTransport())
    assert await drain(sender) == 0
    assert await sender.next_due_at() == clock.now() + timedelta(hours=1)
    clock.advance(timedelta(hours=1))
    assert await drain(sender) == 1


async def test_run_loop_is_woken_by_enqueue_and_stops(services: Services) -> None:
    transport = FakeTransport()
    sender = OutboxSender(services.db, services.clock, transport, RateLimiter(0), poll_interval=60)
    services.outbox.on_enqueue(sender.wake)
    try:
        task = asyncio.create_task(sender.run())
        await asyncio.sleep(0.05)
        async with services.db.session() as session:
            await services.outbox.enqueue(Target.group("555"), "在事务里排队", session=session)
            await session.commit()
        for _ in range(100):
            if transport.delivered:
                break
            await asyncio.sleep(0.02)
        assert [text for _, text in transport.delivered] == ["在事务里排队"]
        sender.stop()
        await asyncio.wait_for(task, 5)
    finally:
        services.outbox._listeners.remove(sender.wake)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_rate_limiter_spaces_calls_from_the_end_of_the_last() -> None:
    fake = FakeTime()
    limiter = RateLimiter(1.5, 0.3, monotonic=fake.monotonic, sleep=fake.sleep, rng=lambda: 0.5)
    await limiter.wait()
    assert fake.sleeps == []  # the first call goes at once
    fake.now += 0.2  # the call takes 0.2 s
    limiter.done()
    await limiter.wait()
    assert fake.sleeps == [pytest.approx(1.65)]
    off = RateLimiter(0, 0, monotonic=fake.monotonic, sleep=fake.sleep)
    off.done()
    assert off.delay() == 0


async def test_rate_limited_sender_waits_between_calls(services: Services) -> None:
    for n in range(3):
        await queue(services, f"限速{n}")
    fake = FakeTime()
    transport = FakeTransport()
    sender = OutboxSender(
        services.db,
        services.clock,
        transport,
        RateLimiter(1.5, 0, monotonic=fake.monotonic, sleep=fake.sleep),
    )
    _made.append(sender)
    await drain(sender)
    assert len(transport.delivered) == 3
    # before the 2nd and 3rd call (and before the look that finds nothing more)
    assert fake.sleeps == [pytest.approx(1.5)] * 3
    assert [r.status for r in await rows(services)] == [OutboxStatus.SENT] * 3


# ---------------------------------------------------------------------- failure reports


async def test_failures_are_reported_to_staff_once(services: Services) -> None:
    await services.channels.bind("900", ChannelKind.STAFF, sector=None, bound_by="1")
    await queue(services, "给张三的提醒：提案第17号还没有评价", target=Target.private("20001"))
    await queue(services, "给群的通知", target=Target.group("555"))
    transport = FakeTransport()
    transport.script = [
        DeliveryError(FailureKind.UNREACHABLE, "不是机器人的好友，也无法通过所在群的临时会话联系"),
        DeliveryError(FailureKind.PERMANENT, "机器人不在该群、已被移出或被禁言", "retcode=100"),
    ]
    await drain(make_sender(services, transport))
    assert await services.outbox_reports.report() == 2
    assert await services.outbox_reports.report() == 0  # once
    reports = [r for r in await rows(services) if r.purpose == REPORT_PURPOSE]
    assert len(reports) == 1
    assert reports[0].target_id == "900"
    text = reports[0].parts[0]["text"]
    assert text.startswith("有 2 条消息未能送达")
    assert "私聊QQ 20001的通知未送达：不是机器人的好友" in text
    assert "群“555”（555）的通知未送达：机器人不在该群" in text
    assert "请联系本人加机器人为好友" in text


async def test_failures_wait_for_a_staff_group(services: Services) -> None:
    await queue(services, "没人知道")
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.PERMANENT, "机器人不在该群")]
    await drain(make_sender(services, transport))
    assert await services.outbox_reports.report() == 0
    await services.channels.bind("900", ChannelKind.STAFF, sector=None, bound_by="1")
    assert await services.outbox_reports.report() == 1


async def test_a_failed_report_is_not_reported(services: Services) -> None:
    await services.channels.bind("900", ChannelKind.STAFF, sector=None, bound_by="1")
    await queue(services, "报告本身", purpose=REPORT_PURPOSE, target=Target.group("900"))
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.PERMANENT, "机器人不在该群")]
    await drain(make_sender(services, transport))
    assert await services.outbox_reports.report() == 0
    assert len(await rows(services)) == 1
    assert (await rows(services))[0].reported_at is not None


async def test_hot_connection_is_autocommit_and_on_postgresql_does_not_wait_for_the_disk(
    services: Services,
) -> None:
    from sqlalchemy import text

    sender = make_sender(services, FakeTransport())
    conn = await sender.claims.connection.get()
    assert conn.sync_connection is not None
    assert conn.sync_connection.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
    if not services.db.is_sqlite:
        shown = (await conn.execute(text("SHOW synchronous_commit"))).scalar_one()
        assert shown == "off"
        async with services.db.session() as session:  # other connections keep the default
            other = (await session.exec(text("SHOW synchronous_commit"))).scalar_one()  # type: ignore[call-overload]
        assert other == "on"
