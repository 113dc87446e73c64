"""A proposal's current round as views read it: the units handling it (:class:`UnitPart`, lead
first), its due date, answer and evaluation (:class:`Handling`), and the queries that build them
(for 查提案, the progress board, and the steps' own checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.errors import NotFound
from bot.core.models import Answer, Assignment, AssignmentRole, Evaluation, Record, Unit

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from bot.core.db import Database


@dataclass(frozen=True)
class UnitPart:
    """A unit's part in the current round."""

    assignment: Assignment
    unit: Unit

    @property
    def is_lead(self) -> bool:
        return self.assignment.role == AssignmentRole.LEAD


@dataclass
class Handling:
    """The current round of a proposal: units, due date, answer and evaluation (for views)."""

    round: int
    lead: Unit | None = None
    assisting: list[Unit] = field(default_factory=list)
    due_date: date | None = None
    answer: Answer | None = None
    evaluation: Evaluation | None = None


def lead_part(parts: Sequence[UnitPart]) -> UnitPart | None:
    return next((p for p in parts if p.is_lead), None)


def parts_text(parts: Sequence[UnitPart]) -> str:
    """``主办：县教育局；会办：县财政局`` ("" when nobody handles it)."""
    lead = [p.unit.name for p in parts if p.is_lead]
    assisting = [p.unit.name for p in parts if not p.is_lead]
    text = f"主办：{lead[0]}" if lead else ""
    if assisting:
        text += f"；会办：{'、'.join(assisting)}"
    return text


async def round_parts(db: Database, record_id: int, round_: int) -> list[UnitPart]:
    """The units of one round, lead first."""
    async with db.session() as session:
        rows = await session.exec(
            select(Assignment, Unit)
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .where(Assignment.record_id == record_id, Assignment.round == round_)
            .order_by(col(Assignment.id))
        )
        found = [UnitPart(a, u) for a, u in rows.all()]
    found.sort(key=lambda p: not p.is_lead)
    return found


async def latest_answer(db: Database, record_id: int, round_: int | None = None) -> Answer | None:
    async with db.session() as session:
        query = select(Answer).where(Answer.record_id == record_id)
        if round_ is not None:
            query = query.where(Answer.round == round_)
        rows = await session.exec(query.order_by(col(Answer.id).desc()))
        return rows.first()


async def latest_evaluation(db: Database, record_id: int) -> Evaluation | None:
    async with db.session() as session:
        rows = await session.exec(
            select(Evaluation)
            .where(Evaluation.record_id == record_id)
            .order_by(col(Evaluation.id).desc())
        )
        return rows.first()


async def handling(db: Database, record: Record) -> Handling:
    """The current round at a glance (for 查提案 and the progress board)."""
    if record.id is None:
        raise NotFound("记录尚未保存。")
    parts = await round_parts(db, record.id, record.round)
    lead = lead_part(parts)
    return Handling(
        round=record.round,
        lead=lead.unit if lead else None,
        assisting=[p.unit for p in parts if not p.is_lead],
        due_date=lead.assignment.due_date if lead else None,
        answer=await latest_answer(db, record.id, record.round),
        evaluation=await latest_evaluation(db, record.id),
    )
