"""A group message that fails for good through one account is handed, once, to another account
in the group; a sender whose lease is gone stops before its next claim (bot/core/delivery)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.delivery.failures import DeliveryError, FailureKind
from bot.core.delivery.outbox import Target
from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.models import OutboxMessage, OutboxStatus
from tests.core.test_outbox_sender import FakeTransport

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.delivery.claims import QueuedMessage
    from bot.core.services import Services

A, B = "10000", "10001"
NOT_IN_GROUP = DeliveryError(
    FailureKind.PERMANENT, "机器人不在该群、已被移出或被禁言", "retcode=100"
)

_made: list[OutboxSender] = []


@pytest.fixture(autouse=True)
async def _close_senders() -> AsyncIterator[None]:
    yield
    while _made:
        await _made.pop().claims.connection.close()


def sender(services: Services, transport: FakeTransport, **options: object) -> OutboxSender:
    made = OutboxSender(services.db, services.clock, transport, RateLimiter(0), **options)  # type: ignore[arg-type]
    _made.append(made)
    return made


async def drain(made: OutboxSender) -> None:
    while await made.step():
        pass
    await made.claims.flush()


async def only_row(services: Services) -> OutboxMessage:
    async with services.db.session() as session:
        (row,) = (await session.exec(select(OutboxMessage))).all()
    return row


def other_than(account: str):  # type: ignore[no-untyped-def]
    asked: list[QueuedMessage] = []

    def alternate(message: QueuedMessage) -> str | None:
        asked.append(message)
        return next(a for a in (A, B) if a != account)

    return alternate, asked


async def test_a_failed_group_message_goes_once_through_the_other_account(
    services: Services,
) -> None:
    await services.outbox.enqueue(Target.group("555"), "通知", bot_id=A)
    first, second = FakeTransport(A), FakeTransport(B)
    first.script = [NOT_IN_GROUP]
    woken: list[int] = []
    alternate, asked = other_than(A)
    await drain(sender(services, first, alternate=alternate, on_rerouted=lambda: woken.append(1)))
    row = await only_row(services)
    assert (row.status, row.bot_id, row.rerouted_from) == (OutboxStatus.PENDING, B, A)
    assert row.attempts == 0
    assert row.last_error.startswith(f"经账号{A}发送失败")
    assert woken == [1]
    assert [m.id for m in asked] == [row.id]
    await drain(sender(services, first))  # A may not take it back
    assert len(first.calls) == 1
    await drain(sender(services, second))
    row = await only_row(services)
    assert (row.status, row.claimed_by, row.rerouted_from) == (OutboxStatus.SENT, B, A)
    assert second.delivered == [(row.id, "通知")]


async def test_a_second_failure_is_final_and_reported(services: Services) -> None:
    await services.outbox.enqueue(Target.group("555"), "通知", bot_id=A)
    first, second = FakeTransport(A), FakeTransport(B)
    first.script, second.script = [NOT_IN_GROUP], [NOT_IN_GROUP]
    reported: list[int] = []
    alternate_a, _ = other_than(A)
    alternate_b, asked_b = other_than(B)
    await drain(sender(services, first, alternate=alternate_a))
    await drain(
        sender(services, second, alternate=alternate_b, on_failure=lambda: reported.append(1))
    )
    row = await only_row(services)
    assert (row.status, row.claimed_by, row.rerouted_from) == (OutboxStatus.FAILED, B, A)
    assert asked_b == []  # handed over once: never back
    assert reported == [1]


async def test_no_other_account_fails_as_before(services: Services) -> None:
    await services.outbox.enqueue(Target.group("555"), "通知")
    first = FakeTransport(A)
    first.script = [NOT_IN_GROUP]
    await drain(sender(services, first, alternate=lambda message: None))
    row = await only_row(services)
    assert (row.status, row.rerouted_from) == (OutboxStatus.FAILED, None)


async def test_one_to_one_and_uncertain_messages_are_not_handed_over(
    services: Services,
) -> None:
    await services.outbox.enqueue(Target.private("20001"), "私聊通知")
    first = FakeTransport(A)
    first.script = [DeliveryError(FailureKind.PERMANENT, "私聊发送被拒绝")]
    alternate, asked = other_than(A)
    await drain(sender(services, first, alternate=alternate))
    assert (await only_row(services)).status == OutboxStatus.FAILED
    assert asked == []


async def test_a_sender_without_its_lease_claims_nothing(services: Services) -> None:
    await services.outbox.enqueue(Target.group("555"), "一")
    await services.outbox.enqueue(Target.group("555"), "二")
    transport = FakeTransport(A)
    permitted = [True]
    made = sender(services, transport, permit=lambda: permitted[0])
    assert await made.step()
    permitted[0] = False  # the lease is lost
    assert not await made.step()
    assert made.stopping
    await made.claims.flush()
    assert [text for _, text in transport.delivered] == ["一"]
    async with services.db.session() as session:
        statuses = (
            await session.exec(select(OutboxMessage.status).order_by(OutboxMessage.id))
        ).all()
    assert statuses == [OutboxStatus.SENT, OutboxStatus.PENDING]


async def test_two_failure_reports_at_once_list_each_message_once(services: Services) -> None:
    from bot.core.models import ChannelKind

    await services.channels.bind("900", ChannelKind.STAFF, sector=None, bound_by="10001")
    for n in range(3):
        await services.outbox.enqueue(Target.group("555"), f"通知{n}")
    async with services.db.session() as session:
        for row in (await session.exec(select(OutboxMessage))).all():
            row.status = OutboxStatus.FAILED
            row.last_error = "机器人不在该群"
            session.add(row)
        await session.commit()
    counts = await asyncio.gather(
        services.outbox_reports.report(), services.outbox_reports.report()
    )
    assert sorted(counts) == [0, 3]
    async with services.db.session() as session:
        reports = (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.purpose == "outbox_report")
            )
        ).all()
    assert len(reports) == 1
