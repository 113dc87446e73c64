"""Handling statistics and rates (DESIGN.md §2), for the monthly digest and `统计`.

- 立案率 = 立案 / received. Received: proposals of the year except withdrawn ones. 立案 counts every
  proposal that passed review, including those merged (并案) into another: a proposal is merged
  only after it was accepted as worth handling, and is handled together with the other one.
- 办复率 = answered / assigned; 办结率 = concluded / assigned. Assigned: proposals with an
  assignment (交办); answered: proposals with an answer (答复) in any round.
- 满意率 = (满意 + 基本满意) / proposals evaluated, each proposal's latest evaluation counted once;
  also 满意 alone, and the first-round rate (初次满意率: round-1 evaluations only).
- A/B/C shares: each answered proposal's latest answer.
- 采用率 (opinion leads) = adopted (采用 and beyond: 报送, 批示, 落实) / received (except withdrawn).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, func, select

from bot.core.db import Database
from bot.core.models import (
    Answer,
    Assignment,
    Evaluation,
    EvaluationResult,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind
from bot.core.schedule.workdays import WorkCalendar

ACCEPTED_STATES = frozenset(
    {
        RecordStatus.ACCEPTED,
        RecordStatus.MERGED,
        RecordStatus.ASSIGNED,
        RecordStatus.IN_PROGRESS,
        RecordStatus.ANSWERED,
        RecordStatus.EVALUATED,
        RecordStatus.REHANDLING,
        RecordStatus.CONCLUDED,
    }
)
ADOPTED_STATES = frozenset(
    {
        RecordStatus.ADOPTED,
        RecordStatus.SUBMITTED_UP,
        RecordStatus.INSTRUCTED,
        RecordStatus.IMPLEMENTED,
    }
)
#: States in which a unit still owes an answer.
OPEN_HANDLING = frozenset(
    {RecordStatus.ASSIGNED, RecordStatus.IN_PROGRESS, RecordStatus.REHANDLING}
)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        """``93.2%``, or ``—`` when nothing was counted."""
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    def __str__(self) -> str:
        return f"{self.percent()}（{self.numerator}/{self.denominator}）"


@dataclass
class ProposalStats:
    year: int
    received: int = 0  # not withdrawn
    withdrawn: int = 0
    pending_review: int = 0  # 已提交, not yet reviewed
    accepted: int = 0  # 立案 (incl. merged)
    rejected: int = 0
    assigned: int = 0
    answered: int = 0
    concluded: int = 0
    evaluated: int = 0  # latest evaluation per proposal
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    first_round_evaluated: int = 0
    first_round_ok: int = 0
    #: A/B/C (答复类别), each answered proposal's latest answer; not the proposal's 类别
    answer_categories: Counter[str] = field(default_factory=Counter)

    @property
    def acceptance_rate(self) -> Rate:  # 立案率
        return Rate(self.accepted, self.received)

    @property
    def answer_rate(self) -> Rate:  # 办复率
        return Rate(self.answered, self.assigned)

    @property
    def conclusion_rate(self) -> Rate:  # 办结率
        return Rate(self.concluded, self.assigned)

    @property
    def satisfaction_rate(self) -> Rate:  # 满意率 (满意 + 基本满意)
        return Rate(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def satisfied_rate(self) -> Rate:  # 满意 alone
        return Rate(self.satisfied, self.evaluated)

    @property
    def first_satisfaction_rate(self) -> Rate:  # 初次满意率
        return Rate(self.first_round_ok, self.first_round_evaluated)

    def answer_category_share(self, answer_category: str) -> Rate:  # A/B/C 占比
        counted = self.answer_categories
        return Rate(counted.get(answer_category, 0), sum(counted.values()))


@dataclass
class OpinionStats:
    year: int
    received: int = 0
    adopted: int = 0
    instructed: int = 0  # 获批示 (and 落实)

    @property
    def adoption_rate(self) -> Rate:  # 采用率
        return Rate(self.adopted, self.received)


@dataclass(frozen=True)
class OverdueItem:
    """An assignment whose answer is overdue."""

    record: Record
    assignment: Assignment
    unit_name: str
    workdays_overdue: int


@dataclass(frozen=True)
class PeriodCounts:
    """What happened between two instants (new records by kind, answers, conclusions)."""

    new_by_kind: dict[str, int]
    answers: int
    concluded: int


class StatsService:
    def __init__(self, db: Database, calendar: WorkCalendar) -> None:
        self.db = db
        self.calendar = calendar

    async def proposals(self, year: int) -> ProposalStats:
        stats = ProposalStats(year)
        kind = RecordKind.PROPOSAL.value
        async with self.db.session() as session:
            by_status = (
                await session.exec(
                    select(Record.status, func.count())
                    .where(Record.kind == kind, Record.year == year)
                    .group_by(Record.status)
                )
            ).all()
            year_ids = select(Record.id).where(Record.kind == kind, Record.year == year)
            stats.assigned = (
                await session.exec(
                    select(func.count(func.distinct(Assignment.record_id))).where(
                        col(Assignment.record_id).in_(year_ids)
                    )
                )
            ).one()
            answers = (
                await session.exec(
                    select(Answer.record_id, Answer.round, Answer.id, Answer.category).where(
                        col(Answer.record_id).in_(year_ids)
                    )
                )
            ).all()
            evaluations = (
                await session.exec(
                    select(Evaluation.record_id, Evaluation.round, Evaluation.result).where(
                        col(Evaluation.record_id).in_(year_ids)
                    )
                )
            ).all()
        _count_states(stats, by_status)
        _count_answers(stats, answers)
        _count_evaluations(stats, evaluations)
        return stats

    async def opinions(self, year: int) -> OpinionStats:
        stats = OpinionStats(year)
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(Record.status, func.count())
                    .where(Record.kind == RecordKind.OPINION.value, Record.year == year)
                    .group_by(Record.status)
                )
            ).all()
        for status, count in rows:
            if status == RecordStatus.WITHDRAWN:
                continue
            stats.received += count
            if status in ADOPTED_STATES:
                stats.adopted += count
            if status in (RecordStatus.INSTRUCTED, RecordStatus.IMPLEMENTED):
                stats.instructed += count
        return stats

    async def overdue(self, today: date) -> list[OverdueItem]:
        """Open assignments of the current round whose due date is before ``today``."""
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(Assignment, Record, Unit)
                    .join(Record, col(Record.id) == col(Assignment.record_id))
                    .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                    .where(
                        col(Assignment.answered_at).is_(None),
                        col(Assignment.due_date) < today,
                        col(Assignment.round) == col(Record.round),
                        col(Record.status).in_(list(OPEN_HANDLING)),
                    )
                    .order_by(col(Assignment.due_date), col(Record.id))
                )
            ).all()
        return [
            OverdueItem(
                record=record,
                assignment=assignment,
                unit_name=unit.name,
                workdays_overdue=max(1, self.calendar.workdays_between(assignment.due_date, today)),
            )
            for assignment, record, unit in rows
        ]

    async def counts_between(self, start: datetime, end: datetime) -> PeriodCounts:
        async with self.db.session() as session:
            new = (
                await session.exec(
                    select(Record.kind, func.count())
                    .where(
                        Record.created_at >= start,
                        Record.created_at < end,
                        Record.status != RecordStatus.WITHDRAWN,
                    )
                    .group_by(Record.kind)
                )
            ).all()
            answers = (
                await session.exec(
                    select(func.count(func.distinct(Answer.record_id))).where(
                        Answer.answered_at >= start, Answer.answered_at < end
                    )
                )
            ).one()
            concluded = (
                await session.exec(
                    select(func.count(func.distinct(TimelineEntry.record_id))).where(
                        TimelineEntry.at >= start,
                        TimelineEntry.at < end,
                        TimelineEntry.to_status == RecordStatus.CONCLUDED,
                    )
                )
            ).one()
        return PeriodCounts({str(k): int(n) for k, n in new}, int(answers), int(concluded))


def _count_states(stats: ProposalStats, by_status: Sequence[Any]) -> None:
    """Received, pending, rejected, accepted (立案, merged included), concluded."""
    for status, count in by_status:
        if status == RecordStatus.WITHDRAWN:
            stats.withdrawn += count
            continue
        stats.received += count
        if status == RecordStatus.SUBMITTED:
            stats.pending_review += count
        elif status == RecordStatus.REJECTED:
            stats.rejected += count
        if status in ACCEPTED_STATES:
            stats.accepted += count
        if status == RecordStatus.CONCLUDED:
            stats.concluded += count


def _count_answers(stats: ProposalStats, answers: Sequence[Any]) -> None:
    """Answered proposals and their A/B/C, each proposal's latest answer."""
    latest_answer: dict[int, tuple[int, int, str]] = {}
    for record_id, round_, answer_id, answer_category in answers:
        key = (round_, answer_id or 0, answer_category)
        if record_id not in latest_answer or key > latest_answer[record_id]:
            latest_answer[record_id] = key
    stats.answered = len(latest_answer)
    stats.answer_categories = Counter(c for _, _, c in latest_answer.values())


def _count_evaluations(stats: ProposalStats, evaluations: Sequence[Any]) -> None:
    """Each proposal's latest evaluation; round-1 evaluations for 初次满意率."""
    latest_eval: dict[int, tuple[int, str]] = {}
    for record_id, round_, result in evaluations:
        if round_ == 1:
            stats.first_round_evaluated += 1
            if result != EvaluationResult.UNSATISFIED:
                stats.first_round_ok += 1
        if record_id not in latest_eval or round_ > latest_eval[record_id][0]:
            latest_eval[record_id] = (round_, result)
    stats.evaluated = len(latest_eval)
    for _, result in latest_eval.values():
        if result == EvaluationResult.SATISFIED:
            stats.satisfied += 1
        elif result == EvaluationResult.BASICALLY_SATISFIED:
            stats.basically_satisfied += 1
        else:
            stats.unsatisfied += 1


def overdue_by_unit(items: list[OverdueItem]) -> dict[str, list[OverdueItem]]:
    grouped: dict[str, list[OverdueItem]] = defaultdict(list)
    for item in items:
        grouped[item.unit_name].append(item)
    return dict(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])))
