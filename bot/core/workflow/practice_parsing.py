"""Parsing what follows the handling-practice commands (framework-free): 沟通 (method, date,
content), 提案质量 (grade, opinion), 重点 … 督办 (leader, 牵头 unit), 督办 (activity kind and
content), 回头看 (outcome, content), and the 已沟通/未沟通 of an evaluation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import InvalidInput
from bot.core.models import ConsultationMethod, LookbackOutcome, QualityGrade

CONSULT_USAGE = (
    "沟通 17 面商|电话|座谈|调研 [日期] 内容，例如：沟通 17 面商 3月5日 到提案人单位当面听取意见"
)
QUALITY_USAGE = "提案质量 17 优秀|良好|一般 [意见]"
KEY_USAGE = (
    "重点 17（设为重点提案）；重点 17 督办 某副主席 [牵头 县发改局]；重点 17 取消；"
    "重点 候选 [2026]；多件：重点 17 18"
)
SUPERVISE_USAGE = (
    "督办 17 [视察|座谈|催办|调研|约谈] 内容，例如：督办 17 视察 某副主席带队到现场察看"
)
LOOKBACK_USAGE = "回头看 17 已解决|仍在办理|未落实 内容；回头看 列表 [2026]"
REOPEN_USAGE = "重新办理 17 理由（C类答复的条件已变化）"
EXCELLENT_USAGE = "优秀提案 17 [理由]；优秀提案 17 取消；优秀提案 列表 [2026]"

METHOD_WORDS: dict[str, ConsultationMethod] = {
    "面商": ConsultationMethod.MEETING,
    "当面": ConsultationMethod.MEETING,
    "见面": ConsultationMethod.MEETING,
    "电话": ConsultationMethod.PHONE,
    "电联": ConsultationMethod.PHONE,
    "座谈": ConsultationMethod.FORUM,
    "座谈会": ConsultationMethod.FORUM,
    "调研": ConsultationMethod.SURVEY,
    "实地调研": ConsultationMethod.SURVEY,
}
GRADE_WORDS: dict[str, QualityGrade] = {
    "优秀": QualityGrade.EXCELLENT,
    "良好": QualityGrade.GOOD,
    "一般": QualityGrade.FAIR,
}
OUTCOME_WORDS: dict[str, LookbackOutcome] = {
    "已解决": LookbackOutcome.RESOLVED,
    "已落实": LookbackOutcome.RESOLVED,
    "仍在办理": LookbackOutcome.ONGOING,
    "正在办理": LookbackOutcome.ONGOING,
    "未落实": LookbackOutcome.NOT_DONE,
    "未解决": LookbackOutcome.NOT_DONE,
}
SUPERVISION_KINDS = ("视察", "座谈", "催办", "调研", "约谈", "督查")
CONSULTED_WORDS: dict[str, bool] = {
    "已沟通": True,
    "有沟通": True,
    "沟通了": True,
    "未沟通": False,
    "没沟通": False,
    "没有沟通": False,
}
_SEPARATORS = " \t\n,，:：;；。.、"
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?")
_RELATIVE = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


def _leading_word(text: str, words: dict[str, object] | tuple[str, ...]) -> tuple[str, str] | None:
    """The longest of `words` that `text` starts with, and the rest (separators stripped)."""
    for word in sorted(words, key=len, reverse=True):
        if text.startswith(word):
            return word, text[len(word) :].lstrip(_SEPARATORS)
    return None


def _leading_date(text: str, today: date) -> tuple[date | None, str]:
    """A date at the start of `text` (2026-03-05, 2026年3月5日, 3月5日, 3-5, 今天, 昨天)."""
    for word, days in _RELATIVE.items():
        if text.startswith(word):
            return today - timedelta(days=days), text[len(word) :].lstrip(_SEPARATORS)
    match = _FULL_DATE.match(text)
    year = None
    if match is None:
        match = _MONTH_DAY.match(text)
        if match is None:
            return None, text
        month, day = int(match[1]), int(match[2])
    else:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        found = date(year or today.year, month, day)
    except ValueError:
        raise InvalidInput(f"日期“{match[0].strip()}”不存在。用法：{CONSULT_USAGE}") from None
    if year is None and found > today:
        found = found.replace(year=today.year - 1)  # 12月28日 typed in January
    return found, text[match.end() :].lstrip(_SEPARATORS)


@dataclass(frozen=True)
class ConsultSpec:
    """沟通 17 面商 3月5日 内容."""

    method: ConsultationMethod
    held_on: date
    content: str


def parse_consult(text: str, today: date) -> ConsultSpec:
    text = text.strip()
    found = _leading_word(text, METHOD_WORDS)
    if found is None:
        raise InvalidInput(f"请写明沟通方式：面商、电话、座谈或调研。用法：{CONSULT_USAGE}")
    word, rest = found
    held_on, content = _leading_date(rest, today)
    if held_on is not None and held_on > today:
        raise InvalidInput(f"沟通日期不能晚于今天。用法：{CONSULT_USAGE}")
    if not content:
        raise InvalidInput(f"请写上沟通的内容（听取了哪些意见、怎样答复）。用法：{CONSULT_USAGE}")
    return ConsultSpec(METHOD_WORDS[word], held_on or today, content)


def parse_quality(text: str) -> tuple[QualityGrade, str]:
    found = _leading_word(text.strip(), GRADE_WORDS)
    if found is None:
        raise InvalidInput(f"请写明提案质量：优秀、良好或一般。用法：{QUALITY_USAGE}")
    return GRADE_WORDS[found[0]], found[1]


@dataclass(frozen=True)
class KeySpec:
    """What follows the numbers of 重点: on/off, and the supervising leader and 牵头 unit."""

    on: bool = True
    leader: str | None = None
    unit: str | None = None


_OFF_WORDS = ("取消重点", "取消", "撤销", "去掉")
_LEAD_WORD = re.compile(r"\s*(?:牵头单位|牵头)\s*[:：]?\s*")


def parse_key(text: str) -> KeySpec:
    """``""`` (on), ``取消`` (off), ``督办 某副主席 [牵头 县发改局]`` (on, with the leader)."""
    text = text.strip()
    if not text:
        return KeySpec()
    if text in _OFF_WORDS:
        return KeySpec(on=False)
    found = _leading_word(text, ("督办领导", "督办"))
    if found is None:
        raise InvalidInput(f"不认识“{text[:20]}”。用法：{KEY_USAGE}")
    parts = _LEAD_WORD.split(found[1], maxsplit=1)
    leader = parts[0].strip(_SEPARATORS)
    unit = parts[1].strip(_SEPARATORS) if len(parts) > 1 else None
    if not leader:
        raise InvalidInput(f"请写上督办领导，例如：重点 17 督办 某副主席。用法：{KEY_USAGE}")
    if len(leader) > 32:
        raise InvalidInput("督办领导的称呼太长了（最多32个字），例如：重点 17 督办 某副主席")
    if len(parts) > 1 and not unit:
        raise InvalidInput(f"“牵头”后面要写单位名称。用法：{KEY_USAGE}")
    return KeySpec(on=True, leader=leader, unit=unit)


def parse_supervision(text: str) -> tuple[str, str]:
    """``视察 内容`` -> ("视察", "内容"); the kind is optional ("督办")."""
    text = text.strip()
    found = _leading_word(text, SUPERVISION_KINDS)
    kind, content = found if found is not None else ("督办", text)
    if not content:
        raise InvalidInput(
            f"请写上督办的内容。用法：{SUPERVISE_USAGE}。设为重点提案请发送：重点 17 督办 某副主席"
        )
    return kind, content


def parse_lookback(text: str) -> tuple[LookbackOutcome, str]:
    found = _leading_word(text.strip(), OUTCOME_WORDS)
    if found is None:
        raise InvalidInput(f"请写明落实情况：已解决、仍在办理或未落实。用法：{LOOKBACK_USAGE}")
    if not found[1]:
        raise InvalidInput(f"请写上具体情况，提案人会收到。用法：{LOOKBACK_USAGE}")
    return OUTCOME_WORDS[found[0]], found[1]


def split_consulted(opinion: str) -> tuple[bool | None, str]:
    """The 已沟通 / 未沟通 leading an evaluation's opinion, and the rest."""
    found = _leading_word(opinion.strip(), CONSULTED_WORDS)
    if found is None:
        return None, opinion.strip()
    return CONSULTED_WORDS[found[0]], found[1]


def parse_year(text: str, current_year: int, usage: str) -> int:
    """An optional year (``2026`` / ``2026年``); the current year when empty."""
    typed = text.strip()
    text = typed.removesuffix("年")
    if not text:
        return current_year
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= current_year + 1:
        raise InvalidInput(f"“{typed[:20]}”不是年份。用法：{usage}")
    return int(text)
