"""履职 统计's shortfalls: members with no proposal (as first proposer), no opinion lead, or
fewer duty points in the year than the office's minimum (DUTY_MINIMUM_POINTS; 0: none), as
闵行 sets one proposal, one opinion lead and a minimum of activities a year. Staff only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.models import Record, RecordStatus
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.db import Database
    from bot.core.duty.service import MemberPoints


@dataclass(frozen=True)
class Shortfalls:
    year: int
    minimum: int
    no_proposal: list[MemberPoints] = field(default_factory=list)
    no_opinion: list[MemberPoints] = field(default_factory=list)
    below: list[MemberPoints] = field(default_factory=list)  # fewest points first


async def authored_kinds(db: Database, year: int) -> dict[str, set[str]]:
    """user id -> the kinds of record they submitted in the year (withdrawn ones not counted)."""
    query = (
        select(Record.proposer_user_id, Record.kind)
        .where(
            Record.year == year,
            Record.status != RecordStatus.WITHDRAWN,
            col(Record.kind).in_([RecordKind.PROPOSAL.value, RecordKind.OPINION.value]),
        )
        .distinct()
    )
    found: dict[str, set[str]] = defaultdict(set)
    async with db.session() as session:
        for user_id, kind in (await session.exec(query)).all():
            found[user_id].add(kind)
    return found


def shortfalls(
    rows: Sequence[MemberPoints], kinds: dict[str, set[str]], minimum: int, year: int
) -> Shortfalls:
    """Who lacks what, each list in the rows' order (the roster's)."""
    none: set[str] = set()
    return Shortfalls(
        year=year,
        minimum=minimum,
        no_proposal=[r for r in rows if RecordKind.PROPOSAL not in kinds.get(r.user_id, none)],
        no_opinion=[r for r in rows if RecordKind.OPINION not in kinds.get(r.user_id, none)],
        below=sorted(
            (r for r in rows if minimum and r.total < minimum), key=lambda r: (r.total, r.name)
        ),
    )
