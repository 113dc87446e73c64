"""The county's point table (data/duty_points.toml): items, their points, and where the bot
counts them from (``source``) or that staff record them (no source)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

DUTY_FILE = "duty_points.toml"
BUNDLED = Path(__file__).resolve().parents[3] / "data" / DUTY_FILE


class Source(StrEnum):
    """What the bot counts an item from (a record of the year, not withdrawn)."""

    PROPOSAL = "proposal"
    PROPOSAL_ACCEPTED = "proposal_accepted"
    KEY_PROPOSAL = "key_proposal"
    COSIGN = "cosign"
    OPINION = "opinion"
    OPINION_ADOPTED = "opinion_adopted"
    OPINION_INSTRUCTED = "opinion_instructed"
    TOPIC = "topic"
    DISCUSSION = "discussion"
    #: the lead unit's quality rating of the proposal (提案质量, 双向评价), one per grade
    QUALITY_EXCELLENT = "quality_excellent"
    QUALITY_GOOD = "quality_good"
    QUALITY_FAIR = "quality_fair"
    #: one of the year's best proposals (优秀提案, by the year it was selected in)
    EXCELLENT_PROPOSAL = "excellent_proposal"


class DutyTableError(ValueError):
    """The point table file is wrong; the message (Chinese) says where."""


@dataclass(frozen=True)
class DutyItem:
    name: str
    points: int
    source: Source | None = None  # None: recorded by staff (履职 登记)

    @property
    def recorded(self) -> bool:
        return self.source is None


@dataclass(frozen=True)
class DutyTable:
    items: tuple[DutyItem, ...]

    def by_source(self) -> dict[Source, DutyItem]:
        return {i.source: i for i in self.items if i.source is not None}

    def recorded_item(self, name: str) -> DutyItem | None:
        """An item staff record, by its name (exactly, or the only one containing it)."""
        recorded = [i for i in self.items if i.recorded]
        exact = [i for i in recorded if i.name == name]
        found = exact or [i for i in recorded if name and name in i.name]
        return found[0] if len(found) == 1 else None

    def recorded_names(self) -> list[str]:
        return [i.name for i in self.items if i.recorded]


def load_table(data_dir: Path | None = None) -> DutyTable:
    """``data_dir/duty_points.toml`` if the county has one, else the bundled default."""
    path = Path(data_dir) / DUTY_FILE if data_dir is not None else BUNDLED
    if not path.is_file():
        path = BUNDLED
    return parse_table(path.read_text(encoding="utf-8"), source=str(path))


def parse_table(text: str, *, source: str = DUTY_FILE) -> DutyTable:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DutyTableError(
            f"履职积分表 {source} 格式错误（{exc}）。请检查引号和方括号。"
        ) from exc
    raw = data.get("item")
    if not isinstance(raw, list) or not raw:
        raise DutyTableError(f"履职积分表 {source} 里没有积分项目：每个项目写一段 [[item]]。")
    items = [_item(entry, index, source) for index, entry in enumerate(raw, start=1)]
    names = [i.name for i in items]
    for name in names:
        if names.count(name) > 1:
            raise DutyTableError(f"履职积分表 {source}：项目“{name}”写了两次。")
    sources = [i.source for i in items if i.source is not None]
    for src in sources:
        if sources.count(src) > 1:
            raise DutyTableError(f"履职积分表 {source}：来源 {src.value} 写了两次。")
    return DutyTable(tuple(items))


def _item(entry: Any, index: int, source: str) -> DutyItem:
    where = f"履职积分表 {source} 第 {index} 个项目"
    if not isinstance(entry, dict):
        raise DutyTableError(f"{where}格式不对。")
    name, points, src = entry.get("name"), entry.get("points"), entry.get("source")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 64:
        raise DutyTableError(f"{where}：name 要写项目名称（64 字以内）。")
    if not isinstance(points, int) or isinstance(points, bool):
        raise DutyTableError(f"{where}（{name}）：points 要写整数分值，例如 points = 10。")
    if src is None:
        return DutyItem(name.strip(), points)
    try:
        return DutyItem(name.strip(), points, Source(src))
    except ValueError:
        known = "、".join(s.value for s in Source)
        raise DutyTableError(f"{where}（{name}）：不认识的来源“{src}”。可用：{known}。") from None
