"""The one way a reminder stage is handled: once. Its key goes to ``reminder_log`` in the same
transaction as the messages it queues, so a crash or a second sweep (this process or another)
never repeats it; keys known to be handled are cached (they are never un-handled)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.delivery.notify import Notifier
from bot.core.delivery.outbox import OutboxService
from bot.core.models import ReminderLog
from bot.core.people.channels import ChannelService
from bot.core.schedule.workdays import WorkCalendar

log = logging.getLogger(__name__)

#: Keys looked up per query.
KEY_BATCH = 500
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
    skipped_quiet: bool = False
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
        session.add(
            ReminderLog(key=key, record_id=record_id, queued=queued, created_at=self.clock.now())
        )

    @asynccontextmanager
    async def transaction(self, key: str) -> AsyncIterator[_Transaction]:
        """One stage's transaction: its messages and its log entries commit together, or not
        at all (a concurrent sweep that handled the same stage makes this one a no-op)."""
        stage = _Transaction()
        try:
            async with self.db.session() as session:
                stage.session = session
                yield stage
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
        sent: list[tuple[Reminder, int]] = []
        for reminder in reminders:
            if reminder.key in done:
                continue
            queued = await self.send(reminder)
            if queued is not None:
                sent.append((reminder, queued))
                report.keys.append(reminder.key)
        return sent


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
