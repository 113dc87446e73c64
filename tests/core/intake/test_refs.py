from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.records.kinds import RecordKind
from bot.core.records.refs import MAX_NUMBER, RecordRef, parse_reference, split_kind

YEAR = 2026


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("17", RecordRef(None, 17)),
        (" 17 ", RecordRef(None, 17)),
        ("第17号", RecordRef(None, 17)),
        ("第 17 号", RecordRef(None, 17)),
        ("17号", RecordRef(None, 17)),
        ("第17", RecordRef(None, 17)),
        ("#17", RecordRef(None, 17)),
        ("No.17", RecordRef(None, 17)),
        ("１７", RecordRef(None, 17)),
        ("第１７号", RecordRef(None, 17)),
        ("2026-17", RecordRef(2026, 17)),
        ("2025-3", RecordRef(2025, 3)),
        ("２０２６－１７", RecordRef(2026, 17)),
        ("2026/17", RecordRef(2026, 17)),
        ("2026 17", RecordRef(2026, 17)),
        ("2026年第17号", RecordRef(2026, 17)),
        ("2026年17号", RecordRef(2026, 17)),
        ("2026年度第17号", RecordRef(2026, 17)),
        ("2026第17号", RecordRef(2026, 17)),
        ("２０２６年第１７号", RecordRef(2026, 17)),
        ("〔2026〕17号", RecordRef(2026, 17)),
        ("[2026]第17号", RecordRef(2026, 17)),
        ("2027-1", RecordRef(2027, 1)),  # next year: numbering by session may run ahead
        ("2026", RecordRef(None, 2026)),  # a bare number, not a year
        ("201717", RecordRef(None, 201717)),
        ("第十七号", RecordRef(None, 17)),
        ("十七", RecordRef(None, 17)),
        ("一百零五", RecordRef(None, 105)),
        ("二十", RecordRef(None, 20)),
        ("一〇五", RecordRef(None, 105)),
        ("2026年第十七号", RecordRef(2026, 17)),
        # trailing punctuation, Chinese and Western (issue 9 item 9)
        ("2。", RecordRef(None, 2)),
        ("17.", RecordRef(None, 17)),
        ("17！", RecordRef(None, 17)),
        ("17?", RecordRef(None, 17)),
        ("17，", RecordRef(None, 17)),
        ("17；", RecordRef(None, 17)),
        ("17：", RecordRef(None, 17)),
        ("17、", RecordRef(None, 17)),
        ("17…", RecordRef(None, 17)),
        ("17~", RecordRef(None, 17)),
        ("17。。", RecordRef(None, 17)),
        ("第17号。", RecordRef(None, 17)),
        ("2026-17。", RecordRef(2026, 17)),
        ("十七。", RecordRef(None, 17)),
        ("2026.", RecordRef(None, 2026)),
    ],
)
def test_parse_reference(typed: str, expected: RecordRef) -> None:
    assert parse_reference(typed, current_year=YEAR) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "0",
        "第0号",
        "-17",
        "17.5x",
        "abc",
        "查提案 17",
        "2028-17",  # beyond next year
        "1900-3",  # before the CPPCC existed
        "2026-0",
        "1234567",
        "十十",
        "十五百",
        "零",
        "17 18",
        "。17",  # punctuation only after the number
        "17。5",
        "٣",  # other scripts' digits are not accepted
        "1" * 100,
    ],
)
def test_parse_reference_rejects(typed: str) -> None:
    assert parse_reference(typed, current_year=YEAR) is None


def test_resolve_year() -> None:
    assert RecordRef(None, 17).resolve_year(YEAR) == YEAR
    assert RecordRef(2025, 17).resolve_year(YEAR) == 2025


@given(st.text())
def test_property_never_raises(typed: str) -> None:
    result = parse_reference(typed, current_year=YEAR)
    assert result is None or isinstance(result, RecordRef)
    if result is not None:
        assert 1 <= result.number <= MAX_NUMBER
        assert result.year is None or 1949 <= result.year <= YEAR + 1


@given(st.integers(1, MAX_NUMBER), st.one_of(st.none(), st.integers(1949, YEAR + 1)))
def test_property_round_trip(number: int, year: int | None) -> None:
    typed = f"{year}年第{number}号" if year is not None else f"第{number}号"
    assert parse_reference(typed, current_year=YEAR) == RecordRef(year, number)
    if year is not None:
        assert parse_reference(f"{year}-{number}", current_year=YEAR) == RecordRef(year, number)


def test_split_kind() -> None:
    assert split_kind("17") == (RecordKind.PROPOSAL, "17")
    assert split_kind("民意 5") == (RecordKind.OPINION, "5")
    assert split_kind("社情民意5") == (RecordKind.OPINION, "5")
    assert split_kind("议题 2025-3") == (RecordKind.TOPIC, "2025-3")
    assert split_kind("") == (RecordKind.PROPOSAL, "")
