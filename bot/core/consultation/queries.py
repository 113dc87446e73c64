"""Reading the plan and the pool of topics: for chat (协商计划, 议题) and, later, the web board
(`public_plan`, `open_topics`: only what may be shown to the public)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, or_
from sqlmodel import col, select

from bot.core.consultation.forms import DEFAULT_FORMS, FormList
from bot.core.models import (
    Cosign,
    CosignStatus,
    PlanEntry,
    PlanItem,
    Record,
    RecordStatus,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database

#: Topics listed by `议题` at most.
POOL_LIMIT = 30


@dataclass(frozen=True)
class PlanRow:
    item: PlanItem
    record: Record


@dataclass(frozen=True)
class PoolRow:
    record: Record
    supporters: int


async def supporters(session: AsyncSession, record_id: int) -> list[Cosign]:
    """The members who confirmed their support (附议) of a topic."""
    rows = await session.exec(
        select(Cosign)
        .where(Cosign.record_id == record_id, Cosign.status == CosignStatus.CONFIRMED)
        .order_by(col(Cosign.id))
    )
    return list(rows.all())


async def plan_rows(
    db: Database, year: int, *, public_only: bool = False, forms: FormList = DEFAULT_FORMS
) -> list[PlanRow]:
    """The year's plan items in the plan's order: by form, then number within the form."""
    query = (
        select(PlanItem, Record)
        .join(Record, col(Record.id) == col(PlanItem.record_id))
        .where(PlanItem.year == year, Record.status != RecordStatus.WITHDRAWN)
    )
    if public_only:
        query = query.where(col(PlanItem.public).is_(True))
    async with db.session() as session:
        rows = [PlanRow(item, record) for item, record in (await session.exec(query)).all()]
    rows.sort(key=lambda r: (forms.order(r.item.form), r.item.form, r.item.form_number))
    return rows


async def item_of(db: Database, record_id: int) -> PlanItem | None:
    async with db.session() as session:
        return (await session.exec(select(PlanItem).where(PlanItem.record_id == record_id))).first()


async def entries(db: Database, item_id: int) -> list[PlanEntry]:
    async with db.session() as session:
        rows = await session.exec(
            select(PlanEntry)
            .where(PlanEntry.plan_item_id == item_id)
            .order_by(col(PlanEntry.at), col(PlanEntry.id))
        )
        return list(rows.all())


async def pool(
    db: Database, *, include_private: bool, own_user_id: str | None = None
) -> list[PoolRow]:
    """Topics waiting to be chosen (已提交), most supported first. Privately submitted ones only
    with `include_private` (staff, privately) or when they are `own_user_id`'s."""
    support = (
        select(Cosign.record_id, func.count().label("n"))
        .where(Cosign.status == CosignStatus.CONFIRMED)
        .group_by(col(Cosign.record_id))
        .subquery()
    )
    query = (
        select(Record, func.coalesce(support.c.n, 0))
        .outerjoin(support, support.c.record_id == col(Record.id))
        .where(Record.kind == RecordKind.TOPIC.value, Record.status == RecordStatus.SUBMITTED)
    )
    if not include_private:
        visible = Record.source_kind != "private"
        if own_user_id is not None:
            visible = or_(visible, Record.proposer_user_id == own_user_id)
        query = query.where(visible)
    query = query.order_by(func.coalesce(support.c.n, 0).desc(), col(Record.id))
    async with db.session() as session:
        rows = (await session.exec(query.limit(POOL_LIMIT + 1))).all()
    return [PoolRow(record, int(n)) for record, n in rows]


async def public_plan(db: Database, year: int, forms: FormList = DEFAULT_FORMS) -> list[PlanRow]:
    """The plan as the public may read it (the board): public items only, in `forms`' order
    (``services.consultation.forms``)."""
    return await plan_rows(db, year, public_only=True, forms=forms)


async def open_topics(db: Database) -> list[PoolRow]:
    """Topics open for suggestions as the public may read them (none submitted privately)."""
    return await pool(db, include_private=False)
