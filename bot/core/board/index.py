"""The board's in-memory index of each year's public proposals, kept in step incrementally.

Every change to a record writes a timeline entry in the change's transaction, so the largest
timeline id is the data's version: each page asks for it (one indexed lookup), and when it
moved, the records named by the entries since (and by the last :data:`OVERLAP` before, in case
a transaction that took a lower id committed later) are read again, a few rows instead of the
year. Units are few: a new one (the largest unit id) rebuilds. A timeline that went back
(emptied) forgets everything; so does :meth:`BoardIndex.forget`. Another process's changes are
followed the same way, at the next page. As a safety net the whole year is read again every
:data:`REBUILD_SECONDS`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_
from sqlmodel import col, func, select

from bot.core.board.listing import ROW_COLUMNS, make_row
from bot.core.board.visibility import public_clause
from bot.core.models import Answer, Assignment, AssignmentRole, Record, TimelineEntry, Unit

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.board.views import ProposalRow
    from bot.core.clock import Clock

#: Timeline entries read again before the last one seen (commits out of id order).
OVERLAP = 50
#: More changed records than this since the last look: read the year again instead.
MAX_INCREMENTAL = 2000
REBUILD_SECONDS = 600.0


@dataclass(frozen=True)
class Entry:
    row: ProposalRow
    unit_ids: frozenset[int]  # every unit it was assigned to, in any round
    folded: str  # the title, case-folded, for search


@dataclass
class YearIndex:
    year: int
    entries: dict[int, Entry] = field(default_factory=dict)  # by record id
    _ordered: list[Entry] | None = None
    _choices: tuple[list[str], list[str]] | None = None

    def ordered(self) -> list[Entry]:
        """By number."""
        if self._ordered is None:
            self._ordered = sorted(self.entries.values(), key=lambda e: e.row.number)
        return self._ordered

    def choices(self) -> tuple[list[str], list[str]]:
        """The categories and the sectors the year's public proposals have."""
        if self._choices is None:
            rows = [e.row for e in self.entries.values()]
            self._choices = (
                sorted({r.category for r in rows if r.category}),
                sorted({r.sector for r in rows if r.sector}),
            )
        return self._choices

    def update(self, found: dict[int, Entry], asked: Iterable[int]) -> None:
        for record_id in asked:
            entry = found.get(record_id)
            if entry is None:
                self.entries.pop(record_id, None)
            else:
                self.entries[record_id] = entry
        self._ordered = None
        self._choices = None


@dataclass(frozen=True)
class Version:
    timeline: int
    units: int


async def current_version(session: AsyncSession) -> Version:
    timeline = (await session.exec(select(func.max(TimelineEntry.id)))).one()
    units = (await session.exec(select(func.max(Unit.id)))).one()
    return Version(int(timeline or 0), int(units or 0))


async def load_entries(
    session: AsyncSession, year: int, ids: list[int] | None = None
) -> dict[int, Entry]:
    """The year's public proposals (only those among `ids` when given) as index entries."""
    where: list[ColumnElement[bool]] = [public_clause(), col(Record.year) == year]
    if ids is not None:
        where.append(col(Record.id).in_(ids))
    clause = and_(*where)
    rows = (await session.exec(select(*ROW_COLUMNS).where(clause))).all()
    parts = (
        await session.exec(
            select(Assignment.record_id, Assignment.round, Assignment.role, Unit.id, Unit.name)
            .join(Unit, col(Unit.id) == col(Assignment.unit_id))
            .join(Record, col(Record.id) == col(Assignment.record_id))
            .where(clause)
            .order_by(col(Assignment.id))
        )
    ).all()
    answers = (
        await session.exec(
            select(Answer.record_id, Answer.round, Answer.id, Answer.category)
            .join(Record, col(Record.id) == col(Answer.record_id))
            .where(clause)
        )
    ).all()
    units, unit_ids = _latest_units(parts)
    latest = _latest_answers(answers)
    entries: dict[int, Entry] = {}
    for row in rows:
        shown = make_row(row, units.get(row[0], []), latest.get(row[0]))
        entries[row[0]] = Entry(shown, frozenset(unit_ids.get(row[0], ())), shown.title.casefold())
    return entries


def _latest_units(parts: Iterable[tuple]) -> tuple[dict[int, list[str]], dict[int, set[int]]]:  # type: ignore[type-arg]
    """Each record's latest round's unit names (the lead first), and every unit it had."""
    rows = list(parts)
    latest: dict[int, int] = {}
    every: dict[int, set[int]] = defaultdict(set)
    for record_id, round_, _, unit_id, _ in rows:
        latest[record_id] = max(latest.get(record_id, 0), round_)
        every[record_id].add(unit_id)
    names: dict[int, list[tuple[bool, str]]] = defaultdict(list)
    for record_id, round_, role, _, name in rows:
        if round_ == latest[record_id]:
            names[record_id].append((role != AssignmentRole.LEAD, name))
    ordered = {rid: [n for _, n in sorted(v, key=lambda p: p[0])] for rid, v in names.items()}
    return ordered, every


def _latest_answers(answers: Iterable[tuple]) -> dict[int, str]:  # type: ignore[type-arg]
    """Each record's latest answer's A/B/C (latest round, then latest id), as 统计 counts it."""
    latest: dict[int, tuple[int, int, str]] = {}
    for record_id, round_, answer_id, category in answers:
        key = (round_, answer_id or 0, category)
        if record_id not in latest or key > latest[record_id]:
            latest[record_id] = key
    return {rid: key[2] for rid, key in latest.items()}


class BoardIndex:
    """The years asked for so far, each kept in step with the database (see the module)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._years: dict[int, YearIndex] = {}
        self._version = Version(0, 0)
        self._built: datetime | None = None

    @property
    def version(self) -> Version:
        """The data's version at the last look."""
        return self._version

    def forget(self) -> None:
        self._years.clear()
        self._version = Version(0, 0)
        self._built = None

    async def year(self, session: AsyncSession, year: int) -> YearIndex:
        await self.follow(session)
        index = self._years.get(year)
        if index is None:
            index = YearIndex(year, await load_entries(session, year))
            self._years[year] = index
        return index

    async def follow(self, session: AsyncSession) -> Version:
        """Bring the cached years up to date with the database; the version now."""
        version = await current_version(session)
        now = self.clock.now()
        stale = self._built is None or (now - self._built).total_seconds() > REBUILD_SECONDS
        if (
            stale
            or version.units != self._version.units
            or version.timeline < self._version.timeline
        ):
            self._years.clear()
            self._built = now
        elif version.timeline > self._version.timeline and self._years:
            changed = await _changed_records(session, self._version.timeline - OVERLAP)
            if len(changed) > MAX_INCREMENTAL:
                self._years.clear()
                self._built = now
            else:
                for index in self._years.values():
                    index.update(await load_entries(session, index.year, changed), changed)
        self._version = version
        return version


async def _changed_records(session: AsyncSession, after_id: int) -> list[int]:
    rows = await session.exec(
        select(TimelineEntry.record_id).where(col(TimelineEntry.id) > after_id).distinct()
    )
    return list(rows.all())
