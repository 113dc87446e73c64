"""A batch transaction: many small units of work (a sweep's reminder stages) in ONE transaction
instead of one each, with all-or-nothing per batch.

Inside a batch, code that would make a round trip per item memoises or defers instead: the
outbox adds its rows without looking each dedup key up or flushing each one (a key queued
before makes the whole commit fail on the unique constraint), a unit's contacts are read once.
A caller whose batch failed (IntegrityError) redoes its items one transaction each, where every
check is made as usual (bot/core/schedule/reminders/stages.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

#: Rows per INSERT when a batch's rows are written.
INSERT_CHUNK = 1000

_KEY = "bot.batch"


def start(session: AsyncSession) -> None:
    """Make ``session``'s transaction a batch."""
    session.info[_KEY] = {}


def memo(session: AsyncSession | None) -> dict[Any, Any] | None:
    """The batch's memo (what its items looked up), or None when ``session`` is no batch."""
    if session is None:
        return None
    found: dict[Any, Any] | None = session.info.get(_KEY)
    return found


def add_row(session: AsyncSession, table: Table, row: dict[str, Any]) -> bool:
    """Note a row for ``table`` (written by :func:`flush`, no model object made: building a
    SQLModel table object costs more than SQLite takes to store its row). False when
    ``session`` is no batch (then the caller stores it as usual)."""
    found = memo(session)
    if found is None:
        return False
    found.setdefault(("rows", table.name), (table, []))[1].append(row)
    return True


def first(session: AsyncSession, what: str) -> bool:
    """True the first time ``what`` is asked about in this batch (e.g. "wake the sender")."""
    found = memo(session)
    if found is None or ("first", what) in found:
        return False
    found["first", what] = True
    return True


async def flush(session: AsyncSession) -> None:
    """Write the rows noted with :func:`add_row` (a few INSERTs), before the commit."""
    found = memo(session) or {}
    connection = await session.connection()
    for key in [key for key in found if isinstance(key, tuple) and key[0] == "rows"]:
        table, rows = found.pop(key)
        for start in range(0, len(rows), INSERT_CHUNK):
            await connection.execute(insert(table), rows[start : start + INSERT_CHUNK])
