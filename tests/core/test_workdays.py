"""WorkCalendar: library holidays, make-up working days, the override file, unknown years."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.schedule.workdays import DEFAULT_HOLIDAYS_PATH, HolidayFileError, WorkCalendar

if TYPE_CHECKING:
    from pathlib import Path

CAL = WorkCalendar()


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --------------------------------------------------------------- National Day 2025


def test_national_day_2025_matches_library() -> None:
    for d in days(date(2025, 9, 15), date(2025, 10, 20)):
        assert CAL.is_workday(d) == chinese_calendar.is_workday(d), d


def test_national_day_2025_holidays_and_make_up_days() -> None:
    for d in days(date(2025, 10, 1), date(2025, 10, 8)):
        assert not CAL.is_workday(d), d
    # 调休上班: Sunday 2025-09-28 and Saturday 2025-10-11.
    assert date(2025, 9, 28).weekday() == 6
    assert date(2025, 10, 11).weekday() == 5
    assert CAL.is_workday(date(2025, 9, 28))
    assert CAL.is_workday(date(2025, 10, 11))
    assert not CAL.is_workday(date(2025, 9, 27))  # an ordinary Saturday


def test_add_workdays_across_national_day() -> None:
    assert CAL.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)  # make-up Sunday
    assert CAL.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    # 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14
    assert CAL.add_workdays(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_workdays_between_across_national_day() -> None:
    # (09-26, 10-12]: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11
    assert CAL.workdays_between(date(2025, 9, 26), date(2025, 10, 12)) == 6
    assert CAL.workdays_between(date(2025, 10, 12), date(2025, 9, 26)) == -6
    assert CAL.workdays_between(date(2025, 10, 3), date(2025, 10, 3)) == 0
    assert CAL.workdays_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


# --------------------------------------------------------------- Spring Festival 2026


def test_spring_festival_2026_from_library() -> None:
    holidays = days(date(2026, 2, 15), date(2026, 2, 23))
    for d in holidays:
        assert not chinese_calendar.is_workday(d), d  # what the library says
        assert not CAL.is_workday(d), d
    for make_up in (date(2026, 2, 14), date(2026, 2, 28)):
        assert make_up.weekday() == 5  # Saturdays
        assert chinese_calendar.is_workday(make_up)
        assert CAL.is_workday(make_up)
    assert CAL.is_workday(date(2026, 2, 24))
    for d in days(date(2026, 2, 1), date(2026, 3, 10)):
        assert CAL.is_workday(d) == chinese_calendar.is_workday(d), d


def test_add_workdays_across_spring_festival_2026() -> None:
    assert CAL.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)
    # 02-24..02-27 (4), 02-28 make-up Saturday (5)
    assert CAL.add_workdays(date(2026, 2, 14), 5) == date(2026, 2, 28)
    assert CAL.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


# --------------------------------------------------------------- single-step API


def test_add_workdays_zero_and_negative() -> None:
    assert CAL.add_workdays(date(2025, 9, 30), 0) == date(2025, 9, 30)  # a workday: itself
    assert CAL.add_workdays(date(2025, 10, 1), 0) == date(2025, 10, 9)  # a holiday: next
    with pytest.raises(ValueError, match="n must be >= 0"):
        CAL.add_workdays(date(2025, 9, 30), -1)


def test_next_workday_and_on_or_after() -> None:
    assert CAL.next_workday(date(2025, 9, 30)) == date(2025, 10, 9)
    assert CAL.next_workday(date(2025, 10, 9)) == date(2025, 10, 10)  # strictly after
    assert CAL.workday_on_or_after(date(2025, 10, 9)) == date(2025, 10, 9)
    assert CAL.workday_on_or_after(date(2025, 10, 4)) == date(2025, 10, 9)


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    n=st.integers(min_value=0, max_value=80),
)
def test_add_workdays_agrees_with_workdays_between(start: date, n: int) -> None:
    due = CAL.add_workdays(start, n)
    assert CAL.is_workday(due)
    if n > 0:
        assert CAL.workdays_between(start, due) == n
        assert CAL.workdays_between(due, start) == -n


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    days=st.integers(min_value=0, max_value=800),
)
def test_workdays_between_counts_each_working_day(start: date, days: int) -> None:
    """The running counts give what counting day by day gives, across years and unknown ones."""
    end = start + timedelta(days=days)
    by_day = sum(CAL.is_workday(start + timedelta(days=k)) for k in range(1, days + 1))
    assert CAL.workdays_between(start, end) == by_day
    assert CAL.workdays_between(end, start) == -by_day


# --------------------------------------------------------------- unknown years


def test_2027_falls_back_to_weekdays() -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 3, 1))
    assert CAL.is_workday(date(2027, 1, 1))  # a Friday: no holiday data, so a workday
    assert not CAL.is_workday(date(2027, 1, 2))  # Saturday
    assert not CAL.is_workday(date(2027, 1, 3))  # Sunday
    assert CAL.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert CAL.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)


def test_known_and_missing_years() -> None:
    assert CAL.is_known_year(2004)
    assert CAL.is_known_year(2026)
    assert not CAL.is_known_year(2003)
    assert not CAL.is_known_year(2027)
    assert CAL.missing_years(date(2026, 11, 30), date(2027, 2, 28)) == [2027]
    assert CAL.missing_years(date(2027, 2, 28), date(2026, 11, 30)) == [2027]
    assert CAL.missing_years(date(2025, 1, 1), date(2026, 12, 31)) == []
    assert CAL.missing_years(date(2026, 6, 1), date(2029, 1, 1)) == [2027, 2028, 2029]


def test_shipped_file_loads_and_leaves_2027_missing() -> None:
    assert DEFAULT_HOLIDAYS_PATH.name == "holidays.toml"
    assert DEFAULT_HOLIDAYS_PATH.parent.name == "data"
    calendar = WorkCalendar.load()
    assert not calendar.is_known_year(2027)
    assert calendar.missing_years(date(2026, 11, 30), date(2027, 2, 28)) == [2027]
    for d in days(date(2025, 9, 15), date(2025, 10, 20)):
        assert calendar.is_workday(d) == chinese_calendar.is_workday(d), d


def test_shipped_file_example_parses_when_uncommented() -> None:
    text = DEFAULT_HOLIDAYS_PATH.read_text(encoding="utf-8")
    example = text[text.index("# [2027]") :]
    uncommented = "\n".join(
        line.removeprefix("#").removeprefix(" ") for line in example.splitlines()
    )
    calendar = WorkCalendar.from_toml(uncommented)
    assert calendar.is_known_year(2027)
    assert not calendar.is_workday(date(2027, 2, 8))


# --------------------------------------------------------------- override file


OVERRIDE_2027 = """
# 2027 (test data, not the real schedule)
[2027]
holidays = ["2027-01-01", "2027-02-05..2027-02-13"]
workdays = ["2027-02-14"]
complete = true
note = "测试"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_override_file_adds_2027(tmp_path: Path) -> None:
    calendar = WorkCalendar.load(write(tmp_path, OVERRIDE_2027))
    assert calendar.is_known_year(2027)
    assert calendar.missing_years(date(2026, 11, 30), date(2027, 12, 31)) == []
    assert not calendar.is_workday(date(2027, 1, 1))  # Friday, now a holiday
    for d in days(date(2027, 2, 5), date(2027, 2, 13)):
        assert not calendar.is_workday(d), d
    assert date(2027, 2, 14).weekday() == 6
    assert calendar.is_workday(date(2027, 2, 14))  # make-up Sunday
    assert calendar.is_workday(date(2027, 2, 15))
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 14)
    assert calendar.workdays_between(date(2027, 2, 4), date(2027, 2, 15)) == 2
    # Library years are untouched.
    assert calendar.is_workday(date(2025, 10, 11))
    assert not calendar.is_workday(date(2025, 10, 1))


def test_override_file_wins_over_library(tmp_path: Path) -> None:
    text = '[2026]\nholidays = ["2026-10-09"]\nworkdays = ["2026-10-03"]\n'
    calendar = WorkCalendar.load(write(tmp_path, text))
    assert chinese_calendar.is_workday(date(2026, 10, 9))
    assert not calendar.is_workday(date(2026, 10, 9))
    assert calendar.is_workday(date(2026, 10, 3))
    assert calendar.is_known_year(2026)


def test_partial_year_is_still_missing(tmp_path: Path) -> None:
    calendar = WorkCalendar.load(write(tmp_path, '[2027]\nholidays = ["2027-01-01"]\n'))
    assert not calendar.is_workday(date(2027, 1, 1))
    assert not calendar.is_known_year(2027)
    assert calendar.missing_years(date(2027, 1, 1), date(2027, 6, 1)) == [2027]


def test_native_toml_dates_and_year_spill(tmp_path: Path) -> None:
    text = '[2027]\nholidays = [2027-10-01, "2027-12-31..2028-01-01"]\nworkdays = [2026-12-26]\n'
    calendar = WorkCalendar.load(write(tmp_path, text))
    assert not calendar.is_workday(date(2027, 10, 1))
    assert not calendar.is_workday(date(2028, 1, 1))
    assert calendar.is_workday(date(2026, 12, 26))


def test_empty_file_is_library_only(tmp_path: Path) -> None:
    calendar = WorkCalendar.load(write(tmp_path, "# nothing yet\n"))
    assert not calendar.is_known_year(2027)
    assert not calendar.is_workday(date(2025, 10, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[2027\n", "不是有效的 TOML"),
        ('holidays = ["2027-01-01"]\n', "“holidays” 不是年份"),
        ("[abcd]\n", "“abcd” 不是年份"),
        ("2027 = 1\n", "应是一节 [2027]"),
        ("[1900]\n", "年份 [1900] 超出范围"),
        ('[2027]\nholiday = ["2027-01-01"]\n', "“holiday” 无法识别"),
        ('[2027]\ncomplete = "yes"\n', "complete 只能写 true 或 false"),
        ("[2027]\nnote = 3\n", "note 应是带引号的文字"),
        ('[2027]\nholidays = "2027-01-01"\n', "holidays 应是方括号列表"),
        ('[2027]\nholidays = ["2027-01-01", "2027-02-30"]\n', "[2027] holidays 第2项 “2027-02-30”"),
        ('[2027]\nholidays = ["2027/01/01"]\n', "“2027/01/01” 不是有效日期"),
        ('[2027]\nholidays = ["2027-01-01..2027-01-05..2027-01-09"]\n', "无法识别"),
        ('[2027]\nholidays = ["2027-02-13..2027-02-05"]\n', "结束日期早于开始日期"),
        ('[2027]\nholidays = ["2027-01-01..2027-03-01"]\n', "超过 31 天"),
        ('[2027]\nholidays = ["2072-02-05"]\n', "不在 2027 年内"),
        ("[2027]\nworkdays = [20270214]\n", "[2027] workdays 第1项 “20270214” 应是带引号的日期"),
        (
            '[2027]\nholidays = ["2027-02-05..2027-02-13"]\nworkdays = ["2027-02-07"]\n',
            "2027-02-07 同时出现在 [2027] holidays 第1项（2027-02-05..2027-02-13）",
        ),
    ],
)
def test_bad_file_is_rejected_with_chinese_message(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(HolidayFileError) as info:
        WorkCalendar.load(path)
    message = str(info.value)
    assert expected in message
    assert str(path) in message


def test_missing_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(HolidayFileError, match="找不到节假日文件"):
        WorkCalendar.load(tmp_path / "nope.toml")


def test_constructor_rejects_contradiction() -> None:
    with pytest.raises(ValueError, match="2027-01-01"):
        WorkCalendar(holidays=[date(2027, 1, 1)], workdays=[date(2027, 1, 1)])
    calendar = WorkCalendar(holidays=[date(2027, 1, 1)], complete_years=[2027])
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_known_year(2027)
