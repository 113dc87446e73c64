"""Deadlines: month arithmetic, default due dates, and parsing what staff type."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.schedule.deadlines import (
    ACCEPTED_FORMS_HINT,
    MAX_MONTHS_WITHOUT_REASON,
    DeadlineError,
    DeadlineParse,
    add_months,
    default_answer_due,
    evaluation_due,
    needs_reason,
    parse_deadline,
)
from bot.core.schedule.workdays import WorkCalendar

if TYPE_CHECKING:
    from pathlib import Path

CAL = WorkCalendar()
START = date(2026, 11, 26)  # a Thursday; 2027 holidays unknown to the library


def parse(text: str, start: date = START, calendar: WorkCalendar = CAL) -> DeadlineParse:
    return parse_deadline(text, start=start, calendar=calendar)


# --------------------------------------------------------------- add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_out_of_range() -> None:
    with pytest.raises(ValueError, match="year"):
        add_months(date(9999, 12, 1), 1)


# --------------------------------------------------------------- default due dates


def test_default_answer_due_moves_off_national_day() -> None:
    # 2025-07-01 + 3 months = 2025-10-01, a holiday until 10-08.
    assert default_answer_due(date(2025, 7, 1), calendar=CAL) == date(2025, 10, 9)
    assert default_answer_due(date(2025, 7, 1)) == date(2025, 10, 9)  # library-only default
    # 2025-06-28 + 3 months = 2025-09-28, a make-up Sunday: a working day, kept.
    assert default_answer_due(date(2025, 6, 28), calendar=CAL) == date(2025, 9, 28)


def test_default_answer_due_month_end_into_2027() -> None:
    # 2026-11-30 + 3 months = 2027-02-28, a Sunday (weekday fallback) -> Monday 03-01.
    assert default_answer_due(date(2026, 11, 30), calendar=CAL) == date(2027, 3, 1)
    assert default_answer_due(date(2026, 11, 30), months=6, calendar=CAL) == date(2027, 5, 31)


def test_default_answer_due_uses_override_file(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text('[2027]\nholidays = ["2027-03-01..2027-03-02"]\n', encoding="utf-8")
    calendar = WorkCalendar.load(path)
    assert default_answer_due(date(2026, 11, 30), calendar=calendar) == date(2027, 3, 3)


def test_evaluation_due_is_15_working_days() -> None:
    # After 2025-09-26: 09-28, 09-29, 09-30 (3); 10-09, 10-10, 10-11 (6); 10-13..17 (11);
    # 10-20, 10-21, 10-22, 10-23 (15).
    assert evaluation_due(date(2025, 9, 26), CAL) == date(2025, 10, 23)
    assert evaluation_due(date(2025, 9, 26), CAL, workdays=1) == date(2025, 9, 28)
    # Spring Festival 2026: answered 02-13, then 02-14 (make-up Saturday), 02-24..
    assert evaluation_due(date(2026, 2, 13), CAL, workdays=2) == date(2026, 2, 24)


def test_needs_reason() -> None:
    assert MAX_MONTHS_WITHOUT_REASON == 6
    start = date(2026, 1, 31)
    assert not needs_reason(start, date(2026, 4, 30))
    assert not needs_reason(start, date(2026, 7, 31))  # exactly 6 months
    assert needs_reason(start, date(2026, 8, 1))
    assert not needs_reason(date(2026, 8, 31), date(2027, 2, 28))  # clamped month end
    assert needs_reason(date(2026, 8, 31), date(2027, 3, 1))


# --------------------------------------------------------------- accepted forms


@pytest.mark.parametrize(
    "text",
    ["2027-03-01", "2027/3/1", "2027年3月1日", "3月1日", "2027-3-1", "2027年03月01日", "3月1号"],
)
def test_explicit_dates(text: str) -> None:
    result = parse(text)
    assert result.due == date(2027, 3, 1)
    assert result.kind == "date"
    assert result.amount is None
    assert result.description == "2027年3月1日"
    assert result.missing_years == (2027,)


@pytest.mark.parametrize(
    "text",
    [
        " 2027 - 03 - 01 ",
        "２０２７／３／１",
        "２０２７年３月１日",
        "3 月 1 日",
        "2027.3.1",
        "３月１日",
        "2027-03-01。",  # trailing punctuation (issue 9 item 9)
        "2027年3月1日.",
    ],
)
def test_spaces_and_full_width(text: str) -> None:
    assert parse(text).due == date(2027, 3, 1)


def test_month_day_this_year_or_next() -> None:
    assert parse("12月15日").due == date(2026, 12, 15)  # still ahead this year
    assert parse("11月1日").due == date(2027, 11, 1)  # passed: next year
    assert parse("11月27日").due == date(2026, 11, 27)
    assert parse("2月29日", start=date(2027, 5, 1)).due == date(2028, 2, 29)
    assert parse("2月29日", start=date(2027, 12, 1)).due == date(2028, 2, 29)


def test_explicit_rest_day_is_kept_but_noted() -> None:
    result = parse("2025-10-03", start=date(2025, 9, 1))
    assert result.due == date(2025, 10, 3)
    assert result.shifted_from is None
    assert result.description == "2025年10月3日（注意：当天是休息日）"
    assert parse("2025-10-11", start=date(2025, 9, 1)).description == "2025年10月11日"


@pytest.mark.parametrize(
    ("text", "months", "label"),
    [
        ("3个月", 3, "3个月"),
        ("三个月", 3, "3个月"),
        ("两个月", 2, "2个月"),
        ("十二个月", 12, "12个月"),
        ("3 个 月", 3, "3个月"),
        ("３个月", 3, "3个月"),
        ("3个月内", 3, "3个月"),
        ("半年", 6, "半年"),
        ("半年以内", 6, "半年"),
        ("1年", 12, "1年"),
        ("一年", 12, "1年"),
        ("3个月。", 3, "3个月"),
        ("半年！", 6, "半年"),
    ],
)
def test_month_durations(text: str, months: int, label: str) -> None:
    result = parse(text, start=date(2025, 1, 15))
    due = add_months(date(2025, 1, 15), months)
    due = CAL.workday_on_or_after(due)
    assert result.due == due
    assert result.kind == "months"
    assert result.amount == months
    assert result.description.startswith(f"{label}（至")


def test_months_shift_off_holiday() -> None:
    result = parse("3个月", start=date(2025, 7, 1))
    assert result.due == date(2025, 10, 9)
    assert result.shifted_from == date(2025, 10, 1)
    assert result.description == "3个月（至2025年10月9日；2025年10月1日是休息日，顺延）"
    assert result.missing_years == ()


def test_months_month_end_clamp_and_weekend_shift() -> None:
    result = parse("三个月", start=date(2026, 11, 30))
    assert result.shifted_from == date(2027, 2, 28)
    assert result.due == date(2027, 3, 1)
    assert result.missing_years == (2027,)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("30个工作日", 30),
        ("30工作日", 30),
        ("三十个工作日", 30),
        ("十五个工作日", 15),
        ("３０ 个 工作日", 30),
        ("15个工作日内", 15),
        ("一百二十个工作日", 120),
    ],
)
def test_workday_durations(text: str, n: int) -> None:
    result = parse(text)
    assert result.kind == "workdays"
    assert result.amount == n
    assert result.due == CAL.add_workdays(START, n)
    assert result.shifted_from is None


def test_workdays_description() -> None:
    result = parse("30个工作日")
    # 2026-11-26 + 30 working days: 25 left in 2026 (no holidays), then 2027 weekdays.
    assert result.due == date(2027, 1, 7)
    assert result.description == "30个工作日（至2027年1月7日）"
    assert result.missing_years == (2027,)


def test_workdays_across_national_day() -> None:
    result = parse("5个工作日", start=date(2025, 9, 30))
    assert result.due == date(2025, 10, 14)
    assert result.description == "5个工作日（至2025年10月14日）"


def test_workdays_across_spring_festival_2026() -> None:
    # 02-14 (make-up Saturday), then 02-24, 02-25.
    assert parse("3个工作日", start=date(2026, 2, 13)).due == date(2026, 2, 25)


@pytest.mark.parametrize(
    ("text", "n"),
    [("45天", 45), ("四十五天", 45), ("45 天", 45), ("45天内", 45), ("45个自然日", 45)],
)
def test_calendar_days(text: str, n: int) -> None:
    result = parse(text, start=date(2025, 8, 1))
    # 2025-08-01 + 45 days = 2025-09-15, a Monday.
    assert result.due == date(2025, 9, 15)
    assert result.kind == "days"
    assert result.amount == n
    assert result.description == "45天（至2025年9月15日）"


def test_calendar_days_shift_off_holiday() -> None:
    result = parse("2天", start=date(2025, 9, 30))
    assert result.due == date(2025, 10, 9)
    assert result.shifted_from == date(2025, 10, 2)


def test_override_file_changes_parse(tmp_path: Path) -> None:
    path = tmp_path / "holidays.toml"
    path.write_text(
        '[2027]\nholidays = ["2027-01-01"]\nworkdays = ["2027-01-02"]\ncomplete = true\n',
        encoding="utf-8",
    )
    calendar = WorkCalendar.load(path)
    result = parse("30个工作日", calendar=calendar)
    assert result.missing_years == ()
    # 2027-01-01 is now a holiday and 2027-01-02 (Saturday) a working day: same count, same day.
    assert result.due == date(2027, 1, 7)
    assert parse("26个工作日", calendar=calendar).due == date(2027, 1, 2)


# --------------------------------------------------------------- rejected forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "请写明期限"),
        ("   ", "请写明期限"),
        ("下个月", "看不懂期限“下个月”"),
        ("abc", "看不懂期限“abc”"),
        ("3", "看不懂期限“3”"),
        ("3周", "看不懂期限“3周”"),
        ("3月", "“3月”是指几月份还是几个月"),
        ("三月", "“三月”是指几月份还是几个月"),
        ("2027年3月", "请写到具体哪一天"),
        ("2027-03", "请写到具体哪一天"),
        ("2027-02-30", "2027年2月30日不是有效日期"),
        ("2027年13月1日", "2027年13月1日不是有效日期"),
        ("13月1日", "13月1日不是有效日期"),
        ("2月30日", "都没有2月30日"),
        ("2月29日", "2026年和2027年都没有2月29日"),
        ("0天", "时长须大于0"),
        ("零个月", "时长须大于0"),
        ("百天", "数字看不懂"),
        ("十十天", "数字看不懂"),
        ("2026-11-01", "期限须晚于起算日2026年11月26日"),
        ("2026-11-26", "期限须晚于起算日2026年11月26日"),
        ("11月26日", "11月26日就是起算日"),
        ("61个月", "太长了，期限不能超过5年"),
        ("6年", "太长了"),
        ("9999999天", "太长了"),
        ("99999个工作日", "太长了"),
        ("2099-01-01", "期限不能晚于起算日后5年（2031年11月26日）"),
    ],
)
def test_rejected_forms(text: str, expected: str) -> None:
    with pytest.raises(DeadlineError) as info:
        parse(text)
    message = info.value.message
    assert expected in message
    assert message == str(info.value)
    assert message.endswith(ACCEPTED_FORMS_HINT)
    for example in ("2027-03-01", "2027/3/1", "2027年3月1日", "3月1日"):
        assert example in message
    for example in ("3个月", "三个月", "半年", "30个工作日", "45天"):
        assert example in message


def test_long_input_is_shortened_in_message() -> None:
    with pytest.raises(DeadlineError) as info:
        parse("x" * 500)
    assert "x" * 20 + "…" in info.value.message
    assert "x" * 21 not in info.value.message


def test_near_date_max_is_a_deadline_error() -> None:
    with pytest.raises(DeadlineError, match="超出可以计算的日期范围"):
        parse("3个月", start=date(9999, 11, 1))
    with pytest.raises(DeadlineError):
        parse("30个工作日", start=date(9999, 12, 20))


# --------------------------------------------------------------- property


_TOKENS = st.sampled_from(
    [
        *"0123456789０１２３一二两三十百千零半年月日号天个工作自然内以之前后 -/.／..",
        "个月",
        "工作日",
    ]
)


@given(
    text=st.one_of(st.text(max_size=40), st.lists(_TOKENS, max_size=12).map("".join)),
    start=st.dates(),
)
def test_parse_deadline_raises_only_deadline_error(text: str, start: date) -> None:
    try:
        result = parse(text, start=start)
    except DeadlineError as exc:
        message = exc.message
    else:
        assert result.due > start
        assert result.description
        if result.kind != "date":
            assert CAL.is_workday(result.due)
        return
    assert message
    assert message.endswith(ACCEPTED_FORMS_HINT)
