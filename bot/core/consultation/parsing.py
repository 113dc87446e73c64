"""What staff type after the plan commands (pure):

- ``列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 [责任人 张三] 时限 2027-06-30 [题目 …]``;
- ``议题 活动 3 调研 2027-03-15 参加 张三、李四 [内容 …]``;
- ``议题 成果 3 建议案 内容`` (files come with the message).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from bot.core.consultation.forms import DEFAULT_FORMS, FormList
from bot.core.errors import InvalidInput

PLAN_USAGE = (
    "列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 [责任人 张三 或 @张三] "
    "时限 2027-06-30 [题目 计划中的名称]"
)
ACTIVITY_USAGE = "议题 活动 3 调研 2027-03-15 参加 张三、李四 [内容 活动情况]"
RESULT_USAGE = "议题 成果 3 建议案 成果名称或内容（可附文件或图片）"

ACTIVITY_TYPES: tuple[str, ...] = (
    "调研",
    "座谈",
    "座谈会",
    "视察",
    "考察",
    "走访",
    "协商会",
    "协商座谈",
    "专题协商会",
    "论证会",
    "会议",
    "网络议政",
)
RESULT_TYPES: tuple[str, ...] = (
    "建议案",
    "调研报告",
    "视察报告",
    "协商报告",
    "报告",
    "专报",
    "意见建议",
)

#: Longest text kept for a plan item's fields (their columns' lengths bound them) and an
#: entry's content.
MAX_FIELDS = {
    "leader": ("牵头领导", 40),
    "unit": ("责任部门", 100),
    "person": ("责任人", 40),
    "title": ("题目", 100),
}
MAX_CONTENT = 3000

_PLAN_KEYS = {
    "牵头领导": "leader",
    "牵头": "leader",
    "责任部门": "unit",
    "责任单位": "unit",
    "责任人": "person",
    "责任": "unit",
    "完成时限": "deadline",
    "时限": "deadline",
    "期限": "deadline",
    "题目": "title",
    "名称": "title",
}
_ACTIVITY_KEYS = {
    "参加人员": "participants",
    "参加": "participants",
    "参与人员": "participants",
    "参与": "participants",
    "内容": "content",
    "情况": "content",
}
_DATE = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")


def _keyword_re(keys: dict[str, str]) -> re.Pattern[str]:
    words = sorted(map(re.escape, keys), key=len, reverse=True)
    return re.compile(r"(?:^|(?<=\s))(" + "|".join(words) + r")\s*[:：]?\s*")


_PLAN_RE = _keyword_re(_PLAN_KEYS)
_ACTIVITY_RE = _keyword_re(_ACTIVITY_KEYS)


def split_keywords(
    text: str, keys: dict[str, str], pattern: re.Pattern[str], usage: str
) -> tuple[str, dict[str, str]]:
    """The text before the first keyword, and each keyword's value (each at most once)."""
    lead_end = None
    parts: dict[str, str] = {}
    key: str | None = None
    pos = 0
    for match in pattern.finditer(text):
        if key is None:
            lead_end = match.start()
        else:
            _put(parts, key, text[pos : match.start()], usage)
        key, pos = keys[match[1]], match.end()
    if key is not None:
        _put(parts, key, text[pos:], usage)
    lead = text if lead_end is None else text[:lead_end]
    return lead.strip(), parts


def _put(parts: dict[str, str], key: str, value: str, usage: str) -> None:
    if key in parts:
        raise InvalidInput(f"同一项写了两次，请每项只写一次。用法：{usage}")
    parts[key] = value.strip(" \t\n,，;；。")


@dataclass(frozen=True)
class PlanSpec:
    form: str
    leader: str
    unit: str
    deadline: str
    person: str = ""
    title: str = ""


def parse_plan(text: str, forms: FormList = DEFAULT_FORMS) -> PlanSpec:
    """Read the form (one of `forms`) and ``牵头 … 责任 … 责任人 … 时限 … 题目 …`` (keywords
    in any order)."""
    lead, parts = split_keywords(text.strip(), _PLAN_KEYS, _PLAN_RE, PLAN_USAGE)
    form = forms.resolve(lead.split()[0] if lead.split() else "")
    if len(lead.split()) > 1:
        raise InvalidInput(f"协商形式后面请用“牵头”“责任”“时限”分开各项。用法：{PLAN_USAGE}")
    missing = [
        word
        for key, word in (("leader", "牵头"), ("unit", "责任"), ("deadline", "时限"))
        if not parts.get(key)
    ]
    if missing:
        raise InvalidInput(f"请写明{'、'.join(missing)}。用法：{PLAN_USAGE}")
    for key, (word, limit) in MAX_FIELDS.items():
        if len(parts.get(key, "")) > limit:
            raise InvalidInput(f"“{word}”超过{limit}个字，请写得简短些。用法：{PLAN_USAGE}")
    return PlanSpec(
        form=form,
        leader=parts["leader"],
        unit=parts["unit"],
        deadline=parts["deadline"],
        person=parts.get("person", ""),
        title=parts.get("title", ""),
    )


def parse_date(text: str, today: date) -> date | None:
    """``2027-03-15``, ``2027/3/15``, ``2027年3月15日``, ``3月15日`` (this year); None if not a date.
    InvalidInput for a date that does not exist."""
    match = _DATE.match(unicodedata.normalize("NFKC", text.strip()))
    if match is None:
        return None
    year = int(match[1]) if match[1] else today.year
    try:
        return date(year, int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidInput(f"日期“{text.strip()[:12]}”不存在，请检查。") from None


@dataclass(frozen=True)
class ActivitySpec:
    subtype: str
    on_date: date
    participants: str
    content: str


def parse_activity(text: str, today: date) -> ActivitySpec:
    """``调研 2027-03-15 参加 张三、李四 内容 …``: the type and date may be left out (活动, today)."""
    lead, parts = split_keywords(text.strip(), _ACTIVITY_KEYS, _ACTIVITY_RE, ACTIVITY_USAGE)
    words = lead.split()
    subtype = "活动"
    if words and words[0] in ACTIVITY_TYPES:
        subtype = words.pop(0)
    on_date = today
    if words:
        parsed = parse_date(words[0], today)
        if parsed is not None:
            on_date = parsed
            words.pop(0)
    content = " ".join([*words, parts.get("content", "")]).strip()
    participants = parts.get("participants", "")
    if not content and not participants and subtype == "活动":
        raise InvalidInput(f"请写明活动的形式、日期和参加人员。用法：{ACTIVITY_USAGE}")
    if len(content) > MAX_CONTENT or len(participants) > MAX_CONTENT:
        raise InvalidInput(f"内容超过{MAX_CONTENT}字，请精简后再发。")
    return ActivitySpec(subtype, on_date, participants, content)


def parse_result(text: str) -> tuple[str, str]:
    """``建议案 关于…的建议案`` -> ("建议案", "关于…的建议案"); the type defaults to 成果."""
    text = text.strip()
    for word in RESULT_TYPES:
        if text.startswith(word):
            return word, text[len(word) :].strip(" \t\n:：,，")
    return "成果", text


def parse_content(text: str, usage: str, *, required: bool = True) -> str:
    """Free text after the number (批示, 落实, 办结)."""
    content = text.strip()
    if required and not content:
        raise InvalidInput(f"请写上内容。用法：{usage}")
    if len(content) > MAX_CONTENT:
        raise InvalidInput(f"内容超过{MAX_CONTENT}字，请精简后再发。")
    return content
