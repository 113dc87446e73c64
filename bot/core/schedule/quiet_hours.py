"""When the bot may start conversations: not at night (21:00–08:00 local), and for reminders not
on rest days either. Scheduled digests and reminders check here; replies to commands do not."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from bot.core.clock import to_local

if TYPE_CHECKING:
    from bot.core.schedule.workdays import WorkCalendar

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)


def is_quiet(moment: datetime) -> bool:
    """True between 21:00 and 08:00 in the local zone (BOT_TIMEZONE)."""
    local = to_local(moment).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def may_remind(moment: datetime, calendar: WorkCalendar) -> bool:
    """Reminders go out on working days, 08:00–21:00 local."""
    return not is_quiet(moment) and calendar.is_workday(to_local(moment).date())
