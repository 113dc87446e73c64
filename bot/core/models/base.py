"""Shared column types and helpers for the SQLModel tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from bot.core.clock import as_utc, utcnow


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; returns aware UTC datetimes (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


def utc_field(*, nullable: bool = False, index: bool = False, default_now: bool = True) -> Any:
    """A UTC datetime column; defaults to now unless nullable."""
    if nullable:
        return Field(default=None, sa_type=UtcDateTime, nullable=True, index=index)
    if default_now:
        return Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False, index=index)
    return Field(sa_type=UtcDateTime, nullable=False, index=index)
