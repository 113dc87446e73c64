"""Record numbers from a counter row, taken inside the caller's transaction.

``next_number`` increments the (kind, year) row of ``record_counter`` with one upsert and returns
the new value. The row stays locked until the caller's transaction ends, so a concurrent post
in any process sharing the database waits for it (PostgreSQL row lock; SQLite serialises
writers anyway) and then gets the following number: no two posts ever compute the same
``max(number) + 1``, and nothing is retried. A rolled-back post gives its number back with the
increment. The first post of a year inserts the row; a row behind the records (records written
without the counter, e.g. restored from an old dump) catches up with their highest number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bot.core.models import Record, RecordCounter

if TYPE_CHECKING:
    from sqlmodel import Session

_COUNTER = RecordCounter.__table__  # type: ignore[attr-defined]


def _next_number_statement(dialect: str) -> Any:
    # bind names differ from the column names: insert().values() reserves those
    following = (
        select(func.coalesce(func.max(Record.number), 0) + 1)
        .where(Record.kind == bindparam("number_kind"), Record.year == bindparam("number_year"))
        .scalar_subquery()
    )
    factory = postgresql.insert if dialect == "postgresql" else sqlite_dialect.insert
    insert = factory(_COUNTER).values(
        kind=bindparam("number_kind"), year=bindparam("number_year"), last_number=following
    )
    # GREATEST on PostgreSQL; SQLite's two-argument max() is the same thing
    greatest = func.greatest if dialect == "postgresql" else func.max
    return insert.on_conflict_do_update(
        index_elements=[_COUNTER.c.kind, _COUNTER.c.year],
        set_={"last_number": greatest(_COUNTER.c.last_number + 1, insert.excluded.last_number)},
    ).returning(_COUNTER.c.last_number)


# Built once per dialect: constructing a statement costs more than SQLite takes to run it.
_STATEMENTS: dict[str, Any] = {}


def next_number(session: Session, kind: str, year: int) -> int:
    """The next number of `kind` in `year`, reserved in the session's transaction (which
    holds the counter row until it commits or rolls back)."""
    dialect = session.get_bind().dialect.name
    statement = _STATEMENTS.get(dialect)
    if statement is None:
        statement = _STATEMENTS[dialect] = _next_number_statement(dialect)
    params = {"number_kind": kind, "number_year": year}
    return int(session.exec(statement, params=params).scalar_one())  # type: ignore[call-overload]
