"""bot.core.cleaning.clean_text: what every incoming text goes through at the gate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.cleaning import REPLACEMENT, clean_text

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("查提案 17", "查提案 17"),
        ("a\ud800b", f"a{REPLACEMENT}b"),  # a lone surrogate (valid JSON: "\ud800")
        ("\udfff", REPLACEMENT),
        ("\ud83d\ude00", "😀"),  # a pair that arrived split is joined
        ("标题\u2028正文", "标题\n正文"),
        ("标题\u2029正文\x85再一行\r\n末行\r", "标题\n正文\n再一行\n末行\n"),
        ("\u200b委员 列表", "委员 列表"),
        ("\ufeff#提案", "#提案"),
        ("a\u202eb\u2066c", "abc"),  # direction controls
        ("NUL\x00在此", "NUL在此"),
        ("制表\t保留", "制表\t保留"),
        ("全角　空格", "全角　空格"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@given(ANY_TEXT)
def test_anything_comes_out_encodable_and_stable(raw: str) -> None:
    clean = clean_text(raw)
    clean.encode("utf-8")
    assert clean_text(clean) == clean
    # "\n" is the only line break left
    assert all(len(line.splitlines()) <= 1 for line in clean.split("\n"))
    assert not any(ch in clean for ch in "\r\u2028\u2029\x85\x00\u200b\ufeff")
