"""StatsService (``services.stats``): THE place every figure comes from — `统计`, the digests,
the export and the progress board all call it."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import col, func, select

from bot.core.clock import Clock, SystemClock, local_date
from bot.core.models import Answer, Assignment, Record, RecordStatus, TimelineEntry, Unit
from bot.core.stats import figures
from bot.core.stats.facts import (
    ProposalFacts,
    YearFacts,
    fingerprint,
    load_year,
    opinion_rows,
)
from bot.core.stats.practice import ConsultationFigures, consultation_figures
from bot.core.stats.rates import OPEN_HANDLING, OpinionStats, ProposalStats, UnitPerformance

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import date, datetime

    from bot.core.db import Database
    from bot.core.schedule.workdays import WorkCalendar


@dataclass(frozen=True)
class OverdueItem:
    """An assignment whose answer is overdue."""

    record: Record
    assignment: Assignment
    unit_name: str
    workdays_overdue: int


@dataclass(frozen=True)
class PeriodCounts:
    """What happened between two instants (new records by kind, answers, conclusions)."""

    new_by_kind: dict[str, int]
    answers: int
    concluded: int


T = TypeVar("T")

#: What a breakdown groups by: the proposer's sector (界别) or the proposal's category (类别).
BREAKDOWNS = ("sector", "category")
UNSET = "（未填）"


class StatsService:
    def __init__(self, db: Database, calendar: WorkCalendar, clock: Clock | None = None) -> None:
        self.db = db
        self.calendar = calendar
        self.clock: Clock = clock or SystemClock()
        self.days = figures.WorkdayCounter(calendar)
        # figures computed since the database last changed (its fingerprint: facts.py)
        self._stamp: tuple[Any, ...] | None = None
        self._facts: dict[int, YearFacts] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}

    def today(self) -> date:
        return local_date(self.clock.now())

    def forget(self) -> None:
        """Drop what was computed (tests empty the tables between them)."""
        self._stamp, self._facts, self._memo = None, {}, {}

    async def _fresh(self) -> None:
        """Forget the computed figures if the database changed since (any process's change)."""
        stamp = await self.db.run_sync(fingerprint)
        if stamp != self._stamp:
            self._stamp, self._facts, self._memo = stamp, {}, {}

    async def facts(self, year: int) -> YearFacts:
        """The year's facts as the database holds them now."""
        await self._fresh()
        return await self._year(year)

    async def _year(self, year: int) -> YearFacts:
        found = self._facts.get(year)
        if found is None:
            stamp, found = await self.db.run_sync(load_year, year)
            if stamp != self._stamp:  # changed meanwhile: keep nothing computed before
                self._stamp, self._memo = stamp, {}
                self._facts = {}
            self._facts[year] = found
        return found

    async def _memoized(self, key: tuple[Any, ...], compute: Callable[[], Awaitable[T]]) -> T:
        """``compute()`` once per database state and day (``today`` decides what is overdue)."""
        await self._fresh()
        full = (*key, self.today())
        if full not in self._memo:
            self._memo[full] = await compute()
        return self._memo[full]  # type: ignore[no-any-return]

    async def proposals(
        self,
        year: int,
        *,
        sector: str | None = None,
        unit: str | None = None,
        category: str | None = None,
    ) -> ProposalStats:
        """The year's proposal figures; optionally only one sector's (the proposer's), one
        unit's (proposals it handles, 主办 or 会办, in any round) or one category's."""

        async def compute() -> ProposalStats:
            facts = await self._year(year)
            selector = _selector(facts, sector=sector, unit=unit, category=category)
            return await asyncio.to_thread(  # off the loop: a year is tens of thousands of rows
                figures.proposal_stats, facts, self.today(), self.days, selector
            )

        found = await self._memoized(("proposals", year, sector, unit, category), compute)
        return replace(found, answer_categories=Counter(found.answer_categories))  # a copy

    async def breakdown(self, year: int, by: str) -> list[tuple[str, ProposalStats]]:
        """The year's figures per sector or per category, most received first (unset last)."""
        if by not in BREAKDOWNS:
            raise ValueError(f"breakdown by {by!r}: one of {BREAKDOWNS}")
        return list(
            await self._memoized(("breakdown", year, by), lambda: self._breakdown(year, by))
        )

    async def _breakdown(self, year: int, by: str) -> list[tuple[str, ProposalStats]]:
        facts = await self._year(year)
        groups: dict[str, list[ProposalFacts]] = defaultdict(list)
        for proposal in facts.proposals:
            groups[getattr(proposal, by) or UNSET].append(proposal)
        today = self.today()

        def compute() -> list[tuple[str, ProposalStats]]:
            return [
                (name, figures.proposal_stats(YearFacts(year, items, {}), today, self.days))
                for name, items in groups.items()
            ]

        rows = await asyncio.to_thread(compute)
        return sorted(rows, key=lambda row: (row[0] == UNSET, -row[1].received, row[0]))

    async def units(self, year: int) -> list[UnitPerformance]:
        """Units' performance (效能) in the year, as lead units (主办), most assigned first."""

        async def compute() -> list[UnitPerformance]:
            facts = await self._year(year)
            return await asyncio.to_thread(figures.unit_table, facts, self.today(), self.days)

        return list(await self._memoized(("units", year), compute))

    async def opinions(
        self, year: int, *, sector: str | None = None, category: str | None = None
    ) -> OpinionStats:
        async def compute() -> OpinionStats:
            rows = await opinion_rows(self.db, year, sector=sector, category=category)
            return figures.opinion_stats(year, *rows)

        return replace(await self._memoized(("opinions", year, sector, category), compute))

    async def consultations(self, year: int) -> ConsultationFigures:
        """办理协商: answers with a recorded contact, and the proposers' view (已沟通/未沟通)."""
        return await self._memoized(
            ("consultations", year), lambda: consultation_figures(self.db, year)
        )

    async def overdue(self, today: date) -> list[OverdueItem]:
        """Open assignments of the current round whose due date is before ``today``."""
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(Assignment, Record, Unit)
                    .join(Record, col(Record.id) == col(Assignment.record_id))
                    .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                    .where(
                        col(Assignment.answered_at).is_(None),
                        col(Assignment.due_date) < today,
                        col(Assignment.round) == col(Record.round),
                        col(Record.status).in_(list(OPEN_HANDLING)),
                    )
                    .order_by(col(Assignment.due_date), col(Record.id))
                )
            ).all()
        return [
            OverdueItem(
                record=record,
                assignment=assignment,
                unit_name=unit.name,
                workdays_overdue=max(1, self.days.between(assignment.due_date, today)),
            )
            for assignment, record, unit in rows
        ]

    async def counts_between(self, start: datetime, end: datetime) -> PeriodCounts:
        async with self.db.session() as session:
            new = (
                await session.exec(
                    select(Record.kind, func.count())
                    .where(
                        Record.created_at >= start,
                        Record.created_at < end,
                        Record.status != RecordStatus.WITHDRAWN,
                    )
                    .group_by(Record.kind)
                )
            ).all()
            answers = (
                await session.exec(
                    select(func.count(func.distinct(Answer.record_id))).where(
                        Answer.answered_at >= start, Answer.answered_at < end
                    )
                )
            ).one()
            concluded = (
                await session.exec(
                    select(func.count(func.distinct(TimelineEntry.record_id))).where(
                        TimelineEntry.at >= start,
                        TimelineEntry.at < end,
                        TimelineEntry.to_status == RecordStatus.CONCLUDED,
                    )
                )
            ).one()
        return PeriodCounts({str(k): int(n) for k, n in new}, int(answers), int(concluded))


def _selector(
    facts: YearFacts, *, sector: str | None, unit: str | None, category: str | None
) -> figures.Selector | None:
    if sector is None and unit is None and category is None:
        return None
    unit_ids = {uid for uid, name in facts.unit_names.items() if name == unit}

    def picks(p: ProposalFacts) -> bool:
        return (
            (sector is None or p.sector == sector)
            and (category is None or p.category == category)
            and (unit is None or bool(p.unit_ids & unit_ids))
        )

    return picks


def overdue_by_unit(items: list[OverdueItem]) -> dict[str, list[OverdueItem]]:
    grouped: dict[str, list[OverdueItem]] = defaultdict(list)
    for item in items:
        grouped[item.unit_name].append(item)
    return dict(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])))
