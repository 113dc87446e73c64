"""The board's key proposals (重点提案, with the supervising leader: 督办) and the year's
excellent proposals (优秀提案): public facts only. Only public proposals (visibility.py) are
listed; the unit's quality rating (提案质量) and the selection's reasons are never shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.board.views import HonourRow
from bot.core.board.visibility import public_clause, public_name
from bot.core.models import ExcellentProposal, KeySupervision, Record, Unit

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


async def key_rows(session: AsyncSession, year: int) -> list[HonourRow]:
    """The year's public key proposals, by number, with their supervising leader if set."""
    query = (
        select(Record, KeySupervision.leader, Unit.name)
        .outerjoin(KeySupervision, col(KeySupervision.record_id) == col(Record.id))
        .outerjoin(Unit, col(Unit.id) == col(KeySupervision.unit_id))
        .where(public_clause(), Record.year == year, col(Record.is_key).is_(True))
        .order_by(col(Record.number))
    )
    rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return [_row(record, leader, unit) for record, leader, unit in rows]


async def excellent_rows(session: AsyncSession, year: int) -> list[HonourRow]:
    """The public proposals selected as excellent in ``year`` (of that year or earlier)."""
    query = (
        select(Record)
        .join(ExcellentProposal, col(ExcellentProposal.record_id) == col(Record.id))
        .where(public_clause(), ExcellentProposal.year == year)
        .order_by(col(Record.year), col(Record.number))
    )
    return [_row(record) for record in (await session.exec(query)).all()]


def _row(record: Record, leader: str | None = None, unit: str | None = None) -> HonourRow:
    return HonourRow(
        year=record.year,
        number=record.number,
        title=record.title,
        proposer=public_name(record.proposer_name, record.proposer_user_id),
        leader=public_name(leader) if leader else None,
        unit=unit,
    )


async def honours_of(session: AsyncSession, record: Record) -> tuple[str | None, int | None]:
    """A public proposal's supervising leader (when it is a key one) and the year it was
    selected as an excellent proposal in (None, None: neither)."""
    leader = None
    if record.is_key:
        found = await session.exec(
            select(KeySupervision.leader).where(KeySupervision.record_id == record.id)
        )
        name = found.first()
        leader = public_name(name) if name else None
    chosen = await session.exec(
        select(ExcellentProposal.year).where(ExcellentProposal.record_id == record.id)
    )
    return leader, chosen.first()
