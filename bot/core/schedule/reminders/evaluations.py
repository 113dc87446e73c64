"""Evaluation reminders (评价): the lead proposer is asked when the answer arrives (by the
workflow, with the answer itself); the sweep reminds them after 5 and 10 working days."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import and_, bindparam, case, func, select
from sqlmodel import col

from bot.core.clock import as_utc, to_local
from bot.core.models import Answer, Evaluation, Record, RecordStatus, Unit
from bot.core.models.base import UtcDateTime
from bot.core.records.kinds import RecordKind
from bot.core.schedule.reminders import texts
from bot.core.schedule.reminders.stages import KEY_BATCH, Reminder, StageGroup, SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex, workdays_ago

if TYPE_CHECKING:
    from datetime import date

EVALUATION_STAGES = (10, 5)
#: The round's answer (the last one, when several).
ANSWER_OF_ROUND = and_(
    col(Answer.record_id) == col(Record.id), col(Answer.round) == col(Record.round)
)


class Answered(NamedTuple):
    """What an evaluation reminder says of an answered proposal."""

    record_id: int
    kind: str
    number: int
    year: int
    title: str
    round: int
    proposer_user_id: str
    answered_at: Any
    answer_category: str
    evaluation_due: date | None
    unit: str | None


class EvaluationReminders(StageGroup):
    async def run(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        keys = await self._due_keys(today, index)
        done = await self.stages.done(keys)
        todo = {key: rid for key, rid in keys.items() if key not in done}
        if not todo:
            return
        details = await self._details(set(todo.values()))
        due_dates: dict[date, date] = {}  # answer day -> evaluation due (the calendar is slow)
        reminders = [
            self._reminder(key, details[rid], today, due_dates)
            for key, rid in todo.items()
            if rid in details
        ]
        report.evaluation += len(await self.stages.send_new(reminders, report))

    async def _due_keys(self, today: date, index: WorkdayIndex) -> dict[str, int]:
        """Phase 1: the stage keys of the answered, unevaluated proposals whose round's last
        answer is 5 / 10 working days old -> their record ids."""
        (ten, before_ten), (five, before_five) = (
            (stage, bindparam(f"before_{stage}", workdays_ago(today, index, stage), UtcDateTime()))
            for stage in EVALUATION_STAGES
        )
        no_evaluation = and_(
            col(Evaluation.record_id) == col(Record.id), col(Evaluation.round) == col(Record.round)
        )
        latest = func.max(Answer.answered_at)
        query = (
            select(Record.id, Record.round, case((latest < before_ten, ten), else_=five))
            .join(Answer, ANSWER_OF_ROUND)
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
        return {f"remind:evaluate:{rid}:r{round_}:d{stage}": rid for rid, round_, stage in stages}

    async def _details(self, record_ids: set[int]) -> dict[int, Answered]:
        """Phase 2: the details of the few that get a message."""
        details: dict[int, Answered] = {}
        wanted = list(record_ids)
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
                    .join(Answer, ANSWER_OF_ROUND)
                    .outerjoin(Unit, col(Unit.id) == col(Answer.unit_id))
                    .where(col(Record.id).in_(wanted[i : i + KEY_BATCH]))
                    .order_by(col(Record.id), col(Answer.answered_at))
                )
                for row in (await conn.execute(query)).all():
                    details[row[0]] = Answered(*row)  # the round's last answer wins
        return details

    def _reminder(
        self, key: str, answered: Answered, today: date, due_dates: dict[date, date]
    ) -> Reminder:
        answered_on = to_local(as_utc(answered.answered_at)).date()
        a = answered
        due = a.evaluation_due
        if due is None:
            due = due_dates.get(answered_on)
            if due is None:
                due = due_dates[answered_on] = self.calendar.add_workdays(answered_on, 15)
        text = texts.evaluation(
            name=texts.label(a.kind, a.number, a.year, today.year),
            ref=texts.ref_text(a.kind, a.number, a.year, today.year),
            title=a.title,
            unit=a.unit,
            answered_on=answered_on,
            answer_category=a.answer_category,
            due=due,
        )
        return self.to_member(key, a.record_id, a.proposer_user_id, text, purpose="reminder")
