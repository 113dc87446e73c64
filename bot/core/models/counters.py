"""Counters shared by every process on the database: record numbers and cache versions."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RecordCounter(SQLModel, table=True):
    """The last number given to a record of one kind in one numbering year.

    A post takes its number by incrementing this row inside its own transaction, so the row
    stays locked until the post commits (or rolls back, returning the number): concurrent posts,
    in this process or another, queue on it instead of racing for ``max(number) + 1``.
    """

    __tablename__ = "record_counter"

    kind: str = Field(max_length=16, primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = 0


class ChangeVersion(SQLModel, table=True):
    """Bumped in the same transaction as every change to a table that processes cache (e.g.
    ``channels`` for group bindings), so another process sharing the database notices the
    change by reading this small table every few seconds."""

    __tablename__ = "change_version"

    topic: str = Field(max_length=32, primary_key=True)
    version: int = 0
