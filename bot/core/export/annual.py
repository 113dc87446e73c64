"""The figures of the office's annual report draft (提案工作情况报告, `导出 报告 2026`): all of
them from ``services.stats`` (the same as `统计`), and the year's key proposals (with their
supervising leaders) and excellent proposals. Staff only: private proposals are included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.models import ExcellentProposal, KeySupervision, Record, RecordStatus, Unit
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from bot.core.db import Database
    from bot.core.stats import (
        ConsultationFigures,
        OpinionStats,
        ProposalStats,
        StatsService,
        UnitPerformance,
    )


@dataclass(frozen=True)
class Listed:
    """A key or excellent proposal as the report names it."""

    label: str  # 第17号 (2025年第17号 for an earlier year's)
    title: str
    proposer: str
    note: str = ""  # the supervising leader and 牵头 unit, or the selection's reason


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    proposals: ProposalStats
    opinions: OpinionStats
    by_category: list[tuple[str, ProposalStats]]
    by_sector: list[tuple[str, ProposalStats]]
    units: list[UnitPerformance]
    consultation: ConsultationFigures
    key: list[Listed]
    excellent: list[Listed]


async def annual_figures(db: Database, stats: StatsService, year: int) -> AnnualFigures:
    return AnnualFigures(
        year=year,
        proposals=await stats.proposals(year),
        opinions=await stats.opinions(year),
        by_category=await stats.breakdown(year, "category"),
        by_sector=await stats.breakdown(year, "sector"),
        units=await stats.units(year),
        consultation=await stats.consultations(year),
        key=await _key(db, year),
        excellent=await _excellent(db, year),
    )


async def _key(db: Database, year: int) -> list[Listed]:
    query = (
        select(Record, KeySupervision.leader, Unit.name)
        .outerjoin(KeySupervision, col(KeySupervision.record_id) == col(Record.id))
        .outerjoin(Unit, col(Unit.id) == col(KeySupervision.unit_id))
        .where(
            Record.kind == RecordKind.PROPOSAL.value,
            Record.year == year,
            col(Record.is_key).is_(True),
            Record.status != RecordStatus.WITHDRAWN,
        )
        .order_by(col(Record.number))
    )
    async with db.session() as session:
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    listed = []
    for record, leader, unit in rows:
        note = f"督办领导：{leader}" if leader else "督办领导未确定"
        note += f"，牵头单位：{unit}" if unit else ""
        listed.append(Listed(f"第{record.number}号", record.title, record.proposer_name, note))
    return listed


async def _excellent(db: Database, year: int) -> list[Listed]:
    query = (
        select(Record, ExcellentProposal.reason)
        .join(ExcellentProposal, col(ExcellentProposal.record_id) == col(Record.id))
        .where(ExcellentProposal.year == year)
        .order_by(col(Record.year), col(Record.number))
    )
    async with db.session() as session:
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return [
        Listed(
            RecordKind.PROPOSAL.format_number(r.number, r.year if r.year != year else None),
            r.title,
            r.proposer_name,
            reason,
        )
        for r, reason in rows
    ]
