"""Record numbers as members type them: ``17``, ``第17号``, ``2026-17``, ``2026年第17号``, with
the kind in front where a command takes any kind (``民意 5``, ``议题 3``).

Numbers are sequential per year (or per numbering period); a reference without a year means the
current one, which the caller fills in (:meth:`RecordRef.resolve_year`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.cleaning import strip_trailing_punctuation
from bot.core.records.kinds import RecordKind

MAX_NUMBER = 999_999
EARLIEST_YEAR = 1949
"""The first CPPCC plenary session; earlier years are not record years."""
_MAX_INPUT = 64

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"(?P<number>[0-9]{1,6}|[零〇一二两三四五六七八九十百千]{1,8})"
_TAIL = rf"第?\s*{_NUM}\s*号?"
_PATTERNS = (
    # 2026-17, 2026/17, 2026.17, 2026 17, 2026年第17号, 2026年度17号, 2026第17号
    re.compile(rf"(?P<year>[0-9]{{4}})(?:\s*(?:年度?|[-/._—–~])\s*|\s+|(?=第)){_TAIL}"),
    # 〔2026〕17号, [2026]第17号, (2026)17
    re.compile(rf"[〔\[(【]\s*(?P<year>[0-9]{{4}})\s*[〕\])】]\s*{_TAIL}"),
    # 17, 第17号, 17号, #17, No.17
    re.compile(rf"(?:#|No\.?\s*)?{_TAIL}", re.IGNORECASE),
)


@dataclass(frozen=True, slots=True)
class RecordRef:
    year: int | None
    number: int

    def resolve_year(self, current_year: int) -> int:
        return self.year if self.year is not None else current_year


def _chinese_number(text: str) -> int | None:
    """十七 → 17, 一百零五 → 105, 一〇五 → 105; None when malformed."""
    if not any(ch in _CN_UNITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = 0
    pending: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
        elif _CN_DIGITS[ch] == 0:
            if pending is not None:
                return None
        else:
            if pending is not None:
                return None
            pending = _CN_DIGITS[ch]
    return total + (pending or 0)


def parse_reference(text: str, *, current_year: int) -> RecordRef | None:
    """A record reference, or None when ``text`` is not one.

    Full-width digits and punctuation are accepted, and so is punctuation after the number
    (``17。``); a year must lie between 1949 and next year.
    A bare four-digit number (``2026``) is a number, not a year.
    """
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip().strip("\u200b\u200c\u200d\u2060\ufeff")
    cleaned = strip_trailing_punctuation(cleaned)
    for pattern in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        raw = match.group("number")
        number = int(raw) if raw.isascii() else _chinese_number(raw)
        if number is None or not 1 <= number <= MAX_NUMBER:
            return None
        year_text = match.groupdict().get("year")
        if year_text is None:
            return RecordRef(year=None, number=number)
        year = int(year_text)
        if not EARLIEST_YEAR <= year <= current_year + 1:
            return None
        return RecordRef(year=year, number=number)
    return None


KIND_WORDS: dict[str, RecordKind] = {
    "提案": RecordKind.PROPOSAL,
    "社情民意信息": RecordKind.OPINION,
    "社情民意": RecordKind.OPINION,
    "民意": RecordKind.OPINION,
    "议题": RecordKind.TOPIC,
}


def split_kind(text: str, default: RecordKind = RecordKind.PROPOSAL) -> tuple[RecordKind, str]:
    """`民意 5` -> (opinion, "5"); `17` -> (default, "17")."""
    stripped = text.strip().lstrip("#＃")
    for word in sorted(KIND_WORDS, key=len, reverse=True):
        if stripped.startswith(word):
            return KIND_WORDS[word], stripped[len(word) :].strip()
    return default, text.strip()
