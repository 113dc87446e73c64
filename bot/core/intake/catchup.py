"""Records that other processes sharing the database created, for this one's similarity index.

A record is indexed by the process that stores it. Another bot process on the same database
learns of it from the record counters (``record_counter``: the last number per kind and year,
raised in the transaction that stores the record): a counter above what this process has
caught up to means records it has not seen. Counters are read at most every few seconds,
before a post is compared, in one small query; only the records past the old counter are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from bot.core.models import Record, RecordCounter

if TYPE_CHECKING:
    from collections.abc import Collection

CounterKey = tuple[str, int]
"""(kind, year)"""
IndexRow = tuple[int, str, int, str, str, str]
"""(id, kind, year, title, body, content hash): what the similarity index is built from."""


def read_counters(session: Session, since_year: int) -> dict[CounterKey, int]:
    """The last number given per (kind, year), for years from `since_year` on."""
    rows = session.exec(select(RecordCounter).where(RecordCounter.year >= since_year))
    return {(row.kind, row.year): row.last_number for row in rows}


def records_past(
    session: Session,
    counted: dict[CounterKey, int],
    since_year: int,
    not_indexed: Collection[str],
) -> tuple[dict[CounterKey, int], list[IndexRow]]:
    """The counters now, and the records numbered past `counted` (what this process had
    caught up to). A counter below what was counted (the table emptied, a restore) means
    every record of that kind and year is looked at again."""
    counters = read_counters(session, since_year)
    ranges = []
    for (kind, year), last in counters.items():
        known = counted.get((kind, year), 0)
        if last != known:
            low = known if last > known else 0
            ranges.append(and_(Record.kind == kind, Record.year == year, Record.number > low))
    if not ranges:
        return counters, []
    rows = session.exec(
        select(
            Record.id, Record.kind, Record.year, Record.title, Record.body, Record.content_hash
        ).where(or_(*ranges), col(Record.status).not_in(list(not_indexed)))
    ).all()
    return counters, [(r[0] or 0, r[1], r[2], r[3], r[4], r[5]) for r in rows]
