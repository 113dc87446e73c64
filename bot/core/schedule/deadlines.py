"""Deadlines: month arithmetic, default answer / evaluation due dates, parsing what staff type.

Rules (DESIGN.md §2):

- a unit's answer is due 3 months after 交办 (:func:`default_answer_due`); more than
  :data:`MAX_MONTHS_WITHOUT_REASON` months needs a recorded reason (:func:`needs_reason`);
- the member's evaluation is due 15 working days after the answer (:func:`evaluation_due`).

A *computed* due date (N months, N calendar days) that falls on a rest day moves to the next
working day, as offices do ("遇节假日顺延"). A working-day count always ends on a working day.
A date typed explicitly (``2027-03-01``) is kept as typed: staff chose it; the description notes
when it is a rest day.

No NoneBot import here: this module is framework-free.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.core.cleaning import strip_trailing_punctuation
from bot.core.schedule.workdays import WorkCalendar

MAX_MONTHS_WITHOUT_REASON = 6
DEFAULT_ANSWER_MONTHS = 3
DEFAULT_EVALUATION_WORKDAYS = 15
#: A typed deadline may not lie more than this many months after its start (typo guard).
MAX_DEADLINE_MONTHS = 60

DeadlineKind = Literal["date", "months", "days", "workdays"]

ACCEPTED_FORMS_HINT = (
    "可以这样写：具体日期 2027-03-01、2027/3/1、2027年3月1日、"
    "3月1日（不写年份指起算日之后最近的那一天）；"
    "或时长 3个月、三个月、半年、30个工作日、45天（自然日）。"
)


class DeadlineError(ValueError):
    """What was typed is not a usable deadline; ``message`` is Chinese and says what to type."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DeadlineParse:
    """A parsed deadline.

    ``due``: the due date. ``description``: Chinese, e.g. ``30个工作日（至2027年1月8日）``.
    ``kind`` / ``amount``: what was typed (``amount`` is None for an explicit date).
    ``shifted_from``: the computed date before it was moved off a rest day, else None.
    ``missing_years``: years between start and due whose holiday schedule is unknown (the
    calendar fell back to Monday–Friday there).
    """

    due: date
    description: str
    kind: DeadlineKind
    amount: int | None = None
    shifted_from: date | None = None
    missing_years: tuple[int, ...] = field(default=())


# ---------------------------------------------------------------------- arithmetic


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months, clamped to the month's end (11-30 + 3 → 02-28/29).

    ``months`` may be negative. Raises ``ValueError`` outside the years 1–9999.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("year out of range")
    last_day = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def needs_reason(start: date, due: date) -> bool:
    """True when ``due`` lies beyond :data:`MAX_MONTHS_WITHOUT_REASON` months after ``start``."""
    try:
        limit = add_months(start, MAX_MONTHS_WITHOUT_REASON)
    except ValueError:
        return False
    return due > limit


def default_answer_due(
    assigned: date,
    months: int = DEFAULT_ANSWER_MONTHS,
    calendar: WorkCalendar | None = None,
) -> date:
    """The unit's answer due date: ``months`` after 交办, moved off a rest day.

    Pass the county's calendar (``WorkCalendar.load()``); without one, the library's holidays and
    the Monday–Friday fallback are used (no override file).
    """
    cal = calendar if calendar is not None else WorkCalendar()
    return cal.workday_on_or_after(add_months(assigned, months))


def evaluation_due(
    answered: date,
    calendar: WorkCalendar,
    workdays: int = DEFAULT_EVALUATION_WORKDAYS,
) -> date:
    """The member's evaluation due date: the ``workdays``-th working day after the answer."""
    return calendar.add_workdays(answered, workdays)


# ---------------------------------------------------------------------- parsing

_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_D = "[一二两三四五六七八九]"
_CN_NUMBER_RE = re.compile(
    rf"(?:(?P<k>{_CN_D})千)?"
    rf"(?:[零〇]?(?P<h>{_CN_D})百)?"
    rf"(?:[零〇]?(?P<t>{_CN_D})?(?P<ten>十))?"
    rf"(?:[零〇]?(?P<u>{_CN_D}|[零〇]))?"
)
_NUM = r"[0-9]{1,9}|[零〇一二两三四五六七八九十百千]{1,12}"

_ISO_RE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})日?")
_CN_DATE_RE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?")
_MONTH_DAY_RE = re.compile(r"([0-9]{1,2})月([0-9]{1,2})[日号]?")
_DURATION_RE = re.compile(
    rf"(?P<n>{_NUM})(?P<unit>个月|个工作日|工作日|个自然日|自然日|天|年)(?:内|以内|之内)?"
)
_HALF_YEAR_RE = re.compile(r"半年(?:内|以内|之内)?")
_BARE_MONTH_RE = re.compile(rf"(?:{_NUM})月(?:内|以内|之内)?")
_YEAR_MONTH_RE = re.compile(r"[0-9]{4}(?:年[0-9]{1,2}月|[-/.][0-9]{1,2})")


def _cn_number(text: str) -> int | None:
    """A Chinese numeral below 10,000 (三, 十五, 四十五, 一百二十), or None."""
    match = _CN_NUMBER_RE.fullmatch(text)
    if match is None or not text:
        return None
    value = 0
    if match["k"]:
        value += _DIGIT[match["k"]] * 1000
    if match["h"]:
        value += _DIGIT[match["h"]] * 100
    if match["ten"]:
        value += _DIGIT[match["t"]] * 10 if match["t"] else 10
    if match["u"]:
        value += _DIGIT[match["u"]]
    return value


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else _cn_number(text)


def _fmt(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _error(message: str) -> DeadlineError:
    return DeadlineError(f"{message}{ACCEPTED_FORMS_HINT}")


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 20 else text[:20] + "…"


def parse_deadline(text: str, *, start: date, calendar: WorkCalendar) -> DeadlineParse:
    """Parse a deadline typed by staff, counted from ``start`` (e.g. the 交办 date).

    Accepted: ``2027-03-01``, ``2027/3/1``, ``2027年3月1日``, ``3月1日`` (the next such date after
    ``start``: this year's if still ahead, else next year's), ``3个月`` / ``三个月`` / ``半年`` /
    ``1年``, ``30个工作日`` / ``30工作日``, ``45天`` (calendar days); spaces and full-width
    characters are ignored, and a trailing 内 / 以内 / 之内 on a duration is allowed. The due date
    must be after ``start`` and at most :data:`MAX_DEADLINE_MONTHS` months later. Only
    :class:`DeadlineError` is raised, with a Chinese message listing the accepted forms.
    """
    normal = unicodedata.normalize("NFKC", text)
    normal = strip_trailing_punctuation("".join(normal.split()))  # `3个月。`
    if not normal:
        raise _error("请写明期限。")
    try:
        limit = add_months(start, MAX_DEADLINE_MONTHS)
    except ValueError:
        limit = date.max
    try:
        result = _parse(normal, text, start, calendar, limit)
    except DeadlineError:
        raise
    except (ValueError, OverflowError) as exc:
        raise _error(f"期限“{_shown(text)}”超出可以计算的日期范围。") from exc
    if result.due <= start:
        raise _error(f"期限须晚于起算日{_fmt(start)}，“{_shown(text)}”不符合。")
    if result.due > limit:
        years = MAX_DEADLINE_MONTHS // 12
        raise _error(f"期限不能晚于起算日后{years}年（{_fmt(limit)}），请检查。")
    missing = tuple(calendar.missing_years(start, result.due))
    return DeadlineParse(
        due=result.due,
        description=result.description,
        kind=result.kind,
        amount=result.amount,
        shifted_from=result.shifted_from,
        missing_years=missing,
    )


def _parse(
    normal: str, original: str, start: date, calendar: WorkCalendar, limit: date
) -> DeadlineParse:
    for pattern in (_ISO_RE, _CN_DATE_RE):
        match = pattern.fullmatch(normal)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return _explicit(_valid_date(year, month, day), start, calendar)
    match = _MONTH_DAY_RE.fullmatch(normal)
    if match:
        return _month_day(int(match[1]), int(match[2]), start, calendar)
    if _HALF_YEAR_RE.fullmatch(normal):
        return _months(6, "半年", start, calendar)
    match = _DURATION_RE.fullmatch(normal)
    if match:
        amount = _number(match["n"])
        if amount is None:
            raise _error(f"“{_shown(original)}”中的数字看不懂。")
        if amount <= 0:
            raise _error("时长须大于0。")
        unit = match["unit"]
        # Rough caps before computing, so a typo like 999999天 fails fast.
        years = MAX_DEADLINE_MONTHS // 12
        too_long = _error(f"“{_shown(original)}”太长了，期限不能超过{years}年。")
        if unit in ("个月", "年"):
            months = amount * 12 if unit == "年" else amount
            if months > MAX_DEADLINE_MONTHS:
                raise too_long
            label = f"{amount}年" if unit == "年" else f"{amount}个月"
            return _months(months, label, start, calendar)
        if unit in ("天", "个自然日", "自然日"):
            if amount > (limit - start).days:
                raise too_long
            return _computed(
                start + timedelta(days=amount), f"{amount}天", "days", amount, calendar
            )
        if amount > MAX_DEADLINE_MONTHS * 23:  # at most ~23 working days a month
            raise too_long
        due = calendar.add_workdays(start, amount)
        return DeadlineParse(
            due=due,
            description=f"{amount}个工作日（至{_fmt(due)}）",
            kind="workdays",
            amount=amount,
        )
    if _BARE_MONTH_RE.fullmatch(normal):
        raise _error(
            f"“{_shown(original)}”是指几月份还是几个月？"
            "时长请写“3个月”，日期请写到哪一天，如“3月31日”。"
        )
    if _YEAR_MONTH_RE.fullmatch(normal):
        raise _error(f"“{_shown(original)}”请写到具体哪一天，如“2027年3月31日”。")
    raise _error(f"看不懂期限“{_shown(original)}”。")


def _valid_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _error(f"{year}年{month}月{day}日不是有效日期。") from None


def _explicit(due: date, start: date, calendar: WorkCalendar) -> DeadlineParse:
    description = _fmt(due)
    if due > start and not calendar.is_workday(due):
        description += "（注意：当天是休息日）"
    return DeadlineParse(due=due, description=description, kind="date")


def _month_day(month: int, day: int, start: date, calendar: WorkCalendar) -> DeadlineParse:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise _error(f"{month}月{day}日不是有效日期。")
    for year in (start.year, start.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate == start:
            raise _error(f"{month}月{day}日就是起算日，期限须晚于起算日。")
        if candidate > start:
            return _explicit(candidate, start, calendar)
    raise _error(f"{start.year}年和{start.year + 1}年都没有{month}月{day}日，请写明年份。")


def _months(months: int, label: str, start: date, calendar: WorkCalendar) -> DeadlineParse:
    return _computed(add_months(start, months), label, "months", months, calendar)


def _computed(
    raw: date, label: str, kind: DeadlineKind, amount: int, calendar: WorkCalendar
) -> DeadlineParse:
    """A computed due date, moved to the next working day when it falls on a rest day."""
    due = calendar.workday_on_or_after(raw)
    if due == raw:
        description = f"{label}（至{_fmt(due)}）"
        shifted: date | None = None
    else:
        description = f"{label}（至{_fmt(due)}；{_fmt(raw)}是休息日，顺延）"
        shifted = raw
    return DeadlineParse(
        due=due, description=description, kind=kind, amount=amount, shifted_from=shifted
    )
