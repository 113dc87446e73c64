"""The list of filed proposals: filters (year, status, unit, category, sector), search, paging.

One count and one page query over ``record`` (the year, the filters and the public clause), then
the page's units and answers by record id: the cost does not grow with the year's size beyond
the count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.board import progress
from bot.core.board.views import FilterOptions, ListFilters, ProposalPage, ProposalRow
from bot.core.board.visibility import PUBLIC_STATES, public_clause, public_name
from bot.core.models import Answer, Assignment, AssignmentRole, Record, RecordStatus, Unit

PAGE_SIZE = 20
#: Longest search text taken (longer input is cut, not refused).
MAX_QUERY = 50

_ROW_COLUMNS = (
    Record.id,
    Record.year,
    Record.number,
    Record.title,
    Record.proposer_name,
    Record.proposer_user_id,
    Record.proposer_sector,
    Record.category,
    Record.status,
    Record.is_key,
)


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere (its own % and _ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def filter_clauses(
    session: AsyncSession, filters: ListFilters
) -> tuple[list[ColumnElement[bool]], list[str]]:
    """The WHERE clauses for `filters`, and a notice for each filter that was ignored."""
    clauses: list[ColumnElement[bool]] = [public_clause(), col(Record.year) == filters.year]
    notices: list[str] = []
    if filters.status:
        if filters.status in {s.value for s in PUBLIC_STATES}:
            clauses.append(col(Record.status) == filters.status)
        else:
            notices.append(f"没有“{filters.status}”这个办理状态，已忽略；请从“状态”列表中选择。")
    if filters.unit:
        unit_id = (
            await session.exec(select(Unit.id).where(col(Unit.name) == filters.unit))
        ).first()
        if unit_id is None:
            notices.append(
                f"没有名为“{filters.unit}”的承办单位，已忽略；请从“承办单位”列表中选择。"
            )
        else:
            clauses.append(
                exists().where(
                    col(Assignment.record_id) == col(Record.id), col(Assignment.unit_id) == unit_id
                )
            )
    if filters.category:
        clauses.append(col(Record.category) == filters.category)
    if filters.sector:
        clauses.append(col(Record.proposer_sector) == filters.sector)
    query = filters.query.strip()[:MAX_QUERY]
    if query:
        matches: list[ColumnElement[bool]] = [col(Record.title).like(_like(query), escape="\\")]
        number = query.removeprefix("第").removesuffix("号")
        if number.isdigit() and len(number) < 9:
            matches.append(col(Record.number) == int(number))
        clauses.append(or_(*matches))
    return clauses, notices


async def list_page(session: AsyncSession, filters: ListFilters) -> ProposalPage:
    clauses, notices = await filter_clauses(session, filters)
    where = and_(*clauses)
    total = int((await session.exec(select(func.count()).select_from(Record).where(where))).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    rows = (
        await session.exec(
            select(*_ROW_COLUMNS)
            .where(where)
            .order_by(col(Record.number))
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    ids = [row[0] for row in rows]
    units = await units_of(session, ids)
    answers = await answer_categories(session, ids)
    shown = ListFilters(**{**filters.__dict__, "page": page})
    return ProposalPage(
        shown,
        [make_row(row, units.get(row[0], []), answers.get(row[0])) for row in rows],
        total,
        pages,
        notices,
    )


def make_row(row: Sequence[Any], units: list[str], answer_category: str | None) -> ProposalRow:
    _id, year, number, title, name, user_id, sector, category, status, is_key = row
    return ProposalRow(
        year=year,
        number=number,
        title=title,
        proposer=public_name(name, user_id),
        sector=sector,
        category=category,
        status=status,
        status_label=RecordStatus(status).label,
        is_key=bool(is_key),
        units=units,
        answer_category=answer_category,
        percent=progress.percent(status),
    )


async def units_of(session: AsyncSession, ids: list[int]) -> dict[int, list[str]]:
    """Each record's units in its latest round with an assignment, the lead first."""
    if not ids:
        return {}
    rows = (
        await session.exec(
            select(Assignment.record_id, Assignment.round, Assignment.role, Unit.name)
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .where(col(Assignment.record_id).in_(ids))
            .order_by(col(Assignment.id))
        )
    ).all()
    latest: dict[int, int] = {}
    for record_id, round_, _, _ in rows:
        latest[record_id] = max(latest.get(record_id, 0), round_)
    found: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    for record_id, round_, role, name in rows:
        if round_ == latest[record_id]:
            found[record_id].append((role != AssignmentRole.LEAD, name))
    return {
        rid: [name for _, name in sorted(names, key=lambda p: p[0])] for rid, names in found.items()
    }


async def answer_categories(session: AsyncSession, ids: list[int]) -> dict[int, str]:
    """Each record's latest answer's A/B/C (as 统计 counts it: latest round, then latest id)."""
    if not ids:
        return {}
    rows = (
        await session.exec(
            select(Answer.record_id, Answer.round, Answer.id, Answer.category).where(
                col(Answer.record_id).in_(ids)
            )
        )
    ).all()
    latest: dict[int, tuple[int, int, str]] = {}
    for record_id, round_, answer_id, category in rows:
        key = (round_, answer_id or 0, category)
        if record_id not in latest or key > latest[record_id]:
            latest[record_id] = key
    return {rid: key[2] for rid, key in latest.items()}


async def filter_options(session: AsyncSession, year: int) -> FilterOptions:
    """The years with public proposals, and the year's statuses, units, categories, sectors."""
    public = public_clause()
    years = (
        await session.exec(
            select(Record.year).where(public).distinct().order_by(col(Record.year).desc())
        )
    ).all()
    in_year = and_(public, col(Record.year) == year)
    categories = (
        await session.exec(
            select(Record.category).where(in_year, col(Record.category).is_not(None)).distinct()
        )
    ).all()
    sectors = (
        await session.exec(
            select(Record.proposer_sector)
            .where(in_year, col(Record.proposer_sector).is_not(None))
            .distinct()
        )
    ).all()
    units = (await session.exec(select(Unit.name).order_by(col(Unit.name)))).all()
    return FilterOptions(
        years=list(years) or [year],
        statuses=[(s.value, s.label) for s in PUBLIC_STATES],
        units=list(units),
        categories=sorted(c for c in categories if c),
        sectors=sorted(s for s in sectors if s),
    )
