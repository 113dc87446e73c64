"""Server-rendered SVG charts: the geometry is computed here, the templates only draw it
(no script, no external resource)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.stats import Rate

#: Chart width in SVG units (the SVG scales to its box; text scales with it).
WIDTH = 320
LABEL_WIDTH = 88
VALUE_WIDTH = 84
ROW = 24
ANSWER_COLOURS = {"A": "#2f7d4f", "B": "#c28a12", "C": "#8a8f98"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float  # of the bar, in SVG units
    share: str  # 12.5%


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    bar_x: int = LABEL_WIDTH
    value_x: int = WIDTH - VALUE_WIDTH + 4
    width: int = WIDTH


def bar_chart(items: Sequence[tuple[str, int]]) -> BarChart:
    """Horizontal bars, one row per item, scaled to the largest value; shares of the total."""
    total = sum(v for _, v in items)
    largest = max((v for _, v in items), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=label if len(label) <= 7 else label[:6] + "…",
            value=value,
            y=index * ROW,
            width=round(span * value / largest, 1) if largest else 0,
            share=Rate(value, total).percent(),
        )
        for index, (label, value) in enumerate(items)
    ]
    return BarChart(bars, max(ROW, len(bars) * ROW))


@dataclass(frozen=True)
class Segment:
    key: str
    value: int
    x: float
    width: float
    colour: str
    share: str


def stacked(counts: dict[str, int], keys: Sequence[str] = ("A", "B", "C")) -> list[Segment]:
    """One bar split into A/B/C shares (WIDTH units wide)."""
    total = sum(counts.get(k, 0) for k in keys)
    segments: list[Segment] = []
    x = 0.0
    for key in keys:
        value = counts.get(key, 0)
        width = WIDTH * value / total if total else 0.0
        share = Rate(value, total).percent()
        segments.append(
            Segment(key, value, round(x, 1), round(width, 1), ANSWER_COLOURS[key], share)
        )
        x += width
    return segments


def meter(rate: Rate) -> float:
    """The filled part of a rate's meter (0–100)."""
    value = rate.value
    return 0.0 if value is None else round(min(1.0, value) * 100, 1)
