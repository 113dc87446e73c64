"""Proposal categories from a county-editable keyword lexicon (``data/categories.toml``).

The file (documented in Chinese at its top) lists categories in order, each with weighted
keywords (``"营商环境:3"``), plus a ``fallback`` category and a ``min_score``. Classification is
plain substring matching on normalised text, longest keyword first (a match of ``农村人居环境``
is not counted again as ``人居环境``); it does not need jieba.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.text.segmenter import DEFAULT_DATA_DIR, normalize

if TYPE_CHECKING:
    from collections.abc import Callable

CATEGORIES_FILE = "categories.toml"
DEFAULT_FALLBACK = "其他"
DEFAULT_MIN_SCORE = 1.0
#: A keyword in the title counts as this many occurrences in the body.
TITLE_WEIGHT = 3.0
MIN_KEYWORD_LENGTH = 2

_TOP_KEYS = {"fallback", "min_score", "category"}
_CATEGORY_KEYS = {"name", "keywords"}
_CATEGORY_HEADER = re.compile(r"^\s*\[\[\s*category\s*\]\]")
_LINE_IN_TOML_ERROR = re.compile(r"line (\d+)")


class CategoryFileError(ValueError):
    """The category file is malformed; the message (Chinese) names the file, line and key."""


@dataclass(frozen=True, slots=True)
class Classification:
    """A guessed category. ``score`` is the winner's weighted keyword score (0 for the fallback
    when nothing matched); ``matched`` its keywords, strongest first."""

    category: str
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Category:
    name: str
    keywords: dict[str, float]


class CategoryLexicon:
    """An ordered set of categories with weighted keywords; see :meth:`load`."""

    def __init__(
        self,
        categories: list[tuple[str, dict[str, float]]],
        *,
        fallback: str = DEFAULT_FALLBACK,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> None:
        self._categories = [
            _Category(name, {normalize(k): float(w) for k, w in keywords.items()})
            for name, keywords in categories
        ]
        self.fallback = fallback
        self.min_score = float(min_score)
        names = [c.name for c in self._categories]
        if fallback not in names:
            names.append(fallback)
        self._names = tuple(names)
        # keyword -> [(category index, weight)], keywords longest first for overlap resolution
        index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, category in enumerate(self._categories):
            for keyword, weight in category.keywords.items():
                index[keyword].append((number, weight))
        self._index = dict(index)
        self._keywords = sorted(self._index, key=len, reverse=True)

    # ---- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str) -> CategoryLexicon:
        """Read and validate a category file; raises :class:`CategoryFileError`."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CategoryFileError(f"找不到类别词表文件 {path}") from exc
        except UnicodeDecodeError as exc:
            raise CategoryFileError(f"类别词表 {path} 不是 UTF-8 编码，请用 UTF-8 保存") from exc
        return cls.parse(raw, source=str(path))

    @classmethod
    def load_default(cls, data_dir: Path | None = None) -> CategoryLexicon:
        """``data_dir/categories.toml`` if the county has one, else the bundled default."""
        if data_dir is not None and (Path(data_dir) / CATEGORIES_FILE).is_file():
            return cls.load(Path(data_dir) / CATEGORIES_FILE)
        return cls.load(DEFAULT_DATA_DIR / CATEGORIES_FILE)

    @classmethod
    def parse(cls, raw: str, *, source: str = "类别词表") -> CategoryLexicon:
        """Validate TOML text (see ``data/categories.toml`` for the format)."""
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            found = _LINE_IN_TOML_ERROR.search(str(exc))
            where = f"第 {found.group(1)} 行附近" if found else ""
            raise CategoryFileError(
                f"{source} {where}格式错误（{exc}）。请检查引号、逗号、方括号是否成对、是否用了"
                "中文标点。"
            ) from exc
        lines = raw.splitlines()
        _reject_unknown(
            data,
            _TOP_KEYS,
            lambda key: (
                f"{source} 第 {_line_of(lines, key)} 行：不认识的设置“{key}”"
                "（可用的有 fallback、min_score 和 [[category]]）"
            ),
        )
        fallback = data.get("fallback", DEFAULT_FALLBACK)
        if not isinstance(fallback, str) or not fallback.strip():
            raise CategoryFileError(
                f"{source} 第 {_line_of(lines, 'fallback')} 行：fallback 应写成一个类别名称，"
                '例如 fallback = "其他"'
            )
        min_score = data.get("min_score", DEFAULT_MIN_SCORE)
        if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score < 0:
            raise CategoryFileError(
                f"{source} 第 {_line_of(lines, 'min_score')} 行：min_score 应是不小于 0 的数字"
            )
        sections = data.get("category")
        if not isinstance(sections, list) or not sections:
            raise CategoryFileError(
                f"{source} 中没有任何类别：每个类别要写一段 [[category]]（两层方括号），"
                '下面跟 name = "类别名称" 和 keywords = [...]'
            )
        headers = [n for n, line in enumerate(lines, start=1) if _CATEGORY_HEADER.match(line)]
        categories: list[tuple[str, dict[str, float]]] = []
        seen: set[str] = set()
        for position, section in enumerate(sections):
            start = headers[position] if position < len(headers) else 1
            end = headers[position + 1] if position + 1 < len(headers) else len(lines) + 1
            label = f"第 {position + 1} 个 [[category]]（第 {start} 行起）"
            name, keywords = _parse_category(section, lines, start, end, label, source)
            if name in seen:
                raise CategoryFileError(f"{source} {label}：类别“{name}”重复出现")
            seen.add(name)
            categories.append((name, keywords))
        return cls(categories, fallback=fallback.strip(), min_score=float(min_score))

    # ---- queries -------------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """Category names in file order; the fallback last if it has no section of its own."""
        return self._names

    def keywords(self, name: str) -> dict[str, float]:
        """The keywords and weights of one category (empty for a keyword-less fallback)."""
        for category in self._categories:
            if category.name == name:
                return dict(category.keywords)
        if name in self._names:
            return {}
        raise KeyError(name)

    def resolve(self, name: str) -> str | None:
        """The category called ``name`` (ignoring spaces and width), or None."""
        wanted = normalize(name).replace(" ", "")
        for known in self._names:
            if normalize(known).replace(" ", "") == wanted:
                return known
        return None

    def classify(self, text: str, *, title: str = "") -> Classification:
        """Guess the category of a proposal. Pass the title separately to weight it higher."""
        counts: dict[str, float] = defaultdict(float)
        for part, factor in ((text, 1.0), (title, TITLE_WEIGHT)):
            if part:
                for keyword, hits in _count_keywords(normalize(part), self._keywords).items():
                    counts[keyword] += hits * factor
        if not counts:
            return Classification(self.fallback, 0.0, [])
        scores = [0.0] * len(self._categories)
        contributions: list[list[tuple[float, str]]] = [[] for _ in self._categories]
        for keyword, hits in counts.items():
            boost = 1.0 + math.log(hits) if hits >= 1 else hits
            for number, weight in self._index[keyword]:
                scores[number] += weight * boost
                contributions[number].append((weight * boost, keyword))
        best = max(range(len(scores)), key=lambda n: (scores[n], -n))
        if scores[best] <= 0 or scores[best] < self.min_score:
            return Classification(self.fallback, 0.0, [])
        matched = [kw for _, kw in sorted(contributions[best], key=lambda c: (-c[0], c[1]))]
        return Classification(self._categories[best].name, round(scores[best], 3), matched)


def _count_keywords(text: str, keywords: list[str]) -> dict[str, int]:
    """Occurrences of each keyword, leftmost-longest and non-overlapping."""
    spans: list[tuple[int, int, str]] = []
    for keyword in keywords:  # `in` is a fast C scan: only present keywords are located
        if keyword in text:
            start = text.find(keyword)
            while start >= 0:
                spans.append((start, -len(keyword), keyword))
                start = text.find(keyword, start + 1)
    spans.sort()
    counts: dict[str, int] = defaultdict(int)
    covered = 0
    for start, negative_length, keyword in spans:
        if start >= covered:
            counts[keyword] += 1
            covered = start - negative_length
    return counts


def _parse_category(
    section: Any, lines: list[str], start: int, end: int, label: str, source: str
) -> tuple[str, dict[str, float]]:
    if not isinstance(section, dict):
        raise CategoryFileError(f"{source} {label}：格式不对")
    _reject_unknown(
        section,
        _CATEGORY_KEYS,
        lambda key: (
            f"{source} 第 {_line_of(lines, key, start, end)} 行：{label} 里有不认识的键"
            f"“{key}”（只能写 name 和 keywords）"
        ),
    )
    name = section.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CategoryFileError(f'{source} {label}：缺少类别名称，应写 name = "类别名称"')
    name = name.strip()
    raw_keywords = section.get("keywords", [])
    if not isinstance(raw_keywords, list):
        raise CategoryFileError(
            f"{source} 第 {_line_of(lines, 'keywords', start, end)} 行：类别“{name}”的 keywords "
            '应写成方括号列表，例如 keywords = ["教育:3", "学校"]'
        )
    keywords: dict[str, float] = {}
    for item in raw_keywords:
        if not isinstance(item, str):
            raise CategoryFileError(
                f"{source} 第 {_line_of(lines, 'keywords', start, end)} 行：类别“{name}”的"
                f"关键词 {item!r} 要用英文双引号括起来"
            )
        where = f"{source} 第 {_line_of(lines, item, start, end)} 行"
        word, weight = _parse_keyword(item, name, where)
        key = normalize(word)
        if key in keywords:
            raise CategoryFileError(f"{where}：类别“{name}”的关键词“{word}”重复了")
        keywords[key] = weight
    return name, keywords


def _parse_keyword(item: str, category: str, where: str) -> tuple[str, float]:
    text = item.strip().replace("：", ":")
    word, sep, weight_text = text.rpartition(":")
    if not sep:
        word, weight_text = text, ""
    word = word.strip()
    weight = 1.0
    if weight_text.strip():
        try:
            weight = float(weight_text)
        except ValueError:
            raise CategoryFileError(
                f"{where}：类别“{category}”的关键词“{item}”写法不对，权重应是数字，"
                '例如 "营商环境:3"'
            ) from None
        if not math.isfinite(weight) or weight <= 0:
            raise CategoryFileError(f"{where}：类别“{category}”的关键词“{item}”权重应是正数")
    if len(word) < MIN_KEYWORD_LENGTH:
        raise CategoryFileError(
            f"{where}：类别“{category}”的关键词“{item}”太短：至少两个字（单字会误配太多内容）"
        )
    return word, weight


def _reject_unknown(
    table: dict[str, Any], allowed: set[str], message: Callable[[str], str]
) -> None:
    """Refuse the first key (in name order) that is not ``allowed``."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CategoryFileError(message(unknown[0]))


def _line_of(lines: list[str], needle: str, start: int = 1, end: int | None = None) -> int:
    """Best-effort line number (1-based) of the first line in [start, end) mentioning needle."""
    stop = len(lines) + 1 if end is None else end
    for number in range(max(start, 1), stop):
        line = lines[number - 1]
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if needle in code:
            return number
    return start
