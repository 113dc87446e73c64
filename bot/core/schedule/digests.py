"""Digests: 日报 to whole-body groups, 周报 to sector groups, 月报 to the staff group.

Rules
-----
- **日报** (daily): on working days at the scheduled time (default 09:00); what happened *since the
  last daily digest of that group*: new proposals, opinion leads and topics, state changes, and how
  many answers await the proposer's evaluation.
- **周报** (weekly): on the first working day of the week (Monday, unless it is a holiday); the
  sector's members' records: new ones and progress during the previous week (Monday–Sunday), and
  the sector's totals for the year.
- **月报** (monthly): on the first working day of the month (the 1st is often a holiday, e.g.
  元旦, 五一, 国庆): the previous month's new records, answers and conclusions, the year's rates
  (bot/core/schedule/stats.py) and the overdue units.

A digest with nothing new is not sent (and recorded as ``empty``). Each (kind, group, period) is
handled once: the :class:`DigestRun` row and the outbox row are written in one transaction, and the
unique (kind, group, period) makes a second attempt — a restart, a second process, the scheduled
job and a catch-up at once — a no-op. A digest missed while the bot was down is sent when it comes
back: the daily one the same day, the weekly and monthly ones any day of the same week or month;
never during quiet hours (21:00–08:00), and not to a group bound after the digest was due (a group
bound at 14:00 gets its first daily digest the next working day). Records submitted privately are
never listed in a group (they are only counted, as new or as progressed). Members' groups hear of
new records and positive progress only: 不予立案, 未采用 and 撤回 are told to the member
privately and counted in the staff digest (月报) alone. Framework-free.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from bot.core.cleaning import strip_trailing_punctuation
from bot.core.clock import Clock, as_utc, local_instant, to_local
from bot.core.db import Database
from bot.core.delivery.outbox import OutboxService, Part, Target, text_part
from bot.core.errors import InvalidInput
from bot.core.models import (
    ChannelBinding,
    ChannelKind,
    DigestKind,
    DigestRun,
    DigestRunStatus,
    DigestSchedule,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.people.channels import ChannelService
from bot.core.records.kinds import RecordKind
from bot.core.records.service import record_label
from bot.core.schedule.quiet_hours import QUIET_FROM, QUIET_UNTIL, is_quiet
from bot.core.schedule.stats import ACCEPTED_STATES, StatsService, overdue_by_unit
from bot.core.schedule.workdays import WorkCalendar

log = logging.getLogger(__name__)

CHANNEL_OF = {
    DigestKind.DAILY: ChannelKind.WHOLE,
    DigestKind.WEEKLY: ChannelKind.SECTOR,
    DigestKind.MONTHLY: ChannelKind.STAFF,
}
DEFAULT_TIME = time(9, 0)
#: More item lines than this and the digest goes as a forward message (合并转发).
FORWARD_THRESHOLD = 10
#: How far back the first daily digest of a group looks.
FIRST_WINDOW = timedelta(days=7)
#: Items listed per section; the rest are counted.
MAX_LINES = 60
WEEKDAYS = "一二三四五六日"
#: States members' groups are not told of (offices do not announce rejections there): the member
#: is told privately, the staff digest counts them.
UNANNOUNCED = frozenset({RecordStatus.REJECTED, RecordStatus.NOT_ADOPTED, RecordStatus.WITHDRAWN})
KIND_WORDS = {"日报": DigestKind.DAILY, "周报": DigestKind.WEEKLY, "月报": DigestKind.MONTHLY}
SCHEDULE_WORDS = {
    DigestKind.DAILY: "工作日",
    DigestKind.WEEKLY: "每周第一个工作日",
    DigestKind.MONTHLY: "每月第一个工作日",
}
TARGET_WORDS = {
    DigestKind.DAILY: "全体群",
    DigestKind.WEEKLY: "各界别群",
    DigestKind.MONTHLY: "机关群",
}


def parse_kind(word: str) -> DigestKind:
    kind = KIND_WORDS.get(word.strip())
    if kind is None:
        raise InvalidInput(f"不认识“{word[:10]}”，请写 日报、周报 或 月报，例如：推送 立即 日报")
    return kind


def parse_time(text: str) -> time:
    """``09:00`` / ``9:30`` / ``9点`` / ``9点半`` / ``０９：００``; between 08:00 and 20:59."""
    normal = strip_trailing_punctuation(unicodedata.normalize("NFKC", text)).replace("：", ":")
    hour: int | None = None
    minute = 0
    if ":" in normal:
        head, _, tail = normal.partition(":")
        if head.isdigit() and tail.isdigit() and len(tail) == 2:
            hour, minute = int(head), int(tail)
    elif normal.endswith("点半") and normal[:-2].isdigit():
        hour, minute = int(normal[:-2]), 30
    elif normal.endswith("点") and normal[:-1].isdigit():
        hour = int(normal[:-1])
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput(f"看不懂时间“{text[:10]}”，请写成 时:分，例如：推送 设置 日报 09:00")
    moment = time(hour, minute)
    if moment < QUIET_UNTIL or moment >= QUIET_FROM:
        raise InvalidInput(
            "推送时间须在 08:00 到 20:59 之间（晚上 9 点到早上 8 点不打扰委员），"
            "例如：推送 设置 日报 09:00"
        )
    return moment


def local_midnight(d: date) -> datetime:
    return local_instant(d, time(0))


def local_at(d: date, moment: time) -> datetime:
    return local_instant(d, moment)


def month_start(d: date) -> date:
    return d.replace(day=1)


def previous_month(d: date) -> date:
    """The first day of the month before ``d``'s month."""
    first = d.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def short_date(d: date) -> str:
    return f"{d.month}月{d.day}日"


@dataclass(frozen=True)
class Period:
    """What one digest covers. ``start`` None: since the group's last digest of this kind."""

    kind: DigestKind
    key: str
    start: datetime | None
    end: datetime
    label: str
    manual: bool = False
    scheduled_at: datetime | None = None  # when it was due (scheduled runs and catch-up)


@dataclass
class Digest:
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    news: int = 0  # new things; 0 -> not sent

    @property
    def line_count(self) -> int:
        return sum(len(lines) for _, lines in self.sections)

    def text(self) -> str:
        blocks = [self.title]
        for heading, lines in self.sections:
            blocks.append("\n".join([heading, *lines]))
        if self.notes:
            blocks.append("\n".join(self.notes))
        return "\n\n".join(blocks)

    @property
    def as_forward(self) -> bool:
        return self.line_count > FORWARD_THRESHOLD

    def parts(self) -> list[Part]:
        """One text part (an ordinary message), or one part per node of a forward message."""
        if not self.as_forward:
            return [text_part(self.text())]
        nodes = [self.title + ("\n" + "\n".join(self.notes) if self.notes else "")]
        nodes += ["\n".join([heading, *lines]) for heading, lines in self.sections]
        return [text_part(node) for node in nodes]


@dataclass
class Changes:
    """What a members' digest covers: new records and records that moved on (those submitted
    privately only counted)."""

    new: list[Record]
    progress: list[tuple[Record, str]]
    private_new: int = 0
    private_progress: int = 0

    @property
    def count(self) -> int:
        return len(self.new) + len(self.progress) + self.private_new + self.private_progress

    @property
    def private_note(self) -> str:
        """`另有私聊提交的事项：新提交 1 件、有新进展 2 件` ("" when there are none)."""
        parts = []
        if self.private_new:
            parts.append(f"新提交 {self.private_new} 件")
        if self.private_progress:
            parts.append(f"有新进展 {self.private_progress} 件")
        return f"另有私聊提交的事项：{'、'.join(parts)}" if parts else ""


@dataclass(frozen=True)
class DigestOutcome:
    kind: DigestKind
    group_id: str
    group_name: str
    period: str
    status: str  # sent | empty | done_before
    news: int = 0


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"……另有 {len(lines) - MAX_LINES} 项"]


class DigestService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        channels: ChannelService,
        outbox: OutboxService,
        calendar: WorkCalendar,
        stats: StatsService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.channels = channels
        self.outbox = outbox
        self.calendar = calendar
        self.stats = stats

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

    # ------------------------------------------------------------------ calendar rules

    def first_workday(self, start: date, end: date) -> date:
        """The first working day in [start, end]; ``start`` when there is none."""
        d = start
        while d <= end:
            if self.calendar.is_workday(d):
                return d
            d += timedelta(days=1)
        return start

    def send_day(self, kind: DigestKind, d: date) -> date | None:
        """The day in ``d``'s period on which the digest goes (None: daily, not a working day)."""
        if kind is DigestKind.DAILY:
            return d if self.calendar.is_workday(d) else None
        if kind is DigestKind.WEEKLY:
            monday = d - timedelta(days=d.weekday())
            return self.first_workday(monday, monday + timedelta(days=6))
        first = month_start(d)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return self.first_workday(first, last)

    def due_period(self, kind: DigestKind, schedule: DigestSchedule) -> Period | None:
        """The period whose digest is due now (its send moment passed, still catchable), if any."""
        now = self.clock.now()
        if is_quiet(now):
            return None
        local = to_local(now)
        today = local.date()
        send = self.send_day(kind, today)
        if send is None or send > today:
            return None
        moment = time(schedule.hour, schedule.minute)
        if send == today and local.time().replace(tzinfo=None) < moment:
            return None
        period = self.period(kind, today)
        return replace(period, scheduled_at=local_at(send, moment))

    def period(self, kind: DigestKind, today: date, *, manual: bool = False) -> Period:
        now = self.clock.now()
        if manual:
            key = f"manual:{to_local(now):%Y-%m-%dT%H:%M:%S}"
            if kind is DigestKind.DAILY:
                return Period(kind, key, None, now, _day_label(today), manual=True)
            if kind is DigestKind.WEEKLY:
                start = today - timedelta(days=6)
                label = f"{short_date(start)}—{short_date(today)}"
                return Period(kind, key, local_midnight(start), now, label, manual=True)
            first = month_start(today)
            label = f"{first.year}年{first.month}月（截至{short_date(today)}）"
            return Period(kind, key, local_midnight(first), now, label, manual=True)
        if kind is DigestKind.DAILY:
            return Period(kind, today.isoformat(), None, now, _day_label(today))
        if kind is DigestKind.WEEKLY:
            this_monday = today - timedelta(days=today.weekday())
            monday = this_monday - timedelta(days=7)
            year, week, _ = monday.isocalendar()
            label = f"{short_date(monday)}—{short_date(this_monday - timedelta(days=1))}"
            return Period(
                kind,
                f"{year}-W{week:02d}",
                local_midnight(monday),
                local_midnight(this_monday),
                label,
            )
        first = previous_month(today)
        return Period(
            kind,
            f"{first.year}-{first.month:02d}",
            local_midnight(first),
            local_midnight(month_start(today)),
            f"{first.year}年{first.month}月",
        )

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
                outcomes += await self._run_period(period, schedule)
        return outcomes

    async def run_now(self, kind: DigestKind) -> list[DigestOutcome]:
        """`推送 立即`: build and send now, whatever the schedule (still nothing when empty)."""
        schedules = await self.schedules()
        today = to_local(self.clock.now()).date()
        return await self._run_period(self.period(kind, today, manual=True), schedules[kind])

    async def _run_period(self, period: Period, schedule: DigestSchedule) -> list[DigestOutcome]:
        outcomes = []
        for binding in await self.channels.by_kind(CHANNEL_OF[period.kind]):
            if period.scheduled_at is not None and as_utc(binding.bound_at) > period.scheduled_at:
                continue  # bound after this period's digest was due: it starts with the next one
            try:
                outcomes.append(await self._run_one(period, schedule, binding))
            except Exception:
                log.exception("digest %s for group %s failed", period.kind, binding.group_id)
        return outcomes

    async def _run_one(
        self, period: Period, schedule: DigestSchedule, binding: ChannelBinding
    ) -> DigestOutcome:
        name = binding.group_name or binding.group_id

        def outcome(status: str, news: int = 0) -> DigestOutcome:
            return DigestOutcome(period.kind, binding.group_id, name, period.key, status, news)

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
        if done is not None:
            return outcome("done_before")
        start = period.start or await self._daily_start(binding, schedule)
        digest = await self.build(period, binding, start)
        now = self.clock.now()
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
            created_at=now,
        )
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
                        return outcome("done_before")
                    run.outbox_id = message.id
                    session.add(run)
                await session.commit()
        except IntegrityError:
            return outcome("done_before")
        return outcome("sent" if digest.news else "empty", digest.news)

    async def _daily_start(self, binding: ChannelBinding, schedule: DigestSchedule) -> datetime:
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

    # ------------------------------------------------------------------ content

    async def build(self, period: Period, binding: ChannelBinding, start: datetime) -> Digest:
        if period.kind is DigestKind.DAILY:
            return await self.build_daily(period, start)
        if period.kind is DigestKind.WEEKLY:
            return await self.build_weekly(period, binding.sector or "", start)
        return await self.build_monthly(period, start)

    async def _changes(self, start: datetime, end: datetime, sector: str | None = None) -> Changes:
        """What a members' digest may say of ``start`` to ``end`` (only the sector's records
        when given): new records and positive progress; privately submitted ones only counted.
        Rejected, not adopted and withdrawn records are left out altogether (see
        :data:`UNANNOUNCED`)."""
        async with self.db.session() as session:
            query = select(Record).where(
                Record.created_at >= start,
                Record.created_at < end,
                Record.status != RecordStatus.WITHDRAWN,
            )
            if sector is not None:
                query = query.where(Record.proposer_sector == sector)
            new = list((await session.exec(query.order_by(col(Record.id)))).all())
            changes = select(TimelineEntry, Record).join(
                Record, col(Record.id) == col(TimelineEntry.record_id)
            )
            changes = changes.where(
                TimelineEntry.at >= start,
                TimelineEntry.at < end,
                col(TimelineEntry.to_status).is_not(None),
                TimelineEntry.public,
                TimelineEntry.action != "submit",
            )
            if sector is not None:
                changes = changes.where(Record.proposer_sector == sector)
            rows = (
                await session.exec(changes.order_by(col(TimelineEntry.at), col(TimelineEntry.id)))
            ).all()
        new_ids = {r.id for r in new}
        latest: dict[int, tuple[Record, str]] = {}
        for entry, record in rows:
            if record.id in new_ids or entry.to_status == RecordStatus.SUBMITTED:
                continue
            latest[record.id or 0] = (record, entry.to_status or record.status)
        # a rejection is told to its member privately, never announced in a members' group
        new = [r for r in new if r.status not in UNANNOUNCED]
        moved = [
            (r, s)
            for r, s in latest.values()
            if s not in UNANNOUNCED and r.status not in UNANNOUNCED
        ]
        progress = [(r, s) for r, s in moved if r.source_kind != "private"]
        progress.sort(key=lambda item: (item[0].kind, item[0].year, item[0].number))
        return Changes(
            new=[r for r in new if r.source_kind != "private"],
            progress=progress,
            private_new=sum(1 for r in new if r.source_kind == "private"),
            private_progress=len(moved) - len(progress),
        )

    async def _unannounced_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        """How many records became 不予立案 / 已撤回 / 未采用 between ``start`` and ``end`` (for
        the staff digest: members' digests do not name them)."""
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(
                        TimelineEntry.to_status, func.count(func.distinct(TimelineEntry.record_id))
                    )
                    .where(
                        TimelineEntry.at >= start,
                        TimelineEntry.at < end,
                        col(TimelineEntry.to_status).in_([s.value for s in UNANNOUNCED]),
                    )
                    .group_by(TimelineEntry.to_status)
                )
            ).all()
        return {str(status): int(n) for status, n in rows}

    def _record_line(self, record: Record, *, with_person: bool = True, year: int) -> str:
        label = record_label(record, current_year=year)
        line = f"· {label}《{record.title}》"
        if with_person:
            who = record.proposer_name
            if record.proposer_sector:
                who += f"（{record.proposer_sector}）"
            line += f"——{who}"
        if record.status not in (RecordStatus.SUBMITTED, RecordStatus.WITHDRAWN):
            line += f"（{RecordStatus(record.status).label}）"
        return line

    def _progress_line(
        self, record: Record, status: str, *, year: int, with_person: bool = False
    ) -> str:
        label = record_label(record, current_year=year)
        who = f"（{record.proposer_name}）" if with_person else ""
        return f"· {label}《{record.title}》{who}：{RecordStatus(status).label}"

    async def build_daily(self, period: Period, start: datetime) -> Digest:
        year = to_local(period.end).year
        changes = await self._changes(start, period.end)
        new, progress = changes.new, changes.progress
        digest = Digest(f"【日报】{period.label}")
        if new:
            lines = [self._record_line(r, year=year) for r in new]
            digest.sections.append((f"新提交（{len(new)}）：", _listed(lines)))
        if progress:
            lines = [self._progress_line(r, s, year=year) for r, s in progress]
            digest.sections.append((f"办理进展（{len(progress)}）：", _listed(lines)))
        if changes.private_note:
            digest.notes.append(f"{changes.private_note}，提交人可发送“我的”查看。")
        digest.news = changes.count
        waiting = await self._awaiting_evaluation()
        if waiting:
            digest.notes.append(f"目前有 {waiting} 件提案已答复、待提案人评价。")
        if digest.news:
            digest.notes.append("发送“查提案 编号”可查看详情。")
        return digest

    async def _awaiting_evaluation(self) -> int:
        async with self.db.session() as session:
            return (
                await session.exec(
                    select(func.count()).where(
                        Record.kind == RecordKind.PROPOSAL.value,
                        Record.status == RecordStatus.ANSWERED,
                    )
                )
            ).one()

    async def build_weekly(self, period: Period, sector: str, start: datetime) -> Digest:
        year = to_local(period.end - timedelta(seconds=1)).year
        changes = await self._changes(start, period.end, sector)
        new, progress = changes.new, changes.progress
        digest = Digest(f"【{sector}周报】{period.label}")
        if new:
            lines = [self._record_line(r, year=year) for r in new]
            digest.sections.append((f"本界别委员新提交（{len(new)}）：", _listed(lines)))
        if progress:
            lines = [self._progress_line(r, s, year=year, with_person=True) for r, s in progress]
            digest.sections.append((f"办理进展（{len(progress)}）：", _listed(lines)))
        if changes.private_note:
            digest.notes.append(f"{changes.private_note}。")
        digest.news = changes.count
        if digest.news:
            digest.notes.append(await self._sector_totals(sector, year))
        return digest

    async def _sector_totals(self, sector: str, year: int) -> str:
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(Record.status, func.count())
                    .where(
                        Record.kind == RecordKind.PROPOSAL.value,
                        Record.year == year,
                        Record.proposer_sector == sector,
                        Record.status != RecordStatus.WITHDRAWN,
                    )
                    .group_by(Record.status)
                )
            ).all()
        counts = {str(status): int(n) for status, n in rows}
        total = sum(counts.values())
        accepted = sum(n for s, n in counts.items() if s in ACCEPTED_STATES)
        answered = sum(
            counts.get(s, 0)
            for s in (RecordStatus.ANSWERED, RecordStatus.EVALUATED, RecordStatus.CONCLUDED)
        )
        concluded = counts.get(RecordStatus.CONCLUDED, 0)
        return (
            f"本界别委员{year}年共提交提案 {total} 件：已立案 {accepted} 件、"
            f"已答复 {answered} 件、已办结 {concluded} 件。"
        )

    async def build_monthly(self, period: Period, start: datetime) -> Digest:
        covered = to_local(start).date()
        year = covered.year
        today = to_local(self.clock.now()).date()
        counts = await self.stats.counts_between(start, period.end)
        proposals = await self.stats.proposals(year)
        opinions = await self.stats.opinions(year)
        overdue = await self.stats.overdue(today)
        new_total = sum(counts.new_by_kind.values())
        digest = Digest(f"【月报】{period.label} 履职工作统计")
        month_lines = [
            "· 新收："
            + "、".join(
                f"{kind.label} {counts.new_by_kind.get(kind.value, 0)} 件" for kind in RecordKind
            ),
            f"· 答复提案 {counts.answers} 件，办结 {counts.concluded} 件",
        ]
        unannounced = await self._unannounced_counts(start, period.end)
        if unannounced:
            month_lines.append(
                f"· 不予立案 {unannounced.get(RecordStatus.REJECTED, 0)} 件，"
                f"撤回 {unannounced.get(RecordStatus.WITHDRAWN, 0)} 件；"
                f"社情民意信息未采用 {unannounced.get(RecordStatus.NOT_ADOPTED, 0)} 件"
            )
        digest.sections.append(("本期：", month_lines))
        p = proposals
        year_lines = [
            f"· 收到提案 {p.received} 件（不含撤回），立案 {p.accepted} 件，"
            f"立案率 {p.filing_rate.percent()}"
            + (f"；待审查 {p.pending_review} 件" if p.pending_review else ""),
            f"· 交办 {p.assigned} 件，已答复 {p.answered} 件，办复率 {p.answer_rate.percent()}；"
            f"已办结 {p.concluded} 件，办结率 {p.conclusion_rate.percent()}",
        ]
        if p.answered:
            shares = "、".join(
                f"{c}类 {p.categories.get(c, 0)} 件（{p.category_share(c).percent()}）"
                for c in "ABC"
            )
            year_lines.append(f"· 答复类别：{shares}")
        if p.evaluated:
            year_lines.append(
                f"· 委员评价 {p.evaluated} 件：满意率 {p.satisfaction_rate.percent()}"
                f"（其中满意 {p.satisfied_rate.percent()}），"
                f"初次满意率 {p.first_satisfaction_rate.percent()}"
            )
        year_lines.append(
            f"· 社情民意信息 {opinions.received} 件，采用 {opinions.adopted} 件，"
            f"采用率 {opinions.adoption_rate.percent()}"
            + (f"；获批示 {opinions.instructed} 件" if opinions.instructed else "")
        )
        digest.sections.append((f"{year}年累计：", year_lines))
        if overdue:
            lines = []
            for unit, items in overdue_by_unit(overdue).items():
                worst = max(item.workdays_overdue for item in items)
                numbers = "、".join(
                    record_label(item.record, current_year=today.year) for item in items[:5]
                )
                more = f"等{len(items)}件" if len(items) > 5 else ""
                lines.append(
                    f"· {unit}：{len(items)} 件（{numbers}{more}），最长逾期 {worst} 个工作日"
                )
            digest.sections.append((f"逾期未答复（截至{short_date(today)}）：", _listed(lines)))
        digest.news = (
            new_total + counts.answers + counts.concluded + len(overdue) + sum(unannounced.values())
        )
        return digest

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


def _day_label(d: date) -> str:
    return f"{short_date(d)}（星期{WEEKDAYS[d.weekday()]}）"
