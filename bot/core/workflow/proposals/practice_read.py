"""What the handling practice stores, as statistics, duty points and the board read it (one
call per figure, for a numbering year). The data: ``consultation`` (沟通), ``evaluation.consulted``
(the proposer's 已沟通/未沟通), ``quality_rating`` (提案质量), ``key_supervision`` (督办领导),
timeline entries ``supervise`` (督办 activities), ``lookback`` (回头看) and
``excellent_proposal`` (优秀提案)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func
from sqlmodel import col, select

from bot.core.models import (
    ExcellentProposal,
    KeySupervision,
    Lookback,
    LookbackOutcome,
    QualityGrade,
    QualityRating,
    Record,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind
from bot.core.stats.practice import ConsultationFigures, consultation_figures
from bot.core.workflow.proposals.base import ProposalSteps

_OF_YEAR = (Record.kind == RecordKind.PROPOSAL.value,)


@dataclass(frozen=True)
class Supervised:
    """A key proposal's supervising leader, 牵头 unit, and how many 督办 activities it had."""

    record_id: int
    leader: str
    unit: str | None
    activities: int


class PracticeReads(ProposalSteps):
    async def consultation_figures(self, year: int) -> ConsultationFigures:
        """The same figures as `统计` shows (bot/core/stats/practice.py computes them)."""
        return await consultation_figures(self.db, year)

    async def quality_ratings(self, year: int) -> dict[int, QualityGrade]:
        """Record id -> the lead unit's quality rating (提案质量), for duty points."""
        query = (
            select(QualityRating.record_id, QualityRating.grade)
            .join(Record, col(Record.id) == col(QualityRating.record_id))
            .where(Record.year == year, *_OF_YEAR)
        )
        async with self.db.session() as session:
            return {rid: QualityGrade(g) for rid, g in (await session.exec(query)).all()}

    async def excellent_ids(self, year: int) -> list[int]:
        """Record ids of the year's excellent proposals (优秀提案; ``year``: the selection year)."""
        query = select(ExcellentProposal.record_id).where(ExcellentProposal.year == year)
        async with self.db.session() as session:
            return list((await session.exec(query.order_by(col(ExcellentProposal.id)))).all())

    async def supervised(self, year: int) -> list[Supervised]:
        """The year's key proposals with a supervising leader, and their 督办 activities."""
        activities = (
            select(func.count(col(TimelineEntry.id)))
            .where(
                and_(
                    col(TimelineEntry.record_id) == col(Record.id),
                    TimelineEntry.action == "supervise",
                )
            )
            .scalar_subquery()
        )
        query = (
            select(KeySupervision.record_id, KeySupervision.leader, Unit.name, activities)
            .join(Record, col(Record.id) == col(KeySupervision.record_id))
            .outerjoin(Unit, col(Unit.id) == col(KeySupervision.unit_id))
            .where(Record.year == year, col(Record.is_key).is_(True), *_OF_YEAR)
            .order_by(col(Record.number))
        )
        async with self.db.session() as session:
            rows = (await session.exec(query)).all()  # type: ignore[call-overload]
        return [Supervised(rid, leader, unit, int(n or 0)) for rid, leader, unit, n in rows]

    async def lookback_outcomes(self, year: int) -> dict[int, LookbackOutcome | None]:
        """Record id -> the outcome of its look-back in ``year`` (None: asked, not answered)."""
        query = select(Lookback.record_id, Lookback.outcome).where(Lookback.year == year)
        async with self.db.session() as session:
            rows = (await session.exec(query)).all()
        return {rid: LookbackOutcome(o) if o else None for rid, o in rows}
