"""Reminders, from one periodic sweep over the database (not one job per deadline).

Rules (working days follow the county's calendar, bot/core/schedule/workdays.py):

- **Deadlines** (承办单位): the unit's contacts are reminded one-to-one (and in the 承办单位群, with
  an @; for a privately submitted proposal the group reads only the @ and a pointer to the private
  message, never the title) 14, 7, 3 and 1 working days before the answer is due — key proposals (重点提案) also at 30 —
  and every 3 working days once it is overdue (the 1st, 4th, 7th… overdue working day). A stage is
  skipped when the assignment was made inside it (a unit given 5 working days is not told "7 days
  left"), and only the latest due stage is sent when several were missed (the bot was down).
- **Escalation**: overdue assignments are reported to the staff group once a week (each item once
  per ISO week; the first sweep of the week lists them all, later ones only newly overdue items).
- **Evaluation** (评价): the lead proposer is asked to evaluate when the answer arrives (by the
  workflow, with the answer itself); the sweep reminds them after 5 and 10 working days.
- **Co-signing** (联名): an invited co-signer who has not confirmed is reminded once after a day;
  the invitation lapses after 3 days (status ``lapsed``) and the proposer is told.
- Nobody is reminded between 21:00 and 08:00 or on rest days: reminder stages wait for the next
  sweep inside working hours. A lapse happens whenever the sweep runs, but its notice is held
  (``not_before``) until working hours.
- Each stage is handled once: its key is written to ``reminder_log`` in the same transaction as the
  messages it queues (the outbox rows have per-recipient dedup keys too), so a crash or a second
  sweep never repeats it. Nobody is reminded of what they have already done: every stage checks the
  current state (answered, evaluated, confirmed) at sweep time.

Framework-free.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock, as_utc, local_instant, to_local
from bot.core.db import Database
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT, Notifier
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import (
    Answer,
    Assignment,
    ChannelKind,
    Cosign,
    CosignStatus,
    Evaluation,
    Record,
    RecordStatus,
    ReminderLog,
    Unit,
)
from bot.core.models.base import UtcDateTime
from bot.core.people.channels import ChannelService
from bot.core.records.kinds import RecordKind
from bot.core.schedule.quiet_hours import QUIET_UNTIL, may_remind
from bot.core.schedule.stats import OPEN_HANDLING
from bot.core.schedule.workdays import WorkCalendar

log = logging.getLogger(__name__)

DEADLINE_STAGES = (14, 7, 3, 1)
KEY_STAGES = (30, 14, 7, 3, 1)
OVERDUE_EVERY = 3
_ASCENDING = tuple(sorted(DEADLINE_STAGES))
_ASCENDING_KEY = tuple(sorted(KEY_STAGES))
EVALUATION_STAGES = (10, 5)
COSIGN_REMIND_AFTER = timedelta(days=1)
COSIGN_LAPSE_AFTER = timedelta(days=3)
COSIGN_OPEN = frozenset({RecordStatus.SUBMITTED, RecordStatus.ACCEPTED})
#: Keys looked up per query.
KEY_BATCH = 500
#: Handled keys kept in memory before the cache starts over.
DONE_CACHE_LIMIT = 500_000


def fmt_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def ref_text(kind: str, number: int, year: int, current_year: int) -> str:
    """What a member types: ``17``, or ``2025-17`` for another year."""
    return str(number) if year == current_year else f"{year}-{number}"


def label(kind: str, number: int, year: int, current_year: int) -> str:
    k = RecordKind(kind)
    return k.describe(number, None if year == current_year else year)


class WorkdayIndex:
    """``workdays_between`` in O(1): prefix counts of working days over a range of dates."""

    def __init__(self, calendar: WorkCalendar, start: date, end: date) -> None:
        self.calendar = calendar
        self.start = start
        self.end = end
        counts = [0]
        d = start
        while d < end:
            d += timedelta(days=1)
            counts.append(counts[-1] + (1 if calendar.is_workday(d) else 0))
        self._counts = counts

    def between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]`` (negative when ``b < a``), like the calendar's."""
        if self.start <= a <= self.end and self.start <= b <= self.end:
            return self._counts[(b - self.start).days] - self._counts[(a - self.start).days]
        return self.calendar.workdays_between(a, b)


def next_allowed(moment: datetime, calendar: WorkCalendar) -> datetime:
    """``moment`` itself when reminders may go out then, else 08:00 of the next working day
    (today's, when it is a working day and not yet 08:00)."""
    if may_remind(moment, calendar):
        return moment
    local = to_local(moment)
    d = local.date()
    if local.time().replace(tzinfo=None) >= QUIET_UNTIL:
        d += timedelta(days=1)
    d = calendar.workday_on_or_after(d)
    return local_instant(d, QUIET_UNTIL)


@dataclass
class SweepReport:
    deadline: int = 0  # deadline / overdue stages handled
    no_contact: int = 0  # units with nobody to remind (staff told)
    escalated: int = 0  # overdue items reported to staff
    evaluation: int = 0
    cosign_reminded: int = 0
    cosign_lapsed: int = 0
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
        )


@dataclass
class _Stage:
    session: AsyncSession = field(default=None)  # type: ignore[assignment]
    committed: bool = False


@dataclass(frozen=True)
class _Open:
    assignment_id: int
    record_id: int
    unit_id: int
    unit_name: str
    due: date
    assigned_at: datetime
    kind: str
    number: int
    year: int
    title: str
    is_key: bool
    private: bool = False  # submitted privately: unit groups read nothing of it

    @property
    def assigned_on(self) -> date:
        return to_local(as_utc(self.assigned_at)).date()


class ReminderService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        calendar: WorkCalendar,
        notifier: Notifier,
        outbox: OutboxService,
        channels: ChannelService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.notifier = notifier
        self.outbox = outbox
        self.channels = channels
        self._done: set[str] = set()  # reminder_log keys known to be handled
        self._done_top = 0
        self._index: WorkdayIndex | None = None
        self._index_day: date | None = None

    async def sweep(self) -> SweepReport:
        report = SweepReport()
        now = self.clock.now()
        today = to_local(now).date()
        index = self._index_for(today)
        await self._sync_done_cache()
        await self._lapse_cosigns(now, report)
        if not may_remind(now, self.calendar):
            report.skipped_quiet = True
            return report
        await self._deadlines(today, index, report)
        await self._evaluations(today, index, report)
        await self._cosign_reminders(now, report)
        return report

    # ------------------------------------------------------------------ bookkeeping

    def _index_for(self, today: date) -> WorkdayIndex:
        if self._index is None or self._index_day != today:
            self._index = WorkdayIndex(
                self.calendar, today - timedelta(days=400), today + timedelta(days=400)
            )
            self._index_day = today
        return self._index

    async def _sync_done_cache(self) -> None:
        """Keys handled are never un-handled, so they are cached; only a table emptied behind
        our back (tests, a restore) invalidates the cache — seen as a smaller highest id."""
        async with self.db.engine.connect() as conn:
            top = (await conn.execute(select(func.max(ReminderLog.id)))).scalar() or 0
        if top < self._done_top or len(self._done) > DONE_CACHE_LIMIT:
            self._done.clear()
        self._done_top = top

    async def _done_keys(self, keys: Iterable[str]) -> set[str]:
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

    def _log(
        self, session: AsyncSession, key: str, record_id: int | None, queued: int
    ) -> ReminderLog:
        entry = ReminderLog(
            key=key, record_id=record_id, queued=queued, created_at=self.clock.now()
        )
        session.add(entry)
        return entry

    @asynccontextmanager
    async def _stage(self, key: str) -> AsyncIterator[_Stage]:
        """One stage's transaction: its messages and its log entry commit together, or not at
        all (a concurrent sweep that handled the same stage makes this one a no-op)."""
        stage = _Stage()
        try:
            async with self.db.session() as session:
                stage.session = session
                yield stage
                await session.commit()
                stage.committed = True
        except IntegrityError:
            log.info("reminder %s was handled concurrently", key)

    # ------------------------------------------------------------------ deadlines

    def _open_filter(self) -> list[Any]:
        return [
            col(Assignment.answered_at).is_(None),
            col(Assignment.round) == col(Record.round),
            # kind first: lets the database start from ix_record_kind_status
            Record.kind == RecordKind.PROPOSAL.value,
            col(Record.status).in_([s.value for s in OPEN_HANDLING]),
        ]

    async def _open_assignments(
        self, horizon: date, key_horizon: date
    ) -> list[tuple[int, date, bool]]:
        """(assignment id, due date, key proposal) of the open assignments of the current round
        due by ``horizon`` (``key_horizon`` for key proposals), overdue ones included. Only what
        deciding needs: the details are read for the few that get a message (two phases keep the
        sweep fast at national scale)."""
        query = (
            select(Assignment.id, Assignment.due_date, Record.is_key)
            .join(Record, col(Record.id) == col(Assignment.record_id))
            .where(
                col(Assignment.due_date) <= key_horizon,
                or_(col(Assignment.due_date) <= horizon, col(Record.is_key).is_(True)),
                *self._open_filter(),
            )
        )
        async with self.db.engine.connect() as conn:
            return [(r[0], r[1], bool(r[2])) for r in (await conn.execute(query)).all()]

    async def _details(self, assignment_ids: Iterable[int]) -> dict[int, _Open]:
        wanted = list(assignment_ids)
        found: dict[int, _Open] = {}
        async with self.db.engine.connect() as conn:
            for i in range(0, len(wanted), KEY_BATCH):
                query = (
                    select(
                        Assignment.id,
                        Assignment.record_id,
                        Assignment.unit_id,
                        Unit.name,
                        Assignment.due_date,
                        Assignment.assigned_at,
                        Record.kind,
                        Record.number,
                        Record.year,
                        Record.title,
                        Record.is_key,
                        Record.source_kind,
                    )
                    .join(Record, col(Record.id) == col(Assignment.record_id))
                    .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                    .where(col(Assignment.id).in_(wanted[i : i + KEY_BATCH]), *self._open_filter())
                )
                for r in (await conn.execute(query)).all():
                    found[r[0]] = _Open(
                        assignment_id=r[0],
                        record_id=r[1],
                        unit_id=r[2],
                        unit_name=r[3],
                        due=r[4],
                        assigned_at=r[5],
                        kind=r[6],
                        number=r[7],
                        year=r[8],
                        title=r[9],
                        is_key=bool(r[10]),
                        private=r[11] == "private",
                    )
        return found

    @staticmethod
    def deadline_stage(days_left: int, days_at_assign: int, is_key: bool) -> tuple[str, int] | None:
        """The stage due for an open assignment: ``("d7", 7)`` before the deadline, ``("o2", n)``
        when overdue (n working days), or None."""
        if days_left < 0:
            overdue = -days_left
            return (f"o{(overdue - 1) // OVERDUE_EVERY}", overdue)
        stage = 0
        for candidate in _ASCENDING_KEY if is_key else _ASCENDING:
            if days_left <= candidate:
                stage = candidate
                break
        if not stage:
            return None
        if days_at_assign <= stage:
            return None  # assigned inside this stage: they know the deadline already
        return (f"d{stage}", days_left)

    async def _deadlines(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        rows = await self._open_assignments(
            self.calendar.add_workdays(today, max(DEADLINE_STAGES)),
            self.calendar.add_workdays(today, max(KEY_STAGES)),
        )
        if not rows:
            return
        week = "{}-W{:02d}".format(*today.isocalendar()[:2])
        candidates: list[tuple[int, str, int]] = []  # (assignment, stage key, days)
        overdue: dict[int, int] = {}  # assignment -> working days overdue
        for assignment_id, due, is_key in rows:
            days_left = index.between(today, due)
            stage = self.deadline_stage(days_left, 1 << 30, is_key)
            if stage is not None:
                candidates.append(
                    (assignment_id, f"remind:assign:{assignment_id}:{stage[0]}", stage[1])
                )
            if days_left < 0:
                overdue[assignment_id] = -days_left
        escalation_keys = {aid: f"escalate:{aid}:{week}" for aid in overdue}
        done = set(
            await self._done_keys(
                [key for _, key, _ in candidates] + list(escalation_keys.values())
            )
        )
        todo = [c for c in candidates if c[1] not in done]
        fresh = [aid for aid, key in escalation_keys.items() if key not in done]
        if not todo and not fresh:
            return
        details = await self._details({aid for aid, _, _ in todo} | set(fresh))
        done |= await self._done_keys(f"remind:nocontact:{aid}" for aid, _, _ in todo)
        plans: list[tuple[_Open, str, int]] = []
        for aid, key, days in todo:
            item = details.get(aid)
            if item is None:
                continue  # answered meanwhile
            if not key.split(":")[-1].startswith("o"):  # was it assigned inside this stage?
                at_assign = index.between(item.assigned_on, item.due)
                if self.deadline_stage(days, at_assign, item.is_key) is None:
                    continue
            plans.append((item, key, days))
        current_year = today.year
        for item, key, days in plans:
            if key in done:
                continue
            name = label(item.kind, item.number, item.year, current_year)
            ref = ref_text(item.kind, item.number, item.year, current_year)
            key_note = "（重点提案）" if item.is_key else ""
            overdue_stage = key.split(":")[-1].startswith("o")
            tag = "【逾期提醒】" if overdue_stage else "【办理提醒】"
            if overdue_stage:
                text = (
                    f"【逾期提醒】{item.unit_name}：{name}{key_note}《{item.title}》的答复期限是"
                    f"{fmt_date(item.due)}，已逾期 {days} 个工作日，请尽快办理答复。"
                    f"办理情况请发送：进展 {ref} 内容；答复请发送：答复 {ref} A|B|C 内容。"
                )
            else:
                when = "今天到期" if days == 0 else f"还有 {days} 个工作日到期"
                text = (
                    f"【办理提醒】{item.unit_name}：{name}{key_note}《{item.title}》的答复期限是"
                    f"{fmt_date(item.due)}，{when}。"
                    f"办理情况请发送：进展 {ref} 内容；答复请发送：答复 {ref} A|B|C 内容。"
                )
            async with self._stage(key) as stage:
                session = stage.session
                queued = await self.notifier.to_unit(
                    item.unit_id,
                    text,
                    # a private submission: the unit group gets an @ and a pointer, nothing more
                    group_text=f"{tag}{PRIVATE_UNIT_GROUP_TEXT}" if item.private else None,
                    purpose="reminder",
                    dedup_key=key,
                    record_id=item.record_id,
                    session=session,
                )
                self._log(session, key, item.record_id, queued)
                nocontact = f"remind:nocontact:{item.assignment_id}"
                tell_staff = queued == 0 and nocontact not in done
                if tell_staff:
                    await self.notifier.to_staff_groups(
                        f"{item.unit_name}没有登记联系人，{name}《{item.title}》的办理提醒无法送达"
                        f"（答复期限{fmt_date(item.due)}）。请发送：单位 联系人 {item.unit_name} @联系人",
                        purpose="reminder",
                        dedup_key=nocontact,
                        record_id=item.record_id,
                        session=session,
                    )
                    self._log(session, nocontact, item.record_id, 0)
            if stage.committed:
                report.deadline += 1
                report.keys.append(key)
                if tell_staff:
                    done.add(nocontact)
                    report.no_contact += 1
        escalate = [(details[aid], overdue[aid]) for aid in fresh if aid in details]
        if escalate:
            await self._escalate(escalate, escalation_keys, week, today, report)

    async def _escalate(
        self,
        items: Sequence[tuple[_Open, int]],
        keys: dict[int, str],
        week: str,
        today: date,
        report: SweepReport,
    ) -> None:
        if not await self.channels.by_kind(ChannelKind.STAFF):
            return  # nobody to tell yet: escalate when a staff group is bound
        by_unit: dict[str, list[tuple[_Open, int]]] = {}
        for item, days in items:
            by_unit.setdefault(item.unit_name, []).append((item, days))
        lines = [f"【逾期督办】以下 {len(items)} 件提案已超过答复期限（截至{fmt_date(today)}）："]
        for unit, entries in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            parts = []
            for item, days in entries[:10]:
                name = label(item.kind, item.number, item.year, today.year)
                key_note = "（重点）" if item.is_key else ""
                parts.append(f"{name}{key_note}逾期{days}个工作日")
            more = f"等{len(entries)}件" if len(entries) > 10 else ""
            lines.append(f"· {unit}：{'、'.join(parts)}{more}")
        lines.append("已每 3 个工作日提醒承办单位一次。需要督办的，请联系承办单位或发送：重点 编号")
        first = min(item.assignment_id for item, _ in items)
        async with self._stage(f"escalate:{week}") as stage:
            session = stage.session
            await self.notifier.to_staff_groups(
                "\n".join(lines),
                purpose="reminder",
                dedup_key=f"escalate:{week}:{first}:{len(items)}",
                session=session,
            )
            for item, _ in items:
                self._log(session, keys[item.assignment_id], item.record_id, 1)
        if stage.committed:
            report.escalated += len(items)

    # ------------------------------------------------------------------ evaluations

    def _since(self, today: date, index: WorkdayIndex, workdays: int) -> datetime:
        """The first instant of the day after the last day that lies ``workdays`` working days
        before ``today``: an answer before it is at least that old."""
        d = today
        while index.between(d, today) < workdays:
            d -= timedelta(days=1)
        return local_instant(d + timedelta(days=1), datetime.min.time())

    async def _evaluations(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        (ten, before_ten), (five, before_five) = (
            (stage, bindparam(f"before_{stage}", self._since(today, index, stage), UtcDateTime()))
            for stage in EVALUATION_STAGES
        )
        answer_of_round = and_(
            col(Answer.record_id) == col(Record.id), col(Answer.round) == col(Record.round)
        )
        no_evaluation = and_(
            col(Evaluation.record_id) == col(Record.id), col(Evaluation.round) == col(Record.round)
        )
        latest = func.max(Answer.answered_at)
        # phase 1: which answered proposals are 5 / 10 working days old (the round's last answer)
        query = (
            select(
                Record.id,
                Record.round,
                case((latest < before_ten, ten), else_=five),
            )
            .join(Answer, answer_of_round)
            .outerjoin(Evaluation, no_evaluation)
            .where(
                Record.kind == RecordKind.PROPOSAL.value,
                Record.status == RecordStatus.ANSWERED.value,
                col(Evaluation.id).is_(None),
            )
            .group_by(col(Record.id), col(Record.round))
            .having(latest < before_five)
        )
        async with self.db.engine.connect() as conn:
            stages = (await conn.execute(query)).all()
        keys = {f"remind:evaluate:{rid}:r{round_}:d{stage}": rid for rid, round_, stage in stages}
        done = await self._done_keys(keys)
        todo = {key: rid for key, rid in keys.items() if key not in done}
        if not todo:
            return
        # phase 2: the details of the few that get a message
        details: dict[int, tuple] = {}  # type: ignore[type-arg]
        wanted = list(set(todo.values()))
        async with self.db.engine.connect() as conn:
            for i in range(0, len(wanted), KEY_BATCH):
                query = (
                    select(
                        Record.id,
                        Record.kind,
                        Record.number,
                        Record.year,
                        Record.title,
                        Record.round,
                        Record.proposer_user_id,
                        Answer.answered_at,
                        Answer.category,
                        Answer.evaluation_due,
                        Unit.name,
                    )
                    .join(Answer, answer_of_round)
                    .outerjoin(Unit, col(Unit.id) == col(Answer.unit_id))
                    .where(col(Record.id).in_(wanted[i : i + KEY_BATCH]))
                    .order_by(col(Record.id), col(Answer.answered_at))
                )
                for row in (await conn.execute(query)).all():
                    details[row[0]] = tuple(row)  # the round's last answer wins
        plans = [(key, details[rid]) for key, rid in todo.items() if rid in details]
        done = await self._done_keys(key for key, _ in plans)
        for key, row in plans:
            if key in done:
                continue
            record_id, kind, number, year, title, _round, user_id, answered_at = row[:8]
            category, due, unit = row[8:]
            answered_on = to_local(as_utc(answered_at)).date()
            name = label(kind, number, year, today.year)
            ref = ref_text(kind, number, year, today.year)
            due = due or self.calendar.add_workdays(answered_on, 15)
            source = f"{unit}的" if unit else ""
            text = (
                f"【评价提醒】您的{name}《{title}》已于{fmt_date(answered_on)}收到{source}答复"
                f"（{category}类），尚未评价。请在{fmt_date(due)}前发送：评价 {ref} 满意｜基本满意｜"
                f"不满意 [意见]。发送“查提案 {ref}”可查看答复内容。"
            )
            async with self._stage(key) as stage:
                await self.notifier.to_member(
                    user_id,
                    text,
                    purpose="reminder",
                    dedup_key=key,
                    record_id=record_id,
                    session=stage.session,
                )
                self._log(stage.session, key, record_id, 1)
            if stage.committed:
                report.evaluation += 1
                report.keys.append(key)

    # ------------------------------------------------------------------ co-signing

    async def _pending_cosigns(self, before: datetime) -> list[tuple]:  # type: ignore[type-arg]
        query = (
            select(
                Cosign.id,
                Cosign.user_id,
                Cosign.name,
                Cosign.created_at,
                Record.id,
                Record.kind,
                Record.number,
                Record.year,
                Record.title,
                Record.status,
                Record.proposer_user_id,
                Record.proposer_name,
                Record.source_group_id,
            )
            .join(Record, col(Record.id) == col(Cosign.record_id))
            .where(
                Cosign.status == CosignStatus.PENDING.value,
                col(Cosign.invited).is_(True),
                col(Cosign.created_at) <= before,
            )
            .order_by(col(Cosign.id))
        )
        async with self.db.engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(query)).all()]

    async def _lapse_cosigns(self, now: datetime, report: SweepReport) -> None:
        rows = await self._pending_cosigns(now - COSIGN_LAPSE_AFTER)
        if not rows:
            return
        current_year = to_local(now).year
        notice_at = next_allowed(now, self.calendar)
        for cid, _uid, name, _at, rid, kind, number, year, title, _st, proposer, _pn, _g in rows:
            lapsed = False
            async with self._stage(f"cosign:lapsed:{cid}") as stage:
                session = stage.session
                result = await session.exec(
                    update(Cosign)
                    .where(col(Cosign.id) == cid, Cosign.status == CosignStatus.PENDING.value)
                    .values(status=CosignStatus.LAPSED.value)
                )
                lapsed = bool(result.rowcount)  # else confirmed in the meantime
                if not lapsed:
                    continue
                record = label(kind, number, year, current_year)
                await self.outbox.enqueue(
                    Target.private(proposer),
                    f"{name or '受邀委员'}未在 3 天内确认联名您的{record}《{title}》，"
                    "这份联名邀请已失效。如仍希望对方联名，可请其发送："
                    f"附议 {ref_text(kind, number, year, current_year)}",
                    purpose="cosign",
                    dedup_key=f"cosign:lapsed:{cid}",
                    record_id=rid,
                    not_before=notice_at,
                    session=session,
                )
            if lapsed and stage.committed:
                report.cosign_lapsed += 1

    async def _cosign_reminders(self, now: datetime, report: SweepReport) -> None:
        rows = await self._pending_cosigns(now - COSIGN_REMIND_AFTER)
        plans = [r for r in rows if r[9] in COSIGN_OPEN]
        done = await self._done_keys(f"remind:cosign:{r[0]}" for r in plans)
        current_year = to_local(now).year
        for cid, uid, _n, created, rid, kind, number, year, title, _st, _p, pname, group in plans:
            key = f"remind:cosign:{cid}"
            if key in done:
                continue
            lapse = to_local(as_utc(created) + COSIGN_LAPSE_AFTER)
            record = label(kind, number, year, current_year)
            text = (
                f"【联名提醒】{pname}邀请您联名{record}《{title}》，您还没有确认。"
                f"同意请发送：附议 {ref_text(kind, number, year, current_year)}；"
                f"不同意无需操作，邀请将于{lapse.month}月{lapse.day}日 {lapse:%H:%M} 失效。"
            )
            async with self._stage(key) as stage:
                await self.notifier.to_member(
                    uid,
                    text,
                    purpose="cosign",
                    dedup_key=key,
                    record_id=rid,
                    via_group_id=group,
                    session=stage.session,
                )
                self._log(stage.session, key, rid, 1)
            if stage.committed:
                report.cosign_reminded += 1
                report.keys.append(key)
