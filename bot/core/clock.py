"""Time helpers: store UTC, show the local zone. Never call naive ``datetime.now()``.

The local zone (setting BOT_TIMEZONE, default Asia/Shanghai) governs display, schedules, quiet
hours, working days and "today", and the numbering year. It is set once at start
(:func:`set_local_zone`, by :class:`~bot.core.services.Services`) and read at use time through
:func:`local_zone` — never copied into a module constant, or a change would not reach it.

Services take a :class:`Clock` so tests can move time by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"

_zone = ZoneInfo(DEFAULT_ZONE)


def set_local_zone(zone: str | ZoneInfo) -> ZoneInfo:
    """Make `zone` the process's local zone (an IANA name such as ``America/Chicago``)."""
    global _zone
    _zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return _zone


def local_zone() -> ZoneInfo:
    """The local zone: for display, schedules, quiet hours, working days and the year."""
    return _zone


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime (as SQLite returns them) as UTC; convert an aware one to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """A stored (UTC) datetime in the local zone, for display."""
    return as_utc(value).astimezone(_zone)


def local_date(value: datetime) -> date:
    return to_local(value).date()


def local_instant(d: date, moment: time) -> datetime:
    """The instant (UTC) of local wall-clock time `moment` on local day `d`."""
    return as_utc(datetime.combine(d, moment, tzinfo=_zone))


def format_local(value: datetime, with_time: bool = True) -> str:
    local = to_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")


def fmt_date(d: date) -> str:
    """A calendar date as the texts write it: 2026年3月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return utcnow()


class FakeClock:
    """A clock for tests: starts at a given instant and moves only when told."""

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, value: datetime) -> None:
        self._now = as_utc(value)

    def advance(self, delta: timedelta) -> None:
        self._now += delta
