"""The one way a reminder stage is handled: once. Its key goes to ``reminder_log`` in the same
transaction as the messages it queues, so a crash or a second sweep (this process or another)
never repeats it; keys known to be handled are cached (they are never un-handled)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from bot.core import batch
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT, Notifier
from bot.core.models import ReminderLog

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.outbox import OutboxService
    from bot.core.people.channels import ChannelService
    from bot.core.schedule.workdays import WorkCalendar

log = logging.getLogger(__name__)

#: Keys looked up per query.
KEY_BATCH = 500
#: Reminder stages handled per transaction.
BATCH = 500
#: Handled keys kept in memory before the cache starts over.
DONE_CACHE_LIMIT = 500_000


@dataclass
class SweepReport:
    deadline: int = 0  # deadline / overdue stages handled
    no_contact: int = 0  # units with nobody to remind (staff told)
    escalated: int = 0  # overdue items reported to staff
    evaluation: int = 0
    cosign_reminded: int = 0
    cosign_lapsed: int = 0
    plan_item: int = 0  # consultation plan items reminded of their deadline
    consultation: int = 0  # lead units reminded to consult the proposer (办理协商)
    lookback: int = 0  # look-backs asked of units (回头看)
    skipped_quiet: bool = False
    stopped: bool = False  # the schedules' lease was lost midway (bot/core/leases.py)
    keys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            self.deadline
            + self.no_contact
            + self.escalated
            + self.evaluation
            + self.cosign_reminded
            + self.cosign_lapsed
            + self.plan_item
            + self.consultation
            + self.lookback
        )


@dataclass(frozen=True)
class Reminder:
    """One stage: its key, its record, and ``queue``: queues its messages in the given session
    and returns how many (logged with the key)."""

    key: str
    record_id: int | None
    queue: Callable[[AsyncSession], Awaitable[int]]


@dataclass
class _Transaction:
    session: AsyncSession = field(default=None)  # type: ignore[assignment]
    committed: bool = False


class Stages:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._done: set[str] = set()  # reminder_log keys known to be handled
        self._done_top = 0

    async def sync(self) -> None:
        """Keys handled are never un-handled, so they are cached; only a table emptied behind
        our back (tests, a restore) invalidates the cache — seen as a smaller highest id."""
        async with self.db.engine.connect() as conn:
            top = (await conn.execute(select(func.max(ReminderLog.id)))).scalar() or 0
        if top < self._done_top or len(self._done) > DONE_CACHE_LIMIT:
            self._done.clear()
        self._done_top = top

    async def done(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` were handled (by this process or another)."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._done]
        async with self.db.engine.connect() as conn:
            for i in range(0, len(wanted), KEY_BATCH):
                batch = wanted[i : i + KEY_BATCH]
                rows = await conn.execute(
                    select(ReminderLog.key).where(col(ReminderLog.key).in_(batch))
                )
                self._done.update(r[0] for r in rows)
        return self._done

    def log(self, session: AsyncSession, key: str, record_id: int | None, queued: int) -> None:
        row = {"key": key, "record_id": record_id, "queued": queued, "created_at": self.clock.now()}
        if not batch.add_row(session, ReminderLog.__table__, row):  # type: ignore[arg-type]
            session.add(ReminderLog(**row))

    @asynccontextmanager
    async def transaction(self, key: str) -> AsyncIterator[_Transaction]:
        """One stage's transaction: its messages and its log entries commit together, or not
        at all (a concurrent sweep that handled the same stage makes this one a no-op)."""
        stage = _Transaction()
        try:
            async with self.db.session() as session:
                stage.session = session
                yield stage
                await batch.flush(session)  # rows a stage noted (batch.start), if any
                await session.commit()
                stage.committed = True
        except IntegrityError:
            log.info("reminder %s was handled concurrently", key)

    async def send(self, reminder: Reminder, *, logged: bool = True) -> int | None:
        """Handle one stage: queue its messages (and, ``logged``, write its key) in one
        transaction. How many were queued, or None when another sweep handled it first.
        Stages that are not logged keep their own record (the items they log themselves, a
        state they change)."""
        async with self.transaction(reminder.key) as stage:
            queued = await reminder.queue(stage.session)
            if logged:
                self.log(stage.session, reminder.key, reminder.record_id, queued)
        return queued if stage.committed else None

    async def send_new(
        self, reminders: list[Reminder], report: SweepReport
    ) -> list[tuple[Reminder, int]]:
        """Each reminder not handled before, once; those sent, with how many were queued."""
        done = await self.done(r.key for r in reminders)
        sent = await self.send_all([r for r in reminders if r.key not in done])
        report.keys.extend(reminder.key for reminder, _ in sent)
        return sent

    async def send_all(
        self, reminders: Sequence[Reminder], *, logged: bool = True
    ) -> list[tuple[Reminder, int]]:
        """:meth:`send` for each reminder, :data:`BATCH` of them a transaction (each stage's
        messages and key still commit together: all of a batch or none). A batch that clashes
        with a stage handled concurrently is redone one stage a transaction. Those sent, with
        how many were queued. (After a long outage, thousands are due at once: one
        transaction each took ~2 ms on SQLite, ~30 s for 14,000.)"""
        sent: list[tuple[Reminder, int]] = []
        for start in range(0, len(reminders), BATCH):
            chunk = reminders[start : start + BATCH]
            done = await self._send_batch(chunk, logged) if len(chunk) > 1 else None
            if done is None:
                done = []
                for reminder in chunk:
                    queued = await self.send(reminder, logged=logged)
                    if queued is not None:
                        done.append((reminder, queued))
            sent.extend(done)
        return sent

    async def _send_batch(
        self, reminders: Sequence[Reminder], logged: bool
    ) -> list[tuple[Reminder, int]] | None:
        """Several stages in one transaction; None (nothing committed) on a clash."""
        try:
            async with self.db.session() as session:
                batch.start(session)
                done = [(reminder, await reminder.queue(session)) for reminder in reminders]
                if logged:
                    for reminder, queued in done:
                        self.log(session, reminder.key, reminder.record_id, queued)
                await batch.flush(session)
                await session.commit()
        except IntegrityError:
            log.info("a batch of %d reminders clashed; one at a time", len(reminders))
            return None
        return done


class StageGroup:
    """A kind of reminder stages (deadlines, evaluations, co-signs): what they work with."""

    def __init__(
        self,
        db: Database,
        calendar: WorkCalendar,
        notifier: Notifier,
        outbox: OutboxService,
        channels: ChannelService,
        stages: Stages,
    ) -> None:
        self.db, self.calendar, self.stages = db, calendar, stages
        self.notifier, self.outbox, self.channels = notifier, outbox, channels

    def to_member(
        self,
        key: str,
        record_id: int,
        user_id: str,
        text: str,
        *,
        purpose: str,
        via_group_id: str | None = None,
    ) -> Reminder:
        """A reminder to one member (one-to-one; through ``via_group_id`` when not a friend)."""

        async def queue(session: AsyncSession) -> int:
            await self.notifier.to_member(
                user_id,
                text,
                purpose=purpose,
                dedup_key=key,
                record_id=record_id,
                via_group_id=via_group_id,
                session=session,
            )
            return 1

        return Reminder(key, record_id, queue)

    def to_unit(
        self, key: str, record_id: int, unit_id: int, text: str, *, tag: str, purpose: str
    ) -> Reminder:
        """A reminder to a unit's contacts (one-to-one, and an @ in the unit groups, which
        read only ``tag`` and a pointer to the private message); queued 0 without a contact."""

        async def queue(session: AsyncSession) -> int:
            return await self.notifier.to_unit(
                unit_id,
                text,
                group_text=f"{tag}{PRIVATE_UNIT_GROUP_TEXT}",
                purpose=purpose,
                dedup_key=key,
                record_id=record_id,
                session=session,
            )

        return Reminder(key, record_id, queue)
