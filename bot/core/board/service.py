"""`services.board`: the board's pages as plain data (the plugin renders them).

The home page's figures are ``services.stats``'s (the same functions as 统计 and the digests),
so the board and 统计 cannot disagree."""

from __future__ import annotations

from sqlmodel import col, func, select

from bot.core.board.detail import load_detail
from bot.core.board.listing import filter_options, list_page
from bot.core.board.views import (
    FilterOptions,
    ListFilters,
    OverdueRow,
    Overview,
    ProposalDetail,
    ProposalPage,
)
from bot.core.board.visibility import is_public
from bot.core.clock import Clock, local_date
from bot.core.db import Database
from bot.core.models import Record
from bot.core.records.kinds import RecordKind
from bot.core.schedule.stats import ACCEPTED_STATES, StatsService

#: How 立案 proposals without a category are counted.
NO_CATEGORY = "未分类"


class BoardService:
    def __init__(self, db: Database, clock: Clock, stats: StatsService) -> None:
        self.db = db
        self.clock = clock
        self.stats = stats

    def current_year(self) -> int:
        return local_date(self.clock.now()).year

    async def overview(self, year: int) -> Overview:
        proposals = await self.stats.proposals(year)
        opinions = await self.stats.opinions(year)
        overdue = [
            item
            for item in await self.stats.overdue(local_date(self.clock.now()))
            if item.record.year == year and item.record.kind == RecordKind.PROPOSAL.value
        ]
        async with self.db.session() as session:
            by_category = (
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
            options = await filter_options(session, year)
        counted: dict[str, int] = {}
        for category, count in by_category:
            name = category or NO_CATEGORY
            counted[name] = counted.get(name, 0) + int(count)
        return Overview(
            year=year,
            years=sorted({*options.years, year}, reverse=True),
            proposals=proposals,
            opinions=opinions,
            by_category=sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])),
            overdue_total=len({item.record.id for item in overdue}),
            overdue=[
                OverdueRow(
                    year=item.record.year,
                    number=item.record.number,
                    title=item.record.title,
                    unit=item.unit_name,
                    due=item.assignment.due_date,
                    workdays_overdue=item.workdays_overdue,
                )
                for item in overdue
                if is_public(item.record)
            ],
        )

    async def proposals(self, filters: ListFilters) -> tuple[ProposalPage, FilterOptions]:
        async with self.db.session() as session:
            page = await list_page(session, filters)
            options = await filter_options(session, filters.year)
        return page, options

    async def proposal(self, year: int, number: int) -> ProposalDetail | None:
        async with self.db.session() as session:
            return await load_detail(session, year, number)
