"""When reminders may go out and how old things are, in working days (pure: no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.clock import local_instant, to_local
from bot.core.schedule.quiet_hours import QUIET_UNTIL, may_remind

if TYPE_CHECKING:
    from bot.core.schedule.workdays import WorkCalendar


class WorkdayIndex:
    """``workdays_between`` in O(1): prefix counts of working days over a range of dates."""

    def __init__(self, calendar: WorkCalendar, start: date, end: date) -> None:
        self.calendar = calendar
        self.start = start
        self.end = end
        counts = [0]
        d = start
        while d < end:
            d += timedelta(days=1)
            counts.append(counts[-1] + (1 if calendar.is_workday(d) else 0))
        self._counts = counts

    def between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]`` (negative when ``b < a``), like the calendar's."""
        if self.start <= a <= self.end and self.start <= b <= self.end:
            return self._counts[(b - self.start).days] - self._counts[(a - self.start).days]
        return self.calendar.workdays_between(a, b)


def next_allowed(moment: datetime, calendar: WorkCalendar) -> datetime:
    """``moment`` itself when reminders may go out then, else 08:00 of the next working day
    (today's, when it is a working day and not yet 08:00)."""
    if may_remind(moment, calendar):
        return moment
    local = to_local(moment)
    d = local.date()
    if local.time().replace(tzinfo=None) >= QUIET_UNTIL:
        d += timedelta(days=1)
    d = calendar.workday_on_or_after(d)
    return local_instant(d, QUIET_UNTIL)


def workdays_ago(today: date, index: WorkdayIndex, workdays: int) -> datetime:
    """The first instant of the day after the last day that lies ``workdays`` working days
    before ``today``: a thing that happened before it is at least that old."""
    d = today
    while index.between(d, today) < workdays:
        d -= timedelta(days=1)
    return local_instant(d + timedelta(days=1), datetime.min.time())


def iso_week(today: date) -> str:
    """``2026-W48``."""
    return "{}-W{:02d}".format(*today.isocalendar()[:2])
