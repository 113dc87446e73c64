"""Parsing what staff type after a workflow command (framework-free).

- number lists: ``17``, ``17 18 21``, ``17、18、21``, ``17-21`` / ``17~21`` / ``17至21`` (ranges),
  ``第17号``, ``2025-17`` (a number of another year);
- ``交办``: ``17 主办 县教育局 会办 县财政局,县住建局 时限 30个工作日 理由 涉及跨年度预算``;
- ``并案``: ``17 到 9`` / ``17 18 并入 9``;
- answers (A/B/C) and evaluations (满意/基本满意/不满意).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.core.cleaning import TRAILING_PUNCTUATION, strip_trailing_punctuation
from bot.core.errors import InvalidInput
from bot.core.models import AnswerCategory, EvaluationResult
from bot.core.records.refs import parse_reference

#: The most numbers one bulk command may name (a typo guard for ranges like 1-9999).
MAX_BULK = 50

_RANGE = re.compile(r"^第?(\d{1,6})号?\s*(?:-|~|～|—|–|至|到)\s*第?(\d{1,6})号?$")


def normalize(text: str) -> str:
    """Trimmed; free text (reasons, answers, opinions) keeps its full-width punctuation."""
    return text.strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _is_ref(token: str, current_year: int) -> bool:
    return parse_reference(token, current_year=current_year) is not None


def _expand_range(token: str, current_year: int) -> list[str] | None:
    """``17-21`` -> 17..21; None when `token` is not a range (``2025-17`` is a year and number)."""
    match = _RANGE.match(strip_trailing_punctuation(_nfkc(token)))
    if match is None:
        return None
    low, high = int(match[1]), int(match[2])
    if high <= low:
        return None  # 2025-17: a number of another year, for parse_reference
    if high - low + 1 > MAX_BULK:
        raise InvalidInput(
            f"“{token}”包含{high - low + 1}个编号，一次最多{MAX_BULK}个。请分几次发送。"
        )
    return [str(n) for n in range(low, high + 1)]


@dataclass(frozen=True)
class Numbers:
    """The record numbers at the start of a command, and the text after them."""

    refs: list[str]
    rest_text: str

    @property
    def rest(self) -> list[str]:
        return self.rest_text.split()


_TOKEN = re.compile(r"[\s,，、;；]*([^\s,，、;；]+)")


def leading_numbers(text: str, *, current_year: int, usage: str) -> Numbers:
    """Split ``17 18-20 社会建设`` into refs [17, 18, 19, 20] and the rest ``社会建设``.

    The rest keeps its own spacing and punctuation. Raises InvalidInput (with `usage`) when no
    number leads.
    """
    normal = normalize(text)
    refs: list[str] = []
    pos = 0
    first = ""
    while True:
        match = _TOKEN.match(normal, pos)
        if match is None:
            break
        token = match[1]
        first = first or token
        expanded = _expand_range(token, current_year)
        if expanded is not None:
            refs.extend(expanded)
        elif _is_ref(token, current_year):
            refs.append(strip_trailing_punctuation(token))  # `17。` is 17, counted once
        else:
            break
        pos = match.end()
    if not refs:
        what = f"“{first[:20]}”不是编号。" if first else "请写上编号。"
        raise InvalidInput(f"{what}用法：{usage}")
    unique = list(dict.fromkeys(refs))
    if len(unique) > MAX_BULK:
        raise InvalidInput(f"一次最多处理{MAX_BULK}个编号，请分几次发送。")
    return Numbers(unique, normal[pos:].strip(" \t\n,，、;；"))


def single_number(text: str, *, current_year: int, usage: str) -> tuple[str, str]:
    """The one number a command starts with, and the rest of the text (spacing kept)."""
    normal = normalize(text)
    for pattern in (_FIRST_WORD, _GLUED_NUMBER):
        match = pattern.match(normal)
        if match is not None and _is_ref(match[1], current_year):
            rest = match[2].lstrip(_AFTER_NUMBER).rstrip(" \t\n,，、:：")
            return strip_trailing_punctuation(match[1]), rest
    head = normal.split()[0][:20] if normal.split() else ""
    what = f"“{head}”不是编号。" if head else "请写上编号。"
    raise InvalidInput(f"{what}用法：{usage}")


_AFTER_NUMBER = " \t\n" + TRAILING_PUNCTUATION
_FIRST_WORD = re.compile(r"^(\S+?)(?:[\s,，、:：]+|$)(.*)$", re.S)
# `进展 17已完成调研`: a number glued to the text after it
_GLUED_NUMBER = re.compile(r"^((?:[0-9０-９]{4}\s*[-年]\s*)?第?[0-9０-９]{1,6}号?)(.*)$", re.S)


# ---------------------------------------------------------------- 交办

ASSIGN_USAGE = "交办 17 主办 县教育局 [会办 县财政局,县住建局] [时限 2027-03-01｜3个月｜30个工作日]"

_KEYWORDS = {
    "主办": "lead",
    "主办单位": "lead",
    "牵头": "lead",
    "会办": "assisting",
    "会办单位": "assisting",
    "协办": "assisting",
    "时限": "deadline",
    "期限": "deadline",
    "限期": "deadline",
    "办理时限": "deadline",
    "答复时限": "deadline",
    "理由": "reason",
    "原因": "reason",
}
_KEYWORD_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, _KEYWORDS), key=len, reverse=True)) + r")\s*[:：]?"
)


@dataclass(frozen=True)
class AssignSpec:
    """What `交办` names: the lead unit, assisting units, a typed deadline and its reason."""

    lead: str | None
    assisting: list[str] = field(default_factory=list)
    deadline: str | None = None
    reason: str = ""


def parse_assign(text: str) -> AssignSpec:
    """Read ``主办 X 会办 Y,Z 时限 … 理由 …`` (keywords in any order; 理由 takes the rest).

    Text before the first keyword is the lead unit (``交办 17 县教育局``).
    """
    text = normalize(text)
    parts: dict[str, list[str]] = {}
    pos = 0
    key = "lead"
    pieces: list[tuple[str, str]] = []
    for match in _KEYWORD_RE.finditer(text):
        pieces.append((key, text[pos : match.start()]))
        key = _KEYWORDS[match[1]]
        pos = match.end()
        if key == "reason":
            break
    pieces.append((key, text[pos:]))
    for name, value in pieces:
        value = value.strip()
        if not value and name == "lead":
            continue
        if name in parts and name != "lead":
            raise InvalidInput(f"“{_word_for(name)}”写了两次，请只写一次。用法：{ASSIGN_USAGE}")
        parts.setdefault(name, []).append(value)
    leads = [u for v in parts.get("lead", []) for u in _unit_names(v)]
    if len(leads) > 1:
        raise InvalidInput(
            f"主办单位只能有一个（写了：{'、'.join(leads)}）。其余单位请写在“会办”后面。"
            f"用法：{ASSIGN_USAGE}"
        )
    assisting = [u for v in parts.get("assisting", []) for u in _unit_names(v)]
    if "assisting" in parts and not assisting:
        raise InvalidInput(f"“会办”后面要写单位名称，多个用逗号分开。用法：{ASSIGN_USAGE}")
    deadline = None
    if "deadline" in parts:
        deadline = "".join(parts["deadline"][0].split())
        if not deadline:
            raise InvalidInput(
                f"“时限”后面要写期限，例如 2027-03-01、3月1日、3个月、30个工作日。用法：{ASSIGN_USAGE}"
            )
    reason = parts.get("reason", [""])[0]
    if "reason" in parts and not reason:
        raise InvalidInput("“理由”后面要写延长时限的理由，例如：理由 涉及跨年度预算安排")
    return AssignSpec(
        lead=leads[0] if leads else None,
        assisting=list(dict.fromkeys(assisting)),
        deadline=deadline,
        reason=reason,
    )


def _word_for(name: str) -> str:
    return {"lead": "主办", "assisting": "会办", "deadline": "时限", "reason": "理由"}[name]


def _unit_names(value: str) -> list[str]:
    return [u for u in re.split(r"[\s,，、;；/]+", value) if u]


# ---------------------------------------------------------------- 并案

MERGE_USAGE = "并案 17 到 9（把第17号并入第9号；多件可写 并案 17 18 到 9）"
_MERGE_SPLIT = re.compile(r"\s*(?:并入|合并到|合并入|到|->|→)\s*")


def parse_merge(text: str) -> tuple[str, str]:
    """``17 到 9`` -> ("17", "9"); ``17 18 到 9`` -> ("17 18", "9")."""
    normal = normalize(text)
    parts = _MERGE_SPLIT.split(normal, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise InvalidInput(f"请写明并入哪一件。用法：{MERGE_USAGE}")
    return parts[0].strip(), parts[1].strip()


# ---------------------------------------------------------------- 答复 / 评价

ANSWER_USAGE = "答复 17 A|B|C 答复内容（A 已解决或基本解决，B 正在解决或列入计划，C 留作参考）"
_ANSWER_CATEGORY_RE = re.compile(r"^([ABCabc])(?![A-Za-z])类?[\s,，:：。.、]*(.*)$", re.S)


def parse_answer(text: str) -> tuple[AnswerCategory, str]:
    """``B 已列入明年计划`` -> (B, "已列入明年计划")."""
    text = normalize(text)
    match = _ANSWER_CATEGORY_RE.match(_nfkc(text[:1]) + text[1:])
    if match is None:
        raise InvalidInput(f"请写明答复类别 A、B 或 C。用法：{ANSWER_USAGE}")
    return AnswerCategory(match[1].upper()), match[2].strip()


EVALUATE_USAGE = "评价 17 满意｜基本满意｜不满意 [意见]"
_RESULTS = (
    ("基本满意", EvaluationResult.BASICALLY_SATISFIED),
    ("不满意", EvaluationResult.UNSATISFIED),
    ("满意", EvaluationResult.SATISFIED),
)


def parse_evaluation(text: str) -> tuple[EvaluationResult, str]:
    """``不满意 没有解决实际问题`` -> (UNSATISFIED, "没有解决实际问题")."""
    normal = normalize(text)
    for word, result in _RESULTS:
        if normal.startswith(word):
            return result, normal[len(word) :].strip(" \t\n,，:：。.;；")
    raise InvalidInput(f"请写明“满意”“基本满意”或“不满意”。用法：{EVALUATE_USAGE}")
