"""The list of filed proposals: filters (year, status, unit, category, sector), search, paging,
over the year's index (bot/core/board/index.py) in memory: no query grows with the year."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.board import progress
from bot.core.board.views import FilterOptions, ListFilters, ProposalPage, ProposalRow
from bot.core.board.visibility import PUBLIC_STATES, public_name, scrub
from bot.core.models import Record, RecordStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.board.index import Entry, YearIndex

PAGE_SIZE = 20
#: Longest search text taken (longer input is cut, not refused).
MAX_QUERY = 50

#: The record columns a row is made of (see make_row).
ROW_COLUMNS = (
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


def make_row(row: Sequence[Any], units: list[str], answer_category: str | None) -> ProposalRow:
    """A list row from :data:`ROW_COLUMNS`' values."""
    _id, year, number, title, name, user_id, sector, category, status, is_key = row
    return ProposalRow(
        year=year,
        number=number,
        title=scrub(title, [user_id]),
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


def _matches_query(query: str) -> Any:
    """A test for an entry: the title contains `query` (case-folded), or the number is it."""
    folded = query.casefold()
    number_text = query.removeprefix("第").removesuffix("号")
    number = int(number_text) if number_text.isdigit() and len(number_text) < 9 else None

    def test(entry: Entry) -> bool:
        return folded in entry.folded or entry.row.number == number

    return test


def select_entries(
    index: YearIndex, filters: ListFilters, units: dict[str, int]
) -> tuple[list[Entry], list[str]]:
    """The entries `filters` ask for, by number, and a notice for each filter ignored."""
    entries = index.ordered()
    notices: list[str] = []
    if filters.status:
        if filters.status in {s.value for s in PUBLIC_STATES}:
            entries = [e for e in entries if e.row.status == filters.status]
        else:
            notices.append(f"没有“{filters.status}”这个办理状态，已忽略；请从“状态”列表中选择。")
    if filters.unit:
        unit_id = units.get(filters.unit)
        if unit_id is None:
            notices.append(
                f"没有名为“{filters.unit}”的承办单位，已忽略；请从“承办单位”列表中选择。"
            )
        else:
            entries = [e for e in entries if unit_id in e.unit_ids]
    if filters.category:
        entries = [e for e in entries if e.row.category == filters.category]
    if filters.sector:
        entries = [e for e in entries if e.row.sector == filters.sector]
    query = filters.query.strip()[:MAX_QUERY]
    if query:
        test = _matches_query(query)
        entries = [e for e in entries if test(e)]
    return entries, notices


def list_page(index: YearIndex, filters: ListFilters, units: dict[str, int]) -> ProposalPage:
    entries, notices = select_entries(index, filters, units)
    total = len(entries)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    shown = ListFilters(**{**filters.__dict__, "page": page})
    rows = [e.row for e in entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    return ProposalPage(shown, rows, total, pages, notices)


def filter_options(index: YearIndex, years: list[int], units: list[str]) -> FilterOptions:
    """The choices the filters offer: what the year's public proposals have."""
    categories, sectors = index.choices()
    return FilterOptions(
        years=sorted({*years, index.year}, reverse=True),
        statuses=[(s.value, s.label) for s in PUBLIC_STATES],
        units=units,
        categories=categories,
        sectors=sectors,
    )
