"""What `统计` was asked: ``统计 [2026] [界别 X|单位 Y|类别 Z]`` (a bare ``界别`` / ``单位`` /
``类别`` asks for the table by that dimension)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import InvalidInput

STATS_USAGE = "统计 [年份] [界别 农业界|单位 县教育局|类别 社会建设]"
_YEAR = re.compile(r"^(\d{4})年?$")


class Dimension(StrEnum):
    SECTOR = "sector"  # 界别
    UNIT = "unit"  # 单位
    CATEGORY = "category"  # 类别

    @property
    def label(self) -> str:
        return {"sector": "界别", "unit": "单位", "category": "类别"}[self.value]


_WORDS = {"界别": Dimension.SECTOR, "单位": Dimension.UNIT, "承办单位": Dimension.UNIT}
_WORDS.update({"类别": Dimension.CATEGORY, "分类": Dimension.CATEGORY})


@dataclass(frozen=True)
class StatsQuery:
    year: int
    dimension: Dimension | None = None
    value: str | None = None  # one sector / unit / category; None: the table by dimension


def leading_year(
    words: list[str], *, current_year: int, usage: str = "统计"
) -> tuple[int, list[str]]:
    """A leading ``2026`` (or ``2026年``), else the current year; and the words after it."""
    if words and (found := _YEAR.match(words[0])):
        year = int(found.group(1))
        if not 2000 <= year <= current_year + 1:
            raise InvalidInput(f"年份“{year}”不对。例如：{usage} {current_year}")
        return year, words[1:]
    return current_year, words


def parse_stats(text: str, *, current_year: int) -> StatsQuery:
    """Read the words of a `统计` command; anything else is refused with the usage."""
    words = text.replace("：", " ").replace(":", " ").split()
    year, words = leading_year(words, current_year=current_year)
    if not words:
        return StatsQuery(year)
    dimension = _WORDS.get(words[0])
    if dimension is None:
        raise InvalidInput(
            f"看不懂“{words[0][:20]}”。用法：{STATS_USAGE}。"
            f"例如：统计 {year} 界别 农业界，或 统计 单位（各承办单位的办理情况）"
        )
    value = " ".join(words[1:]).strip() or None
    return StatsQuery(year, dimension, value)
