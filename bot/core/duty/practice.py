"""Duty points from the handling practice (issue 14): the lead unit's quality rating of a
proposal (提案质量: one source per grade, so each county sets the points of each) and the
year's excellent proposals (优秀提案, counted in the year they were selected). Both go to the
proposal's first proposer (提案人); co-signers are not counted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.duty.table import Source
from bot.core.models import ExcellentProposal, QualityGrade, QualityRating, Record, RecordStatus
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.db import Database

GRADE_SOURCES: dict[QualityGrade, Source] = {
    QualityGrade.EXCELLENT: Source.QUALITY_EXCELLENT,
    QualityGrade.GOOD: Source.QUALITY_GOOD,
    QualityGrade.FAIR: Source.QUALITY_FAIR,
}


QUALITY_SOURCES = frozenset(GRADE_SOURCES.values())


async def practice_facts(
    db: Database, year: int, user_ids: Sequence[str] | None
) -> list[tuple[str, Source, str]]:
    """(user_id, source, what it was) for quality ratings of the year's proposals and the
    excellent proposals selected in the year (``user_ids`` None: everyone)."""
    proposal = RecordKind.PROPOSAL
    counted = (Record.kind == proposal.value, Record.status != RecordStatus.WITHDRAWN)
    rated = (
        select(Record.proposer_user_id, Record.number, QualityRating.grade)
        .select_from(QualityRating)
        .join(Record, col(Record.id) == col(QualityRating.record_id))
        .where(Record.year == year, *counted)
        .order_by(col(Record.number))
    )
    chosen = (
        select(Record.proposer_user_id, Record.number, Record.year)
        .select_from(ExcellentProposal)
        .join(Record, col(Record.id) == col(ExcellentProposal.record_id))
        .where(ExcellentProposal.year == year, *counted)
        .order_by(col(Record.year), col(Record.number))
    )
    if user_ids is not None:
        rated = rated.where(col(Record.proposer_user_id).in_(list(user_ids)))
        chosen = chosen.where(col(Record.proposer_user_id).in_(list(user_ids)))
    async with db.session() as session:
        ratings = (await session.exec(rated)).all()
        excellent = (await session.exec(chosen)).all()
    facts = [
        (user_id, GRADE_SOURCES[QualityGrade(grade)], proposal.describe(number))
        for user_id, number, grade in ratings
    ]
    facts += [
        (
            user_id,
            Source.EXCELLENT_PROPOSAL,
            proposal.describe(number, other_year(record_year, year)),
        )
        for user_id, number, record_year in excellent
    ]
    return facts


def other_year(record_year: int, year: int) -> int | None:
    """The record's year when it is not the year counted (提案2025年第17号)."""
    return record_year if record_year != year else None
