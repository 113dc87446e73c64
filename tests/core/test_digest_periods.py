"""The digests' period arithmetic, as plain functions of dates and instants (no database, no
clock): which period a run covers, when a digest is due, and the catch-up after a restart."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.core.clock import local_instant
from bot.core.models import DigestKind
from bot.core.schedule.digests.periods import (
    due_period,
    first_workday,
    manual_period,
    scheduled_period,
    send_day,
)
from bot.core.schedule.workdays import WorkCalendar

CAL = WorkCalendar.load()
NINE = time(9, 0)


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return local_instant(date(y, m, d), time(hour, minute))


def test_send_day_is_the_first_working_day_of_the_period() -> None:
    assert send_day(DigestKind.DAILY, date(2026, 11, 28), CAL) is None  # Saturday
    assert send_day(DigestKind.WEEKLY, date(2026, 10, 6), CAL) == date(2026, 10, 8)  # 国庆 week
    assert send_day(DigestKind.MONTHLY, date(2026, 10, 20), CAL) == date(2026, 10, 8)
    assert send_day(DigestKind.MONTHLY, date(2026, 1, 20), CAL) == date(2026, 1, 4)  # 调休 Sunday


def test_first_workday_without_one_is_the_start() -> None:
    assert first_workday(date(2026, 10, 1), date(2026, 10, 3), CAL) == date(2026, 10, 1)
    assert first_workday(date(2026, 10, 1), date(2026, 10, 31), CAL) == date(2026, 10, 8)


def test_weekly_period_is_the_previous_monday_to_sunday() -> None:
    period = scheduled_period(DigestKind.WEEKLY, at(2026, 11, 25))
    assert period.key == "2026-W47"
    assert period.label == "11月16日—11月22日"
    assert period.start == local_instant(date(2026, 11, 16), time(0))
    assert period.end == local_instant(date(2026, 11, 23), time(0))


def test_monthly_period_in_january_is_last_december() -> None:
    period = scheduled_period(DigestKind.MONTHLY, at(2027, 1, 5))
    assert (period.key, period.label) == ("2026-12", "2026年12月")
    assert period.start == local_instant(date(2026, 12, 1), time(0))
    assert period.end == local_instant(date(2027, 1, 1), time(0))


def test_daily_period_runs_since_the_last_digest_up_to_now() -> None:
    now = at(2026, 11, 25, 9, 30)
    period = scheduled_period(DigestKind.DAILY, now)
    assert (period.key, period.start, period.end) == ("2026-11-25", None, now)
    assert period.label == "11月25日（星期三）"


def test_manual_periods_end_now_and_never_share_a_scheduled_key() -> None:
    now = at(2026, 11, 25, 15, 4)
    weekly = manual_period(DigestKind.WEEKLY, now)
    assert weekly.manual
    assert weekly.key == "manual:2026-11-25T15:04:00"
    assert weekly.label == "11月19日—11月25日"
    assert weekly.start == local_instant(date(2026, 11, 19), time(0))
    assert weekly.end == now
    monthly = manual_period(DigestKind.MONTHLY, now)
    assert monthly.label == "2026年11月（截至11月25日）"
    assert monthly.start == local_instant(date(2026, 11, 1), time(0))


def test_due_from_the_scheduled_moment_of_the_send_day() -> None:
    assert due_period(DigestKind.DAILY, at(2026, 11, 25, 8, 59), NINE, CAL) is None
    period = due_period(DigestKind.DAILY, at(2026, 11, 25, 9, 0), NINE, CAL)
    assert period is not None
    assert period.scheduled_at == at(2026, 11, 25, 9, 0)
    assert due_period(DigestKind.DAILY, at(2026, 11, 28, 10), NINE, CAL) is None  # Saturday


@pytest.mark.parametrize(
    ("kind", "now", "send", "key"),
    [
        (DigestKind.WEEKLY, (2026, 11, 26, 14), (2026, 11, 23), "2026-W47"),  # Thursday
        (DigestKind.MONTHLY, (2026, 10, 30, 14), (2026, 10, 8), "2026-09"),
    ],
)
def test_catch_up_later_in_the_same_week_or_month(
    kind: DigestKind, now: tuple[int, ...], send: tuple[int, int, int], key: str
) -> None:
    period = due_period(kind, at(*now), NINE, CAL)
    assert period is not None
    assert period.key == key
    assert period.scheduled_at == at(*send, 9, 0)


def test_not_due_before_the_send_day_nor_in_quiet_hours() -> None:
    assert due_period(DigestKind.WEEKLY, at(2026, 10, 7, 10), NINE, CAL) is None  # due on the 8th
    assert due_period(DigestKind.MONTHLY, at(2026, 10, 7, 10), NINE, CAL) is None
    assert due_period(DigestKind.DAILY, at(2026, 11, 25, 21, 30), NINE, CAL) is None
    assert due_period(DigestKind.WEEKLY, at(2026, 11, 26, 7, 30), NINE, CAL) is None
