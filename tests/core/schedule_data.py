"""Test data for digests, reminders and statistics: records, assignments, answers, evaluations
written straight into the database, at times a FakeClock chooses."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlmodel import select

from bot.core.clock import FakeClock, as_utc, local_zone
from bot.core.models import (
    Answer,
    Assignment,
    Cosign,
    Evaluation,
    OutboxMessage,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
    UnitContact,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from bot.core.services import Services

_numbers = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """An instant given in Asia/Shanghai local time (as UTC)."""
    return as_utc(datetime.combine(date(year, month, day), time(hour, minute), tzinfo=local_zone()))


async def add_record(
    services: Services,
    title: str,
    *,
    kind: RecordKind = RecordKind.PROPOSAL,
    status: RecordStatus = RecordStatus.SUBMITTED,
    proposer: str = "20001",
    name: str = "张三",
    sector: str | None = "农业界",
    private: bool = False,
    at: datetime | None = None,
    year: int | None = None,
    is_key: bool = False,
    round_: int = 1,
    category: str | None = None,
) -> Record:
    now = at or services.clock.now()
    record = Record(
        kind=kind.value,
        year=year or now.astimezone(local_zone()).year,
        number=next(_numbers),
        status=status,
        proposer_user_id=proposer,
        proposer_name=name,
        proposer_sector=sector,
        source_kind="private" if private else "group",
        source_group_id=None if private else "900001",
        title=title,
        body="情况……建议……",
        is_key=is_key,
        round=round_,
        category=category,
        created_at=now,
        updated_at=now,
    )
    async with services.db.session() as session:
        session.add(record)
        await session.flush()
        session.add(
            TimelineEntry(
                record_id=record.id or 0,
                at=now,
                action="submit",
                to_status=RecordStatus.SUBMITTED,
                actor_user_id=proposer,
                actor_name=name,
            )
        )
        await session.commit()
        await session.refresh(record)
    return record


async def change(
    services: Services,
    record: Record,
    status: RecordStatus,
    *,
    at: datetime | None = None,
    public: bool = True,
) -> Record:
    now = at or services.clock.now()
    async with services.db.session() as session:
        fresh = await session.get(Record, record.id)
        assert fresh is not None
        session.add(
            TimelineEntry(
                record_id=fresh.id or 0,
                at=now,
                action=str(status),
                from_status=fresh.status,
                to_status=status,
                public=public,
                actor_name="王秘书",
            )
        )
        fresh.status = status
        fresh.updated_at = now
        session.add(fresh)
        await session.commit()
        await session.refresh(fresh)
        return fresh


async def add_unit(services: Services, name: str, contacts: tuple[str, ...] = ()) -> Unit:
    unit, _ = await services.units.add(name)
    for user_id in contacts:
        await services.units.set_contact(unit, user_id, f"联系人{user_id}")
    return unit


async def assign(
    services: Services,
    record: Record,
    unit: Unit,
    due: date,
    *,
    at: datetime | None = None,
    round_: int = 1,
    role: str = "lead",
) -> Assignment:
    async with services.db.session() as session:
        assignment = Assignment(
            record_id=record.id or 0,
            round=round_,
            unit_id=unit.id or 0,
            role=role,
            due_date=due,
            assigned_at=at or services.clock.now(),
        )
        session.add(assignment)
        await session.commit()
        await session.refresh(assignment)
        return assignment


async def answer(
    services: Services,
    record: Record,
    category: str,
    *,
    at: datetime | None = None,
    round_: int = 1,
    unit: Unit | None = None,
    evaluation_due: date | None = None,
) -> Answer:
    now = at or services.clock.now()
    async with services.db.session() as session:
        row = Answer(
            record_id=record.id or 0,
            round=round_,
            unit_id=unit.id if unit else None,
            category=category,
            answered_at=now,
            evaluation_due=evaluation_due,
        )
        session.add(row)
        for assignment in (
            await session.exec(
                select(Assignment).where(
                    Assignment.record_id == record.id, Assignment.round == round_
                )
            )
        ).all():
            assignment.answered_at = now
            session.add(assignment)
        await session.commit()
        await session.refresh(row)
        return row


async def evaluate(
    services: Services, record: Record, result: str, *, round_: int = 1
) -> Evaluation:
    async with services.db.session() as session:
        row = Evaluation(
            record_id=record.id or 0,
            round=round_,
            result=result,
            user_id=record.proposer_user_id,
            evaluated_at=services.clock.now(),
        )
        session.add(row)
        await session.commit()
        await session.refresh(row)
        return row


async def invite(
    services: Services, record: Record, user_id: str, *, at: datetime | None = None, **kw: Any
) -> Cosign:
    async with services.db.session() as session:
        row = Cosign(
            record_id=record.id or 0,
            user_id=user_id,
            name=f"委员{user_id}",
            created_at=at or services.clock.now(),
            **kw,
        )
        session.add(row)
        await session.commit()
        await session.refresh(row)
        return row


def text_of(message: OutboxMessage) -> str:
    return "\n".join(p.get("text", "") for p in message.parts if p.get("type") == "text")


def set_local(clock: FakeClock, *args: int) -> None:
    clock.set(local(*args))


__all__ = ["UnitContact"]
