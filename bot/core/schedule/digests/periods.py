"""Which period a digest covers and when it is due: pure functions of dates, instants and the
working-day calendar (no database, no clock), unit-tested directly.

- 日报: every working day; the period is "since the group's last daily digest" (``start`` None),
  keyed by the day.
- 周报: on the first working day of the week; covers the previous week, Monday to Sunday.
- 月报: on the first working day of the month; covers the previous month.
- Catch-up: a digest is due from its send moment (the send day at the scheduled time) for as long
  as its period's key lasts (the same day, week or month), never during quiet hours.
- Manual (推送 立即): up to now — the daily one since the last, the weekly one the last 7 days,
  the monthly one this month so far.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.core.clock import local_instant, to_local
from bot.core.models import DigestKind
from bot.core.schedule.quiet_hours import is_quiet

if TYPE_CHECKING:
    from bot.core.schedule.workdays import WorkCalendar

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Period:
    """What one digest covers. ``start`` None: since the group's last digest of this kind."""

    kind: DigestKind
    key: str
    start: datetime | None
    end: datetime
    label: str
    manual: bool = False
    scheduled_at: datetime | None = None  # when it was due (scheduled runs and catch-up)


def local_midnight(d: date) -> datetime:
    return local_instant(d, time(0))


def local_at(d: date, moment: time) -> datetime:
    return local_instant(d, moment)


def month_start(d: date) -> date:
    return d.replace(day=1)


def previous_month(d: date) -> date:
    """The first day of the month before ``d``'s month."""
    first = d.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def short_date(d: date) -> str:
    return f"{d.month}月{d.day}日"


def day_label(d: date) -> str:
    """``11月25日（星期三）``."""
    return f"{short_date(d)}（星期{WEEKDAYS[d.weekday()]}）"


def first_workday(start: date, end: date, calendar: WorkCalendar) -> date:
    """The first working day in [start, end]; ``start`` when there is none."""
    d = start
    while d <= end:
        if calendar.is_workday(d):
            return d
        d += timedelta(days=1)
    return start


def send_day(kind: DigestKind, d: date, calendar: WorkCalendar) -> date | None:
    """The day in ``d``'s period on which the digest goes (None: daily, not a working day)."""
    if kind is DigestKind.DAILY:
        return d if calendar.is_workday(d) else None
    if kind is DigestKind.WEEKLY:
        monday = d - timedelta(days=d.weekday())
        return first_workday(monday, monday + timedelta(days=6), calendar)
    first = month_start(d)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first_workday(first, last, calendar)


def scheduled_period(kind: DigestKind, now: datetime) -> Period:
    """The period a scheduled digest sent at ``now`` covers."""
    today = to_local(now).date()
    if kind is DigestKind.DAILY:
        return Period(kind, today.isoformat(), None, now, day_label(today))
    if kind is DigestKind.WEEKLY:
        this_monday = today - timedelta(days=today.weekday())
        monday = this_monday - timedelta(days=7)
        year, week, _ = monday.isocalendar()
        label = f"{short_date(monday)}—{short_date(this_monday - timedelta(days=1))}"
        return Period(
            kind, f"{year}-W{week:02d}", local_midnight(monday), local_midnight(this_monday), label
        )
    first = previous_month(today)
    return Period(
        kind,
        f"{first.year}-{first.month:02d}",
        local_midnight(first),
        local_midnight(month_start(today)),
        f"{first.year}年{first.month}月",
    )


def manual_period(kind: DigestKind, now: datetime) -> Period:
    """What `推送 立即` covers at ``now`` (keyed by the instant: never a scheduled period's)."""
    local = to_local(now)
    today = local.date()
    key = f"manual:{local:%Y-%m-%dT%H:%M:%S}"
    if kind is DigestKind.DAILY:
        return Period(kind, key, None, now, day_label(today), manual=True)
    if kind is DigestKind.WEEKLY:
        start = today - timedelta(days=6)
        label = f"{short_date(start)}—{short_date(today)}"
        return Period(kind, key, local_midnight(start), now, label, manual=True)
    first = month_start(today)
    label = f"{first.year}年{first.month}月（截至{short_date(today)}）"
    return Period(kind, key, local_midnight(first), now, label, manual=True)


def due_period(kind: DigestKind, now: datetime, at: time, calendar: WorkCalendar) -> Period | None:
    """The period whose digest is due at ``now`` for a schedule at ``at`` (its send moment has
    passed and its period still lasts: the catch-up after a restart), if any."""
    if is_quiet(now):
        return None
    local = to_local(now)
    today = local.date()
    send = send_day(kind, today, calendar)
    if send is None or send > today:
        return None
    if send == today and local.time().replace(tzinfo=None) < at:
        return None
    return replace(scheduled_period(kind, now), scheduled_at=local_at(send, at))
