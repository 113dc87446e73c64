"""Working-day calendar: the Chinese public-holiday schedule plus a county-editable override file.

The ``chinesecalendar`` package (import name ``chinese_calendar``) knows the State Council's
holiday schedules for 2004–2026 only and raises ``NotImplementedError`` for any other year. The
State Council publishes each next year's schedule around November, so counties keep
``data/holidays.toml`` (see the comments in that file) to add a year, or to override single days.

Rules of :meth:`WorkCalendar.is_workday`, first match wins:

1. a date listed in the file (``holidays`` = rest day, ``workdays`` = make-up working day 调休上班);
2. a year the library knows: the library's answer (make-up Saturdays/Sundays count as working days);
3. any other year: plain Monday–Friday.

A year is *known* (:meth:`WorkCalendar.is_known_year`) when the library covers it or the file marks
it ``complete = true``; :meth:`WorkCalendar.missing_years` lists the others so the bot can tell
staff (once) that a deadline was computed without that year's holidays.

No NoneBot import here: this module is framework-free.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import chinese_calendar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

DEFAULT_HOLIDAYS_PATH = Path(__file__).resolve().parents[3] / "data" / "holidays.toml"

#: Longest date range (in days, both ends included) accepted in one ``A..B`` entry.
MAX_RANGE_DAYS = 31

_ALLOWED_KEYS = frozenset({"holidays", "workdays", "complete", "note"})
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ENTRY_HINT = "应写成 “2027-02-05” 或范围 “2027-02-05..2027-02-13”"


class HolidayFileError(ValueError):
    """The holiday override file is unreadable or malformed; the message is Chinese."""


class WorkCalendar:
    """Chinese working days: library data, overridden by the county's file, else Monday–Friday."""

    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        complete_years: Iterable[int] = (),
    ) -> None:
        """Build a calendar from explicit overrides (empty: library data + weekday fallback).

        A date in both ``holidays`` and ``workdays`` is a ``ValueError``.
        """
        rest = set(holidays)
        work = set(workdays)
        both = rest & work
        if both:
            listed = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"同一天不能既是放假日又是调休上班日：{listed}")
        self._overrides: dict[date, bool] = dict.fromkeys(rest, False)
        self._overrides.update(dict.fromkeys(work, True))
        self._complete_years: frozenset[int] = frozenset(complete_years)
        self._library_years: dict[int, bool] = {}
        self._counts: dict[int, list[int]] = {}  # per year, see _running_counts

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: Path | None = None) -> WorkCalendar:
        """Read the override file (default: the repository's ``data/holidays.toml``).

        Raises :class:`HolidayFileError` (Chinese message naming the file and the bad entry) when
        the file is missing, is not valid TOML, or holds an entry that is not a date / range.
        """
        path = DEFAULT_HOLIDAYS_PATH if path is None else Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise HolidayFileError(f"找不到节假日文件 {path}。") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise HolidayFileError(f"无法读取节假日文件 {path}：{exc}") from exc
        return cls.from_toml(text, source=str(path))

    @classmethod
    def from_toml(cls, text: str, *, source: str = "holidays.toml") -> WorkCalendar:
        """Parse the override file's text (``source`` names it in error messages)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise HolidayFileError(f"节假日文件 {source} 不是有效的 TOML 格式：{exc}") from exc
        return cls._from_mapping(data, source)

    @classmethod
    def _from_mapping(cls, data: Mapping[str, Any], source: str) -> WorkCalendar:
        def fail(message: str) -> HolidayFileError:
            return HolidayFileError(f"节假日文件 {source} 有误：{message}")

        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        complete: set[int] = set()
        for key, table in data.items():
            if not re.fullmatch(r"\d{4}", key):
                raise fail(f"“{key}” 不是年份；每年一节，例如 [2027]。")
            year = int(key)
            if not 2000 <= year <= 2199:
                raise fail(f"年份 [{key}] 超出范围，请检查。")
            if not isinstance(table, dict):
                raise fail(f"“{key}” 应是一节 [{key}]，下面写 holidays / workdays / complete。")
            for field in table:
                if field not in _ALLOWED_KEYS:
                    raise fail(
                        f"[{key}] 中的 “{field}” 无法识别；"
                        "只能写 holidays（放假日）、workdays（调休上班日）、complete、note。"
                    )
            flag = table.get("complete", False)
            if not isinstance(flag, bool):
                raise fail(f"[{key}] 的 complete 只能写 true 或 false（不加引号）。")
            if flag:
                complete.add(year)
            note = table.get("note", "")
            if not isinstance(note, str):
                raise fail(f"[{key}] 的 note 应是带引号的文字。")
            for field, target in (("holidays", holidays), ("workdays", workdays)):
                entries = table.get(field, [])
                if not isinstance(entries, list):
                    example = f'{field} = ["{key}-01-01"]'
                    raise fail(f"[{key}] 的 {field} 应是方括号列表，例如 {example}。")
                for index, entry in enumerate(entries, start=1):
                    where = f"[{key}] {field} 第{index}项"
                    for day in _expand_entry(entry, year, where, fail):
                        label = f"{where}（{_entry_text(entry)}）"
                        other = workdays if target is holidays else holidays
                        if day in other:
                            raise fail(
                                f"{day.isoformat()} 同时出现在 {other[day]} 和 {label}；"
                                "同一天不能既放假又上班。"
                            )
                        target.setdefault(day, label)
        return cls(holidays=holidays, workdays=workdays, complete_years=complete)

    # ------------------------------------------------------------------ queries

    def is_workday(self, d: date) -> bool:
        """True on a working day: the file wins, then the library, then Monday–Friday."""
        override = self._overrides.get(d)
        if override is not None:
            return override
        if self._library_knows(d.year):
            return bool(chinese_calendar.is_workday(d))
        return d.weekday() < 5

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d += timedelta(days=1)
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def workday_on_or_after(self, d: date) -> date:
        """``d`` itself when it is a working day, else the next working day (a due date's roll)."""
        return d if self.is_workday(d) else self.next_workday(d)

    def add_workdays(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted).

        ``n = 0`` gives ``d`` when it is a working day, else the next working day: a deadline of
        "0 working days" is due on the first working day that is not before ``d``.
        ``n < 0`` is a ``ValueError``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return self.workday_on_or_after(d)
        for _ in range(n):
            d = self.next_workday(d)
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; ``-workdays_between(end, start)`` when end < start.

        From per-year running counts (built once per year), not day by day: the overdue lists
        ask this for every open assignment."""
        if end < start:
            return -self.workdays_between(end, start)
        total = 0
        for year in range(start.year, end.year + 1):
            counts = self._running_counts(year)
            low = start.timetuple().tm_yday if year == start.year else 0
            high = end.timetuple().tm_yday if year == end.year else len(counts) - 1
            total += counts[high] - counts[low]
        return total

    def _running_counts(self, year: int) -> list[int]:
        """``counts[k]``: the working days among the first ``k`` days of ``year``."""
        counts = self._counts.get(year)
        if counts is None:
            counts = [0]
            d = date(year, 1, 1)
            while d.year == year:
                counts.append(counts[-1] + self.is_workday(d))
                d += timedelta(days=1)
            self._counts[year] = counts
        return counts

    def is_known_year(self, year: int) -> bool:
        """True when the library covers ``year`` or the file marks it ``complete = true``."""
        return year in self._complete_years or self._library_knows(year)

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years from ``start`` to ``end`` (either order, both included) whose holidays are unknown.

        For these years :meth:`is_workday` falls back to Monday–Friday (plus any partial entries).
        """
        low, high = sorted((start.year, end.year))
        return [year for year in range(low, high + 1) if not self.is_known_year(year)]

    def _library_knows(self, year: int) -> bool:
        known = self._library_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
            except (NotImplementedError, ValueError):
                known = False
            else:
                known = True
            self._library_years[year] = known
        return known

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(overrides={len(self._overrides)}, "
            f"complete_years={sorted(self._complete_years)})"
        )


def _entry_text(entry: object) -> str:
    return entry.isoformat() if isinstance(entry, date) else str(entry)


def _parse_day(text: str) -> date | None:
    match = _DATE_RE.match(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _expand_entry(
    entry: object, year: int, where: str, fail: Callable[[str], HolidayFileError]
) -> list[date]:
    """One ``holidays`` / ``workdays`` entry as a list of dates (validated)."""
    if isinstance(entry, date) and not hasattr(entry, "hour"):
        first = last = entry
    elif isinstance(entry, str):
        parts = entry.split("..")
        if len(parts) > 2:
            raise fail(f"{where} “{entry}” 无法识别，{_ENTRY_HINT}。")
        days = [_parse_day(part) for part in parts]
        for part, day in zip(parts, days, strict=True):
            if day is None:
                raise fail(f"{where} “{entry}” 中 “{part.strip()}” 不是有效日期，{_ENTRY_HINT}。")
        first, last = days[0], days[-1]
        assert first is not None
        assert last is not None
    else:
        raise fail(f"{where} “{_entry_text(entry)}” 应是带引号的日期，{_ENTRY_HINT}。")
    if last < first:
        raise fail(f"{where} “{_entry_text(entry)}” 的结束日期早于开始日期。")
    span = (last - first).days + 1
    if span > MAX_RANGE_DAYS:
        raise fail(
            f"{where} “{_entry_text(entry)}” 跨 {span} 天，超过 {MAX_RANGE_DAYS} 天，请检查。"
        )
    for day in (first, last):
        # A schedule may reach a few days into the neighbouring year (e.g. 12-31 for 元旦).
        if not (date(year - 1, 12, 1) <= day <= date(year + 1, 1, 31)):
            raise fail(f"{where} “{_entry_text(entry)}” 不在 {year} 年内，请检查年份。")
    return [first + timedelta(days=i) for i in range(span)]
