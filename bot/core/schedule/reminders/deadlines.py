"""Deadline reminders to units (14, 7, 3, 1 working days before the answer is due; key proposals
also at 30; every 3 working days once overdue) and the weekly escalation of overdue items to
staff. Two phases keep the sweep fast at national scale: what deciding needs for every open
assignment, then the details of the few that get a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlmodel import col

from bot.core import batch
from bot.core.clock import as_utc, to_local
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT
from bot.core.models import Assignment, ChannelKind, Record, Unit
from bot.core.records.kinds import RecordKind
from bot.core.schedule.reminders import texts
from bot.core.schedule.reminders.stages import KEY_BATCH, Reminder, StageGroup, SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex, iso_week
from bot.core.stats import OPEN_HANDLING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date, datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

DEADLINE_STAGES = (14, 7, 3, 1)
KEY_STAGES = (30, 14, 7, 3, 1)
OVERDUE_EVERY = 3
_ASCENDING = tuple(sorted(DEADLINE_STAGES))
_ASCENDING_KEY = tuple(sorted(KEY_STAGES))


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


@dataclass(frozen=True)
class OpenAssignment:
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


@dataclass(frozen=True)
class _Due:
    """A deadline stage due for an assignment: its log key and the working days left/overdue."""

    assignment_id: int
    key: str
    days: int

    @property
    def overdue(self) -> bool:
        return self.key.split(":")[-1].startswith("o")

    @property
    def no_contact_key(self) -> str:
        return f"remind:nocontact:{self.assignment_id}"


def _open_filter() -> list[Any]:
    return [
        col(Assignment.answered_at).is_(None),
        col(Assignment.round) == col(Record.round),
        # kind first: lets the database start from ix_record_kind_status
        Record.kind == RecordKind.PROPOSAL.value,
        col(Record.status).in_([s.value for s in OPEN_HANDLING]),
    ]


class DeadlineReminders(StageGroup):
    async def run(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        rows = await self._open_assignments(
            self.calendar.add_workdays(today, max(DEADLINE_STAGES)),
            self.calendar.add_workdays(today, max(KEY_STAGES)),
        )
        if not rows:
            return
        week = iso_week(today)
        due, overdue = _due_stages(rows, today, index)
        escalation_keys = {aid: f"escalate:{aid}:{week}" for aid in overdue}
        done = set(await self.stages.done([d.key for d in due] + list(escalation_keys.values())))
        todo = [d for d in due if d.key not in done]
        fresh = [aid for aid, key in escalation_keys.items() if key not in done]
        if not todo and not fresh:
            return
        details = await self._details({d.assignment_id for d in todo} | set(fresh))
        done |= await self.stages.done(d.no_contact_key for d in todo)
        plans = [(details[d.assignment_id], d) for d in todo if d.assignment_id in details]
        plans = [(item, d) for item, d in plans if d.overdue or self._still_due(item, d, index)]
        await self._remind(plans, done, today.year, report)
        escalate = [(details[aid], overdue[aid]) for aid in fresh if aid in details]
        if escalate:
            await self._escalate(escalate, escalation_keys, week, today, report)

    def _still_due(self, item: OpenAssignment, due: _Due, index: WorkdayIndex) -> bool:
        """False when the assignment was made inside this stage (they know the deadline)."""
        at_assign = index.between(item.assigned_on, item.due)
        return deadline_stage(due.days, at_assign, item.is_key) is not None

    async def _remind(
        self,
        plans: Sequence[tuple[OpenAssignment, _Due]],
        done: set[str],
        current_year: int,
        report: SweepReport,
    ) -> None:
        told_staff: set[str] = set()  # keys whose transaction also told staff (no contact)
        reminders = [
            self._reminder(
                item, due, current_year, tell_staff=due.no_contact_key not in done, told=told_staff
            )
            for item, due in plans
        ]
        for reminder, _ in await self.stages.send_new(reminders, report):
            report.deadline += 1
            if reminder.key in told_staff:
                report.no_contact += 1

    def _reminder(
        self,
        item: OpenAssignment,
        due: _Due,
        current_year: int,
        *,
        tell_staff: bool,
        told: set[str],
    ) -> Reminder:
        """The unit's reminder; with nobody to remind, staff are told (once per assignment)."""
        name = texts.label(item.kind, item.number, item.year, current_year)
        text = texts.deadline(
            unit=item.unit_name,
            name=name,
            ref=texts.ref_text(item.kind, item.number, item.year, current_year),
            title=item.title,
            is_key=item.is_key,
            due=item.due,
            days=due.days,
            overdue=due.overdue,
        )
        tag = "【逾期提醒】" if due.overdue else "【办理提醒】"

        async def queue(session: AsyncSession) -> int:
            queued = await self.notifier.to_unit(
                item.unit_id,
                text,
                # a private submission: the unit group gets an @ and a pointer, nothing more
                group_text=f"{tag}{PRIVATE_UNIT_GROUP_TEXT}" if item.private else None,
                purpose="reminder",
                dedup_key=due.key,
                record_id=item.record_id,
                session=session,
            )
            if queued == 0 and tell_staff:
                await self.notifier.to_staff_groups(
                    texts.no_contact(
                        unit=item.unit_name, name=name, title=item.title, due=item.due
                    ),
                    purpose="reminder",
                    dedup_key=due.no_contact_key,
                    record_id=item.record_id,
                    session=session,
                )
                self.stages.log(session, due.no_contact_key, item.record_id, 0)
                told.add(due.key)
            return queued

        return Reminder(due.key, item.record_id, queue)

    async def _escalate(
        self,
        items: Sequence[tuple[OpenAssignment, int]],
        keys: dict[int, str],
        week: str,
        today: date,
        report: SweepReport,
    ) -> None:
        """Overdue items to staff, once per ISO week each: one message, every item's key."""
        if not await self.channels.by_kind(ChannelKind.STAFF):
            return  # nobody to tell yet: escalate when a staff group is bound
        by_unit: dict[str, list[str]] = {}
        for item, days in items:
            name = texts.label(item.kind, item.number, item.year, today.year)
            key_note = "（重点）" if item.is_key else ""
            by_unit.setdefault(item.unit_name, []).append(f"{name}{key_note}逾期{days}个工作日")
        ordered = sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        first = min(item.assignment_id for item, _ in items)

        async def queue(session: AsyncSession) -> int:
            batch.start(session)  # every item's key: thousands of rows after a long outage
            await self.notifier.to_staff_groups(
                texts.escalation(ordered, len(items), today),
                purpose="reminder",
                dedup_key=f"escalate:{week}:{first}:{len(items)}",
                session=session,
            )
            for item, _ in items:
                self.stages.log(session, keys[item.assignment_id], item.record_id, 1)
            return 1

        if await self.stages.send(Reminder(f"escalate:{week}", None, queue), logged=False):
            report.escalated += len(items)

    # ------------------------------------------------------------------ queries

    async def _open_assignments(
        self, horizon: date, key_horizon: date
    ) -> list[tuple[int, date, bool]]:
        """(assignment id, due date, key proposal) of the open assignments of the current round
        due by ``horizon`` (``key_horizon`` for key proposals), overdue ones included. Only what
        deciding needs: the details are read for the few that get a message."""
        query = (
            select(Assignment.id, Assignment.due_date, Record.is_key)
            .join(Record, col(Record.id) == col(Assignment.record_id))
            .where(
                col(Assignment.due_date) <= key_horizon,
                or_(col(Assignment.due_date) <= horizon, col(Record.is_key).is_(True)),
                *_open_filter(),
            )
        )
        async with self.db.engine.connect() as conn:
            return [(r[0], r[1], bool(r[2])) for r in (await conn.execute(query)).all()]

    async def _details(self, assignment_ids: Iterable[int]) -> dict[int, OpenAssignment]:
        wanted = list(assignment_ids)
        found: dict[int, OpenAssignment] = {}
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
                    .where(col(Assignment.id).in_(wanted[i : i + KEY_BATCH]), *_open_filter())
                )
                for r in (await conn.execute(query)).all():
                    found[r[0]] = OpenAssignment(
                        *r[:10], is_key=bool(r[10]), private=r[11] == "private"
                    )
        return found


def _due_stages(
    rows: Iterable[tuple[int, date, bool]], today: date, index: WorkdayIndex
) -> tuple[list[_Due], dict[int, int]]:
    """The stages due today (not yet checked against the assignment day), and the working days
    each overdue assignment is overdue."""
    due: list[_Due] = []
    overdue: dict[int, int] = {}
    for assignment_id, due_date, is_key in rows:
        days_left = index.between(today, due_date)
        stage = deadline_stage(days_left, 1 << 30, is_key)
        if stage is not None:
            due.append(_Due(assignment_id, f"remind:assign:{assignment_id}:{stage[0]}", stage[1]))
        if days_left < 0:
            overdue[assignment_id] = -days_left
    return due, overdue
