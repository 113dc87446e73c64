"""办理协商 reminders: the lead unit is reminded once when no contact with the proposer (沟通)
has been recorded ``workdays`` working days after 交办 (CONSULT_REMIND_WORKDAYS, default 15).
A privately submitted proposal's unit group reads only an @ and a pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import exists, select
from sqlmodel import col

from bot.core.models import Assignment, AssignmentRole, Consultation, Record, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from bot.core.schedule.reminders import texts
from bot.core.schedule.reminders.stages import Reminder, StageGroup, SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex, workdays_ago

if TYPE_CHECKING:
    from datetime import date, datetime

#: Handling states in which a contact may still be recorded.
BEFORE_ANSWER = (RecordStatus.ASSIGNED.value, RecordStatus.IN_PROGRESS.value)


class Unconsulted(NamedTuple):
    assignment_id: int
    record_id: int
    unit_id: int
    unit: str
    kind: str
    number: int
    year: int
    title: str
    source_kind: str


class ConsultationReminders(StageGroup):
    workdays: int = 15

    async def run(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        if self.workdays <= 0:
            return
        rows = await self._unconsulted(workdays_ago(today, index, self.workdays))
        reminders = [self._reminder(row, today.year) for row in rows]
        report.consultation += len(await self.stages.send_new(reminders, report))

    async def _unconsulted(self, before: datetime) -> list[Unconsulted]:
        """Lead assignments of the current round, made before ``before``, still unanswered,
        without any contact recorded in their round."""
        contact = exists().where(
            col(Consultation.record_id) == col(Record.id),
            col(Consultation.round) == col(Record.round),
        )
        query = (
            select(
                Assignment.id,
                Assignment.record_id,
                Assignment.unit_id,
                Unit.name,
                Record.kind,
                Record.number,
                Record.year,
                Record.title,
                Record.source_kind,
            )
            .join(Record, col(Record.id) == col(Assignment.record_id))
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .where(
                Record.kind == RecordKind.PROPOSAL.value,
                col(Record.status).in_(BEFORE_ANSWER),
                col(Assignment.round) == col(Record.round),
                Assignment.role == AssignmentRole.LEAD.value,
                col(Assignment.answered_at).is_(None),
                col(Assignment.assigned_at) < before,
                ~contact,
            )
            .order_by(col(Assignment.id))
        )
        async with self.db.engine.connect() as conn:
            return [Unconsulted(*r) for r in (await conn.execute(query)).all()]

    def _reminder(self, row: Unconsulted, current_year: int) -> Reminder:
        key = f"remind:consult:{row.assignment_id}"
        text = texts.consultation(
            unit=row.unit,
            name=texts.label(row.kind, row.number, row.year, current_year),
            ref=texts.ref_text(row.kind, row.number, row.year, current_year),
            title=row.title,
            workdays=self.workdays,
        )
        return self.to_unit(
            key,
            row.record_id,
            row.unit_id,
            text,
            tag="【办理协商提醒】",
            purpose="consultation",
        )
