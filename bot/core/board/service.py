"""`services.board`: the board's pages as plain data (the plugin renders them).

The home page's figures are ``services.stats``'s (the same functions as 统计 and the digests),
so the board and 统计 cannot disagree. They, and each year's list, are kept in memory and
computed again only when the data's version moved (bot/core/board/index.py): a page costs
the version lookup while nothing changes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlmodel import col, func, select

from bot.core.board.detail import load_detail
from bot.core.board.index import BoardIndex, Version
from bot.core.board.listing import filter_options, list_page
from bot.core.board.practice import excellent_rows, key_rows
from bot.core.board.views import (
    FilterOptions,
    ListFilters,
    OverdueRow,
    Overview,
    ProposalDetail,
    ProposalPage,
    UnitsPage,
)
from bot.core.board.visibility import is_public, public_clause
from bot.core.clock import Clock, local_date
from bot.core.models import Record, Unit
from bot.core.records.kinds import RecordKind
from bot.core.stats import ACCEPTED_STATES, OverdueItem, StatsService

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database

#: How 立案 proposals without a category are counted.
NO_CATEGORY = "未分类"
#: The home page lists this many overdue assignments, the longest overdue first.
OVERDUE_SHOWN = 30


class BoardService:
    def __init__(self, db: Database, clock: Clock, stats: StatsService) -> None:
        self.db = db
        self.clock = clock
        self.stats = stats
        self.index = BoardIndex(clock)
        self._overviews: dict[tuple[int, date], tuple[Version, Overview]] = {}
        self._years: tuple[Version, list[int]] | None = None

    def current_year(self) -> int:
        return local_date(self.clock.now()).year

    def forget(self) -> None:
        """Drop what is kept in memory (tests, after emptying the tables)."""
        self.index.forget()
        self._overviews.clear()
        self._years = None

    async def _public_years(self, session: AsyncSession, version: Version) -> list[int]:
        """Years with a public proposal (read again when the data moved)."""
        if self._years is None or self._years[0] != version:
            rows = await session.exec(select(Record.year).where(public_clause()).distinct())
            self._years = (version, sorted(rows.all(), reverse=True))
        return self._years[1]

    async def overview(self, year: int) -> Overview:
        today = local_date(self.clock.now())
        async with self.db.session() as session:
            version = await self.index.follow(session)
            kept = self._overviews.get((year, today))
            if kept is not None and kept[0] == version:
                return kept[1]
            by_category = await _by_category(session, year)
            years = await self._public_years(session, version)
            honours = await key_rows(session, year), await excellent_rows(session, year)
        overview = replace(
            await self._compute(year, today, by_category, years),
            key_proposals=honours[0],
            excellent=honours[1],
        )
        kept_today = {k: v for k, v in self._overviews.items() if k[1] == today}
        self._overviews = {**kept_today, (year, today): (version, overview)}
        return overview

    async def _compute(
        self, year: int, today: date, by_category: dict[str, int], years: list[int]
    ) -> Overview:
        proposals = await self.stats.proposals(year)
        opinions = await self.stats.opinions(year)
        overdue = [
            item
            for item in await self.stats.overdue(today)
            if item.record.year == year and item.record.kind == RecordKind.PROPOSAL.value
        ]
        return Overview(
            year=year,
            years=sorted({*years, year}, reverse=True),
            proposals=proposals,
            opinions=opinions,
            by_category=sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0])),
            overdue_total=len({item.record.id for item in overdue}),
            overdue_public=sum(1 for item in overdue if is_public(item.record)),
            overdue=[
                _overdue_row(item)
                for item in sorted(overdue, key=lambda i: -i.workdays_overdue)
                if is_public(item.record)
            ][:OVERDUE_SHOWN],
        )

    async def units(self, year: int) -> UnitsPage:
        """The units' table (效能) as `统计 单位` gives it: one function computes both."""
        async with self.db.session() as session:
            version = await self.index.follow(session)
            years = await self._public_years(session, version)
        rows = await self.stats.units(year)
        return UnitsPage(year=year, years=sorted({*years, year}, reverse=True), rows=rows)

    async def proposals(self, filters: ListFilters) -> tuple[ProposalPage, FilterOptions]:
        async with self.db.session() as session:
            index = await self.index.year(session, filters.year)
            units = (await session.exec(select(Unit.name, Unit.id).order_by(col(Unit.name)))).all()
            years = await self._public_years(session, self.index.version)
        page = list_page(index, filters, {name: uid or 0 for name, uid in units})
        return page, filter_options(index, years, [name for name, _ in units])

    async def proposal(self, year: int, number: int) -> ProposalDetail | None:
        async with self.db.session() as session:
            return await load_detail(session, year, number)


def _overdue_row(item: OverdueItem) -> OverdueRow:
    return OverdueRow(
        year=item.record.year,
        number=item.record.number,
        title=item.record.title,
        unit=item.unit_name,
        due=item.assignment.due_date,
        workdays_overdue=item.workdays_overdue,
    )


async def _by_category(session: AsyncSession, year: int) -> dict[str, int]:
    """立案 proposals (as 统计 counts them, private ones included) by category."""
    rows = (
        await session.exec(
            select(Record.category, func.count())
            .where(
                col(Record.kind) == RecordKind.PROPOSAL.value,
                col(Record.year) == year,
                col(Record.status).in_(list(ACCEPTED_STATES)),
            )
            .group_by(col(Record.category))
        )
    ).all()
    counted: dict[str, int] = {}
    for category, count in rows:
        name = category or NO_CATEGORY
        counted[name] = counted.get(name, 0) + int(count)
    return counted
