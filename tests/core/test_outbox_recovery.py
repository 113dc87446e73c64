"""A one-to-one message in flight when the bot died is sent once more, marked 补发; a group
message is not (at most once: see bot/core/delivery/recovery.py for why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.delivery.failures import RESEND_AFTER_TIMEOUT, DeliveryError, FailureKind
from bot.core.delivery.outbox import RESENT_PREFIX, Target, mention_part, text_part
from bot.core.models import OutboxStatus
from tests.core.test_outbox_sender import (  # the sender tests' fake client and helpers
    Crash,
    FakeTransport,
    _close_senders,
    drain,
    make_sender,
    queue,
    rows,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

__all__ = ["_close_senders"]

PRIVATE = Target.private("20001")
ANSWER = "您的提案第1号已答复（B类），请发送“评价 1 满意|基本满意|不满意”评价办理情况。"


async def crash_during_call(services: Services, *, deliver: bool = True) -> FakeTransport:
    """The bot dies with the first due row `sending` (the call reached the client or not)."""
    transport = FakeTransport()
    transport.script = [("deliver-then", Crash()) if deliver else Crash()]
    with pytest.raises(Crash):
        await make_sender(services, transport).step()
    return transport


async def test_private_notice_in_flight_is_resent_once_marked_as_such(services: Services) -> None:
    row = await queue(services, ANSWER, target=PRIVATE, purpose="workflow")
    await crash_during_call(services, deliver=False)  # the call never reached the client
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    report = await sender.recover()
    assert report.resent == [row.id]
    assert report.uncertain == []
    await drain(sender)
    assert [text for _, text in restarted.delivered] == [RESENT_PREFIX + ANSWER]
    [after] = await rows(services)
    assert after.status == OutboxStatus.SENT
    assert after.timeouts == 1


async def test_resent_at_most_once(services: Services, clock: FakeClock) -> None:
    """The resend itself is cut off by a second crash: the row is given up, not sent a third
    time (and a notice that had timed out before counts the same)."""
    crashed = await queue(services, "第一条", target=PRIVATE)
    await crash_during_call(services)
    sender = make_sender(services, FakeTransport())
    assert (await sender.recover()).resent == [crashed.id]
    await crash_during_call(services)
    timed_out = await queue(services, "第二条", target=PRIVATE)
    transport = FakeTransport()
    transport.script = [DeliveryError(FailureKind.UNCERTAIN, "发送超时", "retcode=1200 Timeout")]
    sender = make_sender(services, transport)
    assert await sender.step()  # 第二条 timed out once: pending for its one resend
    await sender.close()
    clock.advance(RESEND_AFTER_TIMEOUT)
    await crash_during_call(services)  # ... which the crash cuts off
    report = await make_sender(services, FakeTransport()).recover()
    assert sorted(report.uncertain) == [crashed.id, timed_out.id]
    assert report.resent == []
    assert {r.status for r in await rows(services)} == {OutboxStatus.UNCERTAIN}


async def test_group_message_in_flight_is_not_resent(services: Services) -> None:
    row = await queue(services, "【日报】今日新提交提案3件", purpose="digest")
    transport = await crash_during_call(services)
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    report = await sender.recover()
    assert report.uncertain == [row.id]
    assert report.resent == []
    await drain(sender)
    assert [text for _, text in transport.delivered + restarted.delivered] == [
        "【日报】今日新提交提案3件"
    ]


async def test_mark_goes_on_the_first_text_and_only_once(services: Services) -> None:
    parts = [mention_part("20001"), text_part(RESENT_PREFIX + "已登记：提案第1号")]
    row = await queue(services, parts, target=PRIVATE, purpose="confirmation")
    await crash_during_call(services)
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    assert (await sender.recover()).resent == [row.id]
    await drain(sender)
    [after] = await rows(services)
    assert after.parts == parts  # already marked (a queued confirmation): not marked twice


async def test_later_part_in_flight_is_resent_without_a_mark(services: Services) -> None:
    lines = [f"{n}:" + "字" * 800 for n in range(3)]  # three parts
    await queue(services, "\n".join(lines), target=PRIVATE)
    transport = FakeTransport()
    transport.script = [None, Crash()]  # the second part's call never reached the client
    sender = make_sender(services, transport)
    assert await sender.step()
    with pytest.raises(Crash):
        await sender.step()
    restarted = FakeTransport()
    sender = make_sender(services, restarted)
    assert len((await sender.recover()).resent) == 1
    await drain(sender)
    assert [text for _, text in transport.delivered + restarted.delivered] == lines
