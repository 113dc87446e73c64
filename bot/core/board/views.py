"""The board's plain data: what each page shows (no database rows leave the read model)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, datetime

    from bot.core.stats import OpinionStats, ProposalStats, UnitPerformance


@dataclass(frozen=True)
class ProposalRef:
    """A proposal another one points to (并案); ``public`` when it has a page of its own."""

    year: int
    number: int
    public: bool


@dataclass(frozen=True)
class ProposalRow:
    """One line of the list: a filed proposal as the public may see it."""

    year: int
    number: int
    title: str
    proposer: str
    sector: str | None
    category: str | None
    status: str  # RecordStatus value
    status_label: str
    is_key: bool
    units: list[str]  # the latest round's units, the lead (主办) first
    answer_category: str | None  # the latest answer's A/B/C
    percent: int  # how far along 立案 → 办结 (0–100)


@dataclass(frozen=True)
class ListFilters:
    """What the list is asked for; every field optional but the year."""

    year: int
    status: str | None = None
    unit: str | None = None
    category: str | None = None
    sector: str | None = None
    query: str = ""
    page: int = 1


@dataclass(frozen=True)
class FilterOptions:
    """The choices the list's filters offer for a year."""

    years: list[int]
    statuses: list[tuple[str, str]]  # (value, label)
    units: list[str]
    categories: list[str]
    sectors: list[str]


@dataclass(frozen=True)
class ProposalPage:
    filters: ListFilters
    rows: list[ProposalRow]
    total: int
    pages: int
    notices: list[str] = field(default_factory=list)  # filters that were ignored, and why


@dataclass(frozen=True)
class Stage:
    """One step of the progress bar: ``done``, ``current``, ``todo`` or ``skipped``."""

    name: str
    state: str
    at: datetime | None = None


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    label: str
    text: str
    link: ProposalRef | None = None


@dataclass(frozen=True)
class RoundView:
    """One handling round (第1轮, and 第2轮 after 重新办理)."""

    round: int
    lead: str | None
    assisting: list[str]
    due: date | None
    answered_at: datetime | None
    answer_category: str | None
    evaluation: str | None  # 满意 / 基本满意 / 不满意


@dataclass(frozen=True)
class ProposalDetail:
    row: ProposalRow
    cosigners: list[str]
    rounds: list[RoundView]
    stages: list[Stage]
    timeline: list[TimelineItem]
    submitted_at: datetime
    merged_into: ProposalRef | None
    merged_from: list[ProposalRef]
    leader: str | None = None  # a key proposal's supervising leader (督办领导)
    excellent_year: int | None = None  # selected as one of that year's 优秀提案


@dataclass(frozen=True)
class OverdueRow:
    year: int
    number: int
    title: str
    unit: str
    due: date
    workdays_overdue: int


@dataclass(frozen=True)
class UnitsPage:
    """The units' performance (效能) in a year: `services.stats.units`' rows, as 统计 单位."""

    year: int
    years: list[int]
    rows: list[UnitPerformance]


@dataclass(frozen=True)
class HonourRow:
    """A key proposal (with its supervising leader and 牵头 unit, when set) or an excellent one."""

    year: int
    number: int
    title: str
    proposer: str
    leader: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Overview:
    """The year at a glance: the rates as 统计 computes them, A/B/C, 立案 by category, overdue."""

    year: int
    years: list[int]
    proposals: ProposalStats
    opinions: OpinionStats
    by_category: list[tuple[str, int]]
    overdue_total: int  # the year's proposals with an overdue assignment (public or not)
    overdue_public: int  # its overdue assignments of public proposals
    overdue: list[OverdueRow]  # the longest overdue of those, one row per unit
    key_proposals: list[HonourRow] = field(default_factory=list)  # 重点提案 (督办)
    excellent: list[HonourRow] = field(default_factory=list)  # 优秀提案 selected in the year
