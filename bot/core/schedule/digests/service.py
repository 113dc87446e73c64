"""DigestService: the schedules (digest_schedule), and idempotent runs — each (kind, group,
period) handled once, its DigestRun row and its outbox row written in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from bot.core.clock import Clock, as_utc, to_local
from bot.core.delivery.fallback import unreachable_between
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import (
    ChannelBinding,
    DigestKind,
    DigestRun,
    DigestRunStatus,
    DigestSchedule,
)
from bot.core.public.queries import approved_tips
from bot.core.public.texts import tip_line
from bot.core.schedule.digests import builders, periods, queries
from bot.core.schedule.digests.builders import Digest, MonthFigures
from bot.core.schedule.digests.links import BoardLinks
from bot.core.schedule.digests.plan import plan_news, plan_totals
from bot.core.schedule.digests.words import CHANNEL_OF, DEFAULT_TIME

if TYPE_CHECKING:
    from bot.core.db import Database
    from bot.core.people.channels import ChannelService
    from bot.core.schedule.digests.periods import Period
    from bot.core.schedule.workdays import WorkCalendar
    from bot.core.stats import StatsService

log = logging.getLogger(__name__)

#: How far back the first daily digest of a group looks.
FIRST_WINDOW = timedelta(days=7)
#: The public's proposal tips a weekly digest lists at most (the rest: `线索`).
TIP_DIGEST = 10


@dataclass(frozen=True)
class DigestOutcome:
    kind: DigestKind
    group_id: str
    group_name: str
    period: str
    status: str  # sent | empty | done_before
    news: int = 0


class DigestService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        channels: ChannelService,
        outbox: OutboxService,
        calendar: WorkCalendar,
        stats: StatsService,
        board: BoardLinks | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.channels = channels
        self.outbox = outbox
        self.calendar = calendar
        self.stats = stats
        self.board = board or BoardLinks()

    # ------------------------------------------------------------------ schedules

    async def schedules(self) -> dict[DigestKind, DigestSchedule]:
        """The three schedules (defaults added when missing: 09:00, on)."""
        async with self.db.session() as session:
            rows = {r.kind: r for r in (await session.exec(select(DigestSchedule))).all()}
            missing = [k for k in DigestKind if k.value not in rows]
            if missing:
                for kind in missing:
                    session.add(
                        DigestSchedule(
                            kind=kind.value,
                            hour=DEFAULT_TIME.hour,
                            minute=DEFAULT_TIME.minute,
                            updated_at=self.clock.now(),
                        )
                    )
                try:
                    await session.commit()
                except IntegrityError:
                    await session.rollback()
                rows = {r.kind: r for r in (await session.exec(select(DigestSchedule))).all()}
        return {DigestKind(k): v for k, v in rows.items()}

    async def update_schedule(
        self,
        kind: DigestKind,
        *,
        by: str,
        at: time | None = None,
        enabled: bool | None = None,
    ) -> DigestSchedule:
        await self.schedules()
        async with self.db.session() as session:
            row = (
                await session.exec(select(DigestSchedule).where(DigestSchedule.kind == kind.value))
            ).one()
            if at is not None:
                row.hour, row.minute = at.hour, at.minute
            if enabled is not None:
                row.enabled = enabled
            row.updated_by = by
            row.updated_at = self.clock.now()
            session.add(row)
            await session.commit()
            await session.refresh(row)
            return row

    # ------------------------------------------------------------------ periods (periods.py)

    def send_day(self, kind: DigestKind, d: date) -> date | None:
        """The day in ``d``'s period on which the digest goes (None: daily, not a working day)."""
        return periods.send_day(kind, d, self.calendar)

    def due_period(self, kind: DigestKind, schedule: DigestSchedule) -> Period | None:
        """The period whose digest is due now (its send moment passed, still catchable), if any."""
        at = time(schedule.hour, schedule.minute)
        return periods.due_period(kind, self.clock.now(), at, self.calendar)

    # ------------------------------------------------------------------ running

    async def run_due(self) -> list[DigestOutcome]:
        """Every enabled digest whose time has come and that was not sent for its period yet
        (the scheduled jobs and the catch-up at start both call this)."""
        outcomes: list[DigestOutcome] = []
        schedules = await self.schedules()
        for kind in DigestKind:
            schedule = schedules[kind]
            if not schedule.enabled:
                continue
            period = self.due_period(kind, schedule)
            if period is not None:
                outcomes += await self._run_period(period)
        return outcomes

    async def run_now(self, kind: DigestKind) -> list[DigestOutcome]:
        """`推送 立即`: build and send now, whatever the schedule (still nothing when empty)."""
        await self.schedules()
        return await self._run_period(periods.manual_period(kind, self.clock.now()))

    async def _run_period(self, period: Period) -> list[DigestOutcome]:
        outcomes = []
        for binding in await self.channels.by_kind(CHANNEL_OF[period.kind]):
            if period.scheduled_at is not None and as_utc(binding.bound_at) > period.scheduled_at:
                continue  # bound after this period's digest was due: it starts with the next one
            try:
                outcomes.append(await self._run_one(period, binding))
            except Exception:
                log.exception("digest %s for group %s failed", period.kind, binding.group_id)
        return outcomes

    async def _run_one(self, period: Period, binding: ChannelBinding) -> DigestOutcome:
        name = binding.group_name or binding.group_id

        def outcome(status: str, news: int = 0) -> DigestOutcome:
            return DigestOutcome(period.kind, binding.group_id, name, period.key, status, news)

        if await self._done_before(period, binding):
            return outcome("done_before")
        start = period.start or await self._daily_start(binding)
        digest = await self.build(period, binding, start)
        run = DigestRun(
            kind=period.kind.value,
            platform=binding.platform,
            group_id=binding.group_id,
            period=period.key,
            status=DigestRunStatus.SENT if digest.news else DigestRunStatus.EMPTY,
            window_start=start,
            window_end=period.end,
            item_count=digest.news,
            manual=period.manual,
            created_at=self.clock.now(),
        )
        if not await self._record(run, digest, period, binding):
            return outcome("done_before")
        return outcome("sent" if digest.news else "empty", digest.news)

    async def _done_before(self, period: Period, binding: ChannelBinding) -> bool:
        async with self.db.session() as session:
            done = (
                await session.exec(
                    select(DigestRun.id).where(
                        DigestRun.kind == period.kind.value,
                        DigestRun.group_id == binding.group_id,
                        DigestRun.period == period.key,
                    )
                )
            ).first()
        return done is not None

    async def _record(
        self, run: DigestRun, digest: Digest, period: Period, binding: ChannelBinding
    ) -> bool:
        """Write the run and queue the digest (when it has news) in one transaction; False when
        another attempt handled this (kind, group, period) first."""
        try:
            async with self.db.session() as session:
                session.add(run)
                await session.flush()
                if digest.news:
                    message = await self.outbox.enqueue(
                        Target.group(binding.group_id, binding.platform),
                        digest.parts(),
                        purpose="digest",
                        dedup_key=f"digest:{period.kind.value}:{binding.group_id}:{period.key}",
                        as_forward=digest.as_forward,
                        session=session,
                    )
                    if message is None:  # queued before (should not happen without a run)
                        await session.rollback()
                        return False
                    run.outbox_id = message.id
                    session.add(run)
                await session.commit()
        except IntegrityError:
            return False
        return True

    async def _daily_start(self, binding: ChannelBinding) -> datetime:
        """Since the group's last daily digest; the first one: since the group was bound, but at
        most :data:`FIRST_WINDOW` back (a group bound long before digests started)."""
        async with self.db.session() as session:
            last = (
                await session.exec(
                    select(func.max(DigestRun.window_end)).where(
                        DigestRun.kind == DigestKind.DAILY.value,
                        DigestRun.group_id == binding.group_id,
                    )
                )
            ).first()
        if last is not None:
            return as_utc(last)
        return max(as_utc(binding.bound_at), self.clock.now() - FIRST_WINDOW)

    # ------------------------------------------------------------------ content (builders.py)

    async def build(self, period: Period, binding: ChannelBinding, start: datetime) -> Digest:
        if period.kind is DigestKind.DAILY:
            changes = await queries.changes(self.db, start, period.end)
            awaiting = await queries.awaiting_evaluation(self.db)
            plan = await plan_news(self.db, start, period.end)
            return builders.daily(period, changes, awaiting, plan, self.board)
        if period.kind is DigestKind.WEEKLY:
            sector = binding.sector or ""
            changes = await queries.changes(self.db, start, period.end, sector)
            year = builders.weekly_year(period)
            totals = await queries.sector_counts(self.db, sector, year) if changes.count else {}
            tips = await approved_tips(self.db, since=start, until=period.end, limit=TIP_DIGEST)
            return builders.weekly(period, sector, changes, totals, [tip_line(t) for t in tips])
        return builders.monthly(period, await self._month_figures(period, start))

    async def _month_figures(self, period: Period, start: datetime) -> MonthFigures:
        year = builders.covered_year(start)
        today = to_local(self.clock.now()).date()
        return MonthFigures(
            year=year,
            today=today,
            counts=await self.stats.counts_between(start, period.end),
            proposals=await self.stats.proposals(year),
            opinions=await self.stats.opinions(year),
            overdue=await self.stats.overdue(today),
            unannounced=await queries.unannounced_counts(self.db, start, period.end),
            plan=await plan_totals(self.db, year, today),
            units=await self.stats.units(year),
            board=self.board,
            key=await queries.key_proposals(self.db, year),
            unreachable=[
                f"{p.name}（QQ {p.user_id}）"
                for p in await unreachable_between(self.db, start, period.end)
            ],
        )

    # ------------------------------------------------------------------ display

    async def last_runs(self) -> dict[DigestKind, DigestRun | None]:
        result: dict[DigestKind, DigestRun | None] = {}
        async with self.db.session() as session:
            for kind in DigestKind:
                result[kind] = (
                    await session.exec(
                        select(DigestRun)
                        .where(DigestRun.kind == kind.value)
                        .order_by(col(DigestRun.created_at).desc(), col(DigestRun.id).desc())
                    )
                ).first()
        return result
