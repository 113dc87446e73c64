"""What the figures are computed from: one year's proposals as compact facts (status, sector,
category, and per round the lead unit, due date, answer and evaluation), read in a few column
queries (no ORM objects), so that every figure, breakdown and table comes from one read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, type_coerce
from sqlmodel import Session, col, func, or_, select

from bot.core.clock import local_date
from bot.core.models import (
    Answer,
    Assignment,
    AssignmentRole,
    Evaluation,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.db import Database


@dataclass
class RoundFacts:
    """One handling round of a proposal."""

    lead_unit_id: int | None = None
    assigned_on: date | None = None  # the lead's 交办 (local date)
    due: date | None = None  # the lead's 答复时限
    open_due: date | None = None  # earliest due date of an assignment still unanswered
    answer_category: str | None = None  # the round's latest answer
    answered_on: date | None = None
    answer_key: tuple[int, int] = (0, 0)  # (round, answer id): which answer is the latest
    evaluation: str | None = None


@dataclass
class ProposalFacts:
    id: int
    status: str
    sector: str | None
    category: str | None
    round: int
    unit_ids: set[int] = field(default_factory=set)  # every unit, any round, 主办 or 会办
    rounds: dict[int, RoundFacts] = field(default_factory=dict)

    def at(self, round_: int) -> RoundFacts:
        found = self.rounds.get(round_)
        if found is None:
            found = self.rounds[round_] = RoundFacts()
        return found

    @property
    def assigned(self) -> bool:
        return bool(self.unit_ids)

    def latest_answered_round(self) -> int | None:
        answered = [r for r, facts in self.rounds.items() if facts.answer_category is not None]
        return max(answered) if answered else None


@dataclass
class YearFacts:
    year: int
    proposals: list[ProposalFacts]
    unit_names: dict[int, str]


def raw(column: Any) -> Any:
    """A datetime column as the driver gives it: SQLite's text is parsed by :func:`day` (C
    ``fromisoformat``), much faster than SQLAlchemy's per-value processing; PostgreSQL's
    drivers give datetimes already."""
    return type_coerce(column, String)


def day(value: Any) -> date:
    """The local date of a stored (UTC) instant, as text (SQLite) or a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return local_date(value)


def fingerprint(session: Session) -> tuple[Any, ...]:
    """What changes whenever a figure may: every change to a record writes a timeline entry;
    assignments, answers and evaluations are inserted (a re-assignment deletes and inserts).
    One statement of primary-key maxima and one count (cheap on SQLite and PostgreSQL)."""
    tables = (TimelineEntry, Record, Assignment, Answer, Evaluation, Unit)
    maxima = [select(func.max(t.id)).scalar_subquery() for t in tables]  # type: ignore[attr-defined]
    count = select(func.count()).select_from(Assignment).scalar_subquery()
    return tuple(session.connection().execute(select(*maxima, count)).one())


def load_year(session: Session, year: int) -> tuple[tuple[Any, ...], YearFacts]:
    """(the fingerprint, the year's proposals and their handling), read in one synchronous
    unit of work (``Database.run_sync``: a worker thread on SQLite), Core rows, no ORM."""
    kind = RecordKind.PROPOSAL.value
    year_ids = select(Record.id).where(Record.kind == kind, Record.year == year)
    conn = session.connection()
    stamp = fingerprint(session)
    records = conn.execute(
        select(
            Record.id, Record.status, Record.proposer_sector, Record.category, Record.round
        ).where(Record.kind == kind, Record.year == year)
    ).all()
    assignments = conn.execute(
        select(
            Assignment.record_id,
            Assignment.round,
            Assignment.unit_id,
            Assignment.role,
            raw(Assignment.assigned_at),
            Assignment.due_date,
            raw(Assignment.answered_at),
        ).where(col(Assignment.record_id).in_(year_ids))
    ).all()
    answers = conn.execute(
        select(
            Answer.record_id, Answer.round, Answer.id, Answer.category, raw(Answer.answered_at)
        ).where(col(Answer.record_id).in_(year_ids))
    ).all()
    evaluations = conn.execute(
        select(Evaluation.record_id, Evaluation.round, Evaluation.result).where(
            col(Evaluation.record_id).in_(year_ids)
        )
    ).all()
    units = conn.execute(select(Unit.id, Unit.name)).all()
    facts = {
        rid: ProposalFacts(rid, status, sector, category, round_ or 1)
        for rid, status, sector, category, round_ in records
    }
    _add_assignments(facts, assignments)
    _add_answers(facts, answers)
    for record_id, round_, result in evaluations:
        if record_id in facts:
            facts[record_id].at(round_).evaluation = result
    return stamp, YearFacts(year, list(facts.values()), dict(units))  # type: ignore[arg-type]


def _add_assignments(facts: dict[int, ProposalFacts], rows: Sequence[Any]) -> None:
    for record_id, round_, unit_id, role, assigned_at, due, answered_at in rows:
        proposal = facts.get(record_id)
        if proposal is None:
            continue
        proposal.unit_ids.add(unit_id)
        this = proposal.at(round_)
        if role == AssignmentRole.LEAD:
            this.lead_unit_id = unit_id
            this.assigned_on = day(assigned_at)
            this.due = due
        if answered_at is None and (this.open_due is None or due < this.open_due):
            this.open_due = due


def _add_answers(facts: dict[int, ProposalFacts], rows: Sequence[Any]) -> None:
    for record_id, round_, answer_id, category, answered_at in rows:
        proposal = facts.get(record_id)
        if proposal is None:
            continue
        this = proposal.at(round_)
        key = (round_, answer_id or 0)
        if this.answer_category is None or key > this.answer_key:
            this.answer_key = key
            this.answer_category = category
            this.answered_on = day(answered_at)


async def opinion_rows(
    db: Database, year: int, *, sector: str | None = None, category: str | None = None
) -> tuple[list[tuple[str, int]], int, int]:
    """(status, count) of the year's opinion leads, and how many were 报送 and how many got a
    批示 at least once (their status now, or a timeline step: a lead can be 落实 after either)."""
    where = [Record.kind == RecordKind.OPINION.value, Record.year == year]
    if sector is not None:
        where.append(Record.proposer_sector == sector)
    if category is not None:
        where.append(Record.category == category)

    def reached(status: RecordStatus, action: str) -> Any:
        stepped = select(TimelineEntry.record_id).where(TimelineEntry.action == action)
        return select(func.count()).where(
            *where, or_(col(Record.status) == status, col(Record.id).in_(stepped))
        )

    async with db.session() as session:
        rows = (
            await session.exec(
                select(Record.status, func.count()).where(*where).group_by(Record.status)
            )
        ).all()
        submitted_up = (await session.exec(reached(RecordStatus.SUBMITTED_UP, "submit_up"))).one()
        instructed = (await session.exec(reached(RecordStatus.INSTRUCTED, "instruction"))).one()
    return [(str(s), int(n)) for s, n in rows], int(submitted_up), int(instructed)
