"""How an outbox message becomes calls: line-boundary splits, forward batches, the text fallback."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.delivery.chunks import (
    FORWARD_MAX_NODES,
    TEXT_LIMIT,
    ForwardChunk,
    TextChunk,
    fallback_parts,
    plan,
    plan_forward,
    plan_text,
    split_lines,
)
from bot.core.delivery.outbox import mention_part, text_part


def test_short_text_is_one_message() -> None:
    assert plan([text_part("你好")], as_forward=False) == [TextChunk([text_part("你好")])]


def test_split_lines_keeps_lines_whole() -> None:
    lines = [f"{n:03d}" + "字" * 96 for n in range(40)]  # 40 lines of 99 characters
    pieces = split_lines("\n".join(lines))
    assert [len(p) for p in pieces] == [1499, 1499, 999]  # 15 + 15 + 10 lines
    assert "\n".join(pieces) == "\n".join(lines)


def test_a_line_longer_than_the_limit_is_cut() -> None:
    pieces = split_lines("甲" * (TEXT_LIMIT * 2 + 10))
    assert [len(p) for p in pieces] == [TEXT_LIMIT, TEXT_LIMIT, 10]


@given(st.lists(st.text(alphabet="ab字 ", max_size=400), max_size=30))
def test_plan_text_loses_nothing(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = plan_text([text_part(text)], limit=500)
    assert all(len(c.text) <= 500 for c in chunks)
    joined = "".join(c.text for c in chunks).replace("\n", "")
    assert joined == text.replace("\n", "")


def test_mention_stays_in_front() -> None:
    parts = [mention_part("1"), text_part(" "), text_part("a" * 1000 + "\n" + "b" * 1000)]
    first, second = plan_text(parts)
    assert first.parts[0] == mention_part("1")
    assert first.text.endswith("a")
    assert second.text == "b" * 1000


def test_forward_nodes_are_batched_and_fall_back_from_a_batch() -> None:
    parts = [text_part(f"第{n}项") for n in range(FORWARD_MAX_NODES + 5)]
    batches = plan_forward(parts)
    assert [len(b.nodes) for b in batches] == [FORWARD_MAX_NODES, 5]
    assert all(isinstance(b, ForwardChunk) for b in plan(parts, as_forward=True))
    rest = fallback_parts(parts, from_chunk=1)  # the first batch was delivered
    assert rest == [text_part("\n\n".join(f"第{n}项" for n in range(80, 85)))]


def test_a_long_node_is_split_and_empty_ones_dropped() -> None:
    nodes = plan_forward([text_part("x" * 2000), text_part("  \n"), text_part("尾")])[0].nodes
    assert [len(n) for n in nodes] == [1500, 500, 1]
