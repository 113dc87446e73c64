"""What the proposal steps say: the notices members and staff get (queued by each step in its
transaction) and the replies to whoever typed the command (``(text, line)``: the reply when one
number was named, and the line of a bulk reply). What unit groups may read is in
bot/core/workflow/notices.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.core.models import AnswerCategory, EvaluationResult, Record, Unit
from bot.core.workflow.common import fmt_date, title_of
from bot.core.workflow.notices import proposer_shown, units_text

if TYPE_CHECKING:
    from datetime import date

#: A reply: (the text when one number was named, the line of a bulk reply).
Reply = tuple[str, str]


class Names(Protocol):
    """How records are named (RecordFlow): ``提案第17号``, ``17`` / ``2025-17``, ``第17号``."""

    def label(self, record: Record) -> str: ...

    def ref(self, record: Record) -> str: ...

    def number(self, record: Record) -> str: ...


def heading(n: Names, record: Record) -> str:
    """``提案第17号《关于……的建议》``."""
    return f"{n.label(record)}{title_of(record)}"


def joined(names: list[str]) -> str:
    return "、".join(names)


# ---------------------------------------------------------------- 立案


def accepted_notice(n: Names, record: Record, shown: str) -> str:
    return (
        f"您的{heading(n, record)}已立案（类别：{shown}），"
        "接下来将交承办单位办理，办理进展会再告诉您。"
    )


def accepted_reply(n: Names, record: Record, shown: str) -> Reply:
    return (
        f"已立案：{heading(n, record)}，类别：{shown}。"
        f"已通知提案人{record.proposer_name}。下一步：交办 {n.ref(record)} 主办 单位名称",
        f"{n.number(record)}：已立案（{shown}）",
    )


# ---------------------------------------------------------------- 不立案


def rejected_notice(n: Names, record: Record, reason: str, opinion: Record | None) -> str:
    told = (
        f"已转为{n.label(opinion)}，将按社情民意信息处理，可发送“查民意 {n.ref(opinion)}”查看。"
        if opinion is not None
        else ""
    )
    return (
        f"您的{heading(n, record)}经审查不予立案。理由：{reason.rstrip('。')}。"
        f"{told}如有疑问，请联系政协机关。"
    )


def rejected_reply(n: Names, record: Record, reason: str, opinion: Record | None) -> Reply:
    converted = (
        f"已转为{n.label(opinion)}（采用 {n.ref(opinion)} / 未采用 {n.ref(opinion)}）。"
        if opinion is not None
        else ""
    )
    return (
        f"{heading(n, record)}不予立案，理由：{reason.rstrip('。')}。{converted}"
        f"已一对一告知提案人{record.proposer_name}。",
        f"{n.number(record)}：不予立案",
    )


# ---------------------------------------------------------------- 并案


def merged_notice(n: Names, record: Record, target: Record) -> str:
    """To the proposer of the merged proposal."""
    to = n.ref(target)
    return (
        f"您的{heading(n, record)}与{heading(n, target)}"
        f"内容相近，已并入第{to}号一并办理，您已列为第{to}号的"
        f"联名人。办理进展请发送：查提案 {to}"
    )


def merged_in_notice(
    n: Names, record: Record, target: Record, source_title: str, carried: list[str]
) -> str:
    """To the proposer of the proposal merged into (``source_title``: nothing of a private one)."""
    return (
        f"{n.label(record)}（{record.proposer_name}）{source_title}已并入您的"
        f"{heading(n, target)}一并办理"
        + (f"，联名人增加：{joined(carried)}。" if carried else "。")
    )


def merged_reply(n: Names, record: Record, target: Record, carried: list[str]) -> Reply:
    added = f"联名人增加：{joined(carried)}" if carried else "联名人无变化"
    return (
        f"已将{heading(n, record)}并入{n.label(target)}，{added}。"
        f"已通知提案人。查第{n.ref(record)}号会指向第{n.ref(target)}号。",
        f"{n.number(record)}：已并入第{n.ref(target)}号（{added}）",
    )


# ---------------------------------------------------------------- 交办


def assigned_notice(shown: str, flag: str, lead: Unit, assisting: list[Unit], due: date) -> str:
    """To the proposer (``shown``: the heading)."""
    return (
        f"您的{shown}已交办{flag}：{units_text(lead, assisting)}，"
        f"答复时限{fmt_date(due)}。单位答复后会一对一告诉您，并请您评价。"
    )


def assigned_reply(
    n: Names,
    record: Record,
    *,
    flag: str,
    lead: Unit,
    assisting: list[Unit],
    due: date,
    described: str,
    reason: str,
    no_contact: list[str],
) -> Reply:
    """``flag``: （重新办理） and/or （交办调整）; ``no_contact``: units nobody could be told."""
    units = units_text(lead, assisting)
    lines = [
        f"已交办{flag}{heading(n, record)}",
        units,
        f"答复时限：{described}" + (f"（理由：{reason}）" if reason else ""),
    ]
    if no_contact:
        lines.append(
            f"{joined(no_contact)}还没有联系人，交办通知未能发出。"
            f"请发送：单位 联系人 {no_contact[0]} @联系人"
        )
    else:
        lines.append("已通知承办单位联系人和提案人。")
    again = "（重新办理）" if record.round > 1 else ""
    return "\n".join(lines), f"{n.number(record)}：已交办{again}（{units}；时限 {fmt_date(due)}）"


# ---------------------------------------------------------------- 进展


def assisting_opinion(unit: Unit, shown: str, content: str) -> str:
    """A 会办 unit's opinion, to the lead unit's contacts (``shown``: the heading)."""
    return f"【会办意见】{unit.name}对{shown}的会办意见：{content}"


def assisting_opinion_reply(n: Names, record: Record, unit: Unit, lead: Unit | None) -> Reply:
    return (
        f"已记录{unit.name}对{n.label(record)}的会办意见，并转给主办单位"
        f"{lead.name if lead else ''}。",
        f"{n.number(record)}：已记录会办意见",
    )


def progress_reply(n: Names, record: Record) -> Reply:
    return (
        f"已记录{n.label(record)}的办理进展。提案人发送“查提案 {n.ref(record)}”可以看到。",
        f"{n.number(record)}：已记录进展",
    )


# ---------------------------------------------------------------- 答复


def answer_notice(
    n: Names, record: Record, unit: Unit, answer_category: AnswerCategory, content: str, due: date
) -> str:
    """To the proposer: the answer, and how to evaluate it."""
    ref = n.ref(record)
    return (
        f"您的{heading(n, record)}收到{unit.name}的答复{round_note(record)}：\n"
        f"答复类别：{answer_category.label}\n"
        + (f"答复内容：{content}\n" if content else "")
        + f"请在{fmt_date(due)}前评价，发送：评价 {ref} 满意 / 评价 {ref} 基本满意 / "
        f"评价 {ref} 不满意 您的意见"
    )


def answer_staff_notice(
    n: Names, record: Record, unit: Unit, answer_category: AnswerCategory, due: date
) -> str:
    return (
        f"{unit.name}已答复{heading(n, record)}{round_note(record)}："
        f"{answer_category.label}。委员评价期限{fmt_date(due)}。"
    )


def answered_reply(n: Names, record: Record, answer_category: AnswerCategory, due: date) -> Reply:
    return (
        f"已记录{n.label(record)}的答复{round_note(record)}：{answer_category.label}。"
        f"已一对一通知提案人{proposer_shown(record)}，评价期限{fmt_date(due)}（15个工作日）。",
        f"{n.number(record)}：已答复（{answer_category.value}类）",
    )


def round_note(record: Record) -> str:
    """``（第2轮）`` for a re-handled proposal's answer."""
    return f"（第{record.round}轮）" if record.round > 1 else ""


# ---------------------------------------------------------------- 评价


def evaluation_texts(
    n: Names, record: Record, result: EvaluationResult, opinion: str, rehandle: bool
) -> tuple[str, str]:
    """(what the staff group is told, the reply to the proposer) for an evaluation."""
    ref = n.ref(record)
    round_ = record.round
    said = f"，意见：{opinion}" if opinion else ""
    if rehandle:
        return (
            f"【不满意】{record.proposer_name}对{heading(n, record)}的答复"
            f"不满意{said}。已转为重新办理（第{round_ + 1}轮），请重新交办：交办 {ref}"
            "（不写单位即交原单位），或 交办 "
            f"{ref} 主办 单位名称 时限 …",
            f"已记录您对{n.label(record)}的评价：不满意{said}。"
            "提案将重新办理，机关会重新交办，新的答复会再告诉您。",
        )
    if result is EvaluationResult.UNSATISFIED:
        return (
            f"【不满意】{record.proposer_name}对{heading(n, record)}"
            f"第{round_}轮答复仍不满意{said}。已重新办理过，请协调后办结：办结 {ref}",
            f"已记录您对{n.label(record)}的评价：不满意{said}。"
            "这件提案已经重新办理过一次，政协机关会与承办单位协调后办结。",
        )
    return (
        f"{record.proposer_name}对{heading(n, record)}的答复评价为"
        f"“{result.label}”{said}。可以办结：办结 {ref}",
        f"已记录您对{n.label(record)}的评价：{result.label}{said}。感谢您的履职！",
    )


# ---------------------------------------------------------------- 办结 and 重点


def concluded_notice(n: Names, record: Record) -> str:
    return f"您的{heading(n, record)}已办结。感谢您的履职！"


def concluded_reply(n: Names, record: Record) -> Reply:
    return (
        f"已办结{heading(n, record)}，已通知提案人{record.proposer_name}。",
        f"{n.number(record)}：已办结",
    )


def key_notice(n: Names, record: Record) -> str:
    return f"您的{heading(n, record)}已列为重点提案，由政协督办。"


def key_reply(n: Names, record: Record, on: bool) -> Reply:
    if on:
        return (
            f"已将{heading(n, record)}列为重点提案（督办），已通知提案人。",
            f"{n.number(record)}：已列为重点提案",
        )
    return (
        f"已取消{heading(n, record)}的重点提案标记。",
        f"{n.number(record)}：已取消重点",
    )
