"""Digests: 日报 to whole-body groups, 周报 to sector groups, 月报 to the staff group.

periods.py (which period a run covers, when it is due: pure), queries.py (what the digests read),
builders.py (their texts: pure), service.py (schedules and idempotent runs), words.py (推送's words).

Rules
-----
- **日报** (daily): on working days at the scheduled time (default 09:00); what happened *since the
  last daily digest of that group*: new proposals, opinion leads and topics, state changes, and how
  many answers await the proposer's evaluation.
- **周报** (weekly): on the first working day of the week (Monday, unless it is a holiday); the
  sector's members' records: new ones and progress during the previous week (Monday–Sunday), and
  the sector's totals for the year.
- **月报** (monthly): on the first working day of the month (the 1st is often a holiday, e.g.
  元旦, 五一, 国庆): the previous month's new records, answers and conclusions, the year's rates
  (bot/core/stats) and the overdue units.

A digest with nothing new is not sent (and recorded as ``empty``). Each (kind, group, period) is
handled once: the :class:`DigestRun` row and the outbox row are written in one transaction, and the
unique (kind, group, period) makes a second attempt — a restart, a second process, the scheduled
job and a catch-up at once — a no-op. A digest missed while the bot was down is sent when it comes
back: the daily one the same day, the weekly and monthly ones any day of the same week or month;
never during quiet hours (21:00–08:00), and not to a group bound after the digest was due (a group
bound at 14:00 gets its first daily digest the next working day). Records submitted privately are
never listed in a group (they are only counted, as new or as progressed). Members' groups hear of
new records and positive progress only: 不予立案, 未采用 and 撤回 are told to the member
privately and counted in the staff digest (月报) alone. Framework-free.
"""

from bot.core.schedule.digests.builders import Digest
from bot.core.schedule.digests.periods import Period, local_at
from bot.core.schedule.digests.service import DigestOutcome, DigestService
from bot.core.schedule.digests.words import (
    CHANNEL_OF,
    SCHEDULE_WORDS,
    TARGET_WORDS,
    parse_kind,
    parse_time,
)

__all__ = [
    "CHANNEL_OF",
    "SCHEDULE_WORDS",
    "TARGET_WORDS",
    "Digest",
    "DigestOutcome",
    "DigestService",
    "Period",
    "local_at",
    "parse_kind",
    "parse_time",
]
