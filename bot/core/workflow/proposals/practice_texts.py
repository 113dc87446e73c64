"""What the handling-practice steps say (沟通, 提案质量, 重点 督办, 督办, 回头看, 重新办理,
优秀提案): notices to members, units and staff, and the replies (``(text, line)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT
from bot.core.models import AnswerCategory, LookbackOutcome, QualityGrade, Record, Unit
from bot.core.workflow.common import fmt_date
from bot.core.workflow.notices import proposer_shown
from bot.core.workflow.proposals.texts import Names, Reply, heading

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.workflow.practice_parsing import ConsultSpec

# ---------------------------------------------------------------- 沟通 (办理协商)


def consult_detail(unit: Unit | None, spec: ConsultSpec) -> str:
    who = unit.name if unit is not None else "政协机关"
    return f"{who}与提案人{spec.method.label}（{fmt_date(spec.held_on)}）：{spec.content}"


def consult_notice(n: Names, record: Record, unit: Unit | None, spec: ConsultSpec) -> str:
    who = unit.name if unit is not None else "政协机关"
    return (
        f"【办理协商】{who}记录了与您就{heading(n, record)}的沟通："
        f"{spec.method.label}，{fmt_date(spec.held_on)}。内容：{spec.content}\n"
        "如与实际情况不符，请联系政协机关。收到答复后评价时，也请说明单位是否与您沟通过。"
    )


def consult_reply(n: Names, record: Record, unit: Unit | None, spec: ConsultSpec) -> Reply:
    who = f"{unit.name}与" if unit is not None else "与"
    return (
        f"已记录{who}提案人{proposer_shown(record)}就{n.label(record)}的沟通"
        f"（{spec.method.label}，{fmt_date(spec.held_on)}），已告知提案人。"
        f"办理完毕请发送：答复 {n.ref(record)} A|B|C 答复内容",
        f"{n.number(record)}：已记录沟通（{spec.method.label}）",
    )


NO_CONTACT_FLAG = "注意：答复前没有记录与提案人的沟通（办理协商）。"


def consulted_question(ref: str) -> str:
    """Added to the answer notice: the proposer is asked whether the unit consulted them."""
    return (
        f"\n承办单位办理中是否与您沟通过？评价时请一并写上，例如：评价 {ref} 满意 已沟通，"
        f"或 评价 {ref} 基本满意 未沟通"
    )


def consulted_said(consulted: bool | None) -> str:
    if consulted is None:
        return ""
    return "（提案人表示：" + ("承办单位已与其沟通" if consulted else "承办单位未与其沟通") + "）"


# ---------------------------------------------------------------- 提案质量


def quality_reply(n: Names, record: Record, unit: Unit | None, grade: QualityGrade) -> Reply:
    who = unit.name if unit is not None else "机关"
    return (  # typed in unit groups too: no title (a private submission's stays private)
        f"已记录{who}对{n.label(record)}的提案质量评价：{grade.label}。"
        "质量评价仅机关工作人员可见，不告知提案人，用于履职积分和优秀提案评选。",
        f"{n.number(record)}：提案质量 {grade.label}",
    )


# ---------------------------------------------------------------- 重点 督办 / 督办


def leader_text(leader: str, unit: Unit | None) -> str:
    return f"督办领导：{leader}" + (f"；牵头：{unit.name}" if unit is not None else "")


def key_leader_notice(n: Names, record: Record, leader: str) -> str:
    return f"您的{heading(n, record)}已列为重点提案，由{leader}领衔督办。"


def key_leader_reply(n: Names, record: Record, leader: str, unit: Unit | None) -> Reply:
    return (
        f"已将{heading(n, record)}列为重点提案（{leader_text(leader, unit)}），已通知提案人。"
        f"督办活动请发送：督办 {n.ref(record)} 视察|座谈|催办 内容",
        f"{n.number(record)}：重点提案，{leader}督办",
    )


def supervision_unit_notice(n: Names, record: Record, kind: str, content: str) -> str:
    return (
        f"【督办】{heading(n, record)}（{kind}）：{content}\n"
        f"请抓紧办理，进展请发送：进展 {n.ref(record)} 内容"
    )


SUPERVISION_GROUP_TEXT = f"【督办】{PRIVATE_UNIT_GROUP_TEXT}"


def supervision_reply(n: Names, record: Record, kind: str, told: bool) -> Reply:
    tail = "已通知主办单位联系人。" if told else "（当前没有可通知的承办单位联系人。）"
    return (
        f"已记录{n.label(record)}的督办活动（{kind}），列入办理过程。{tail}",
        f"{n.number(record)}：已记录督办（{kind}）",
    )


def candidates_text(year: int, lines: Sequence[str], total: int) -> str:
    if not lines:
        return f"{year}年还没有已立案的提案，暂无重点提案候选。"
    head = (
        f"{year}年重点提案候选（按联名人数、提案质量评价、并入的相似提案排序，"
        f"共{total}件已立案，列出前{len(lines)}件）："
    )
    tail = "设为重点请发送：重点 编号 督办 某副主席 [牵头 单位]"
    return "\n".join([head, *lines, tail])


# ---------------------------------------------------------------- 回头看 / 重新办理

CATEGORY_B = AnswerCategory.B.label


def lookback_notice(
    n: Names, record: Record, unit: str, outcome: LookbackOutcome, content: str
) -> str:
    return (
        f"【回头看】您的{heading(n, record)}曾答复为{CATEGORY_B}。"
        f"{unit}回头看的落实情况：{outcome.label}。{content}"
    )


def lookback_staff_notice(n: Names, record: Record, unit: str, outcome: LookbackOutcome) -> str:
    more = (
        f"可考虑督办：督办 {n.ref(record)} 催办 内容" if outcome is LookbackOutcome.NOT_DONE else ""
    )
    return f"【回头看】{unit}回复{heading(n, record)}：{outcome.label}。{more}".rstrip()


def lookback_reply(n: Names, record: Record, outcome: LookbackOutcome) -> Reply:
    return (
        f"已记录{n.label(record)}的回头看：{outcome.label}，已一对一告知提案人{proposer_shown(record)}。",
        f"{n.number(record)}：回头看 {outcome.label}",
    )


def lookback_list_text(year: int, lines: Sequence[str], open_count: int) -> str:
    if not lines:
        return (
            f"{year}年还没有回头看的提案。每年第一个工作日（或设定的日期）会请承办单位"
            "回头看上一年答复为B类的提案。"
        )
    head = f"{year}年回头看（上一年B类答复）共{len(lines)}件，未回复{open_count}件："
    return "\n".join([head, *lines])


def reopen_notice(n: Names, record: Record, reason: str) -> str:
    return (
        f"您的{heading(n, record)}曾答复为C类（因条件限制留作参考）。因条件已发生变化，"
        f"政协机关决定重新办理（第{record.round}轮）：{reason}。新的答复会再告诉您。"
    )


def reopen_reply(n: Names, record: Record) -> Reply:
    ref = n.ref(record)
    return (
        f"已将{heading(n, record)}转为重新办理（第{record.round}轮），已通知提案人。"
        f"请重新交办：交办 {ref}（不写单位即交原单位），或 交办 {ref} 主办 单位名称",
        f"{n.number(record)}：重新办理（第{record.round}轮）",
    )


# ---------------------------------------------------------------- 优秀提案


def excellent_notice(n: Names, record: Record, year: int, reason: str) -> str:
    why = f"理由：{reason}。" if reason else ""
    return f"祝贺！{heading(n, record)}被评为{year}年度优秀提案。{why}感谢您的履职！"


def excellent_reply(n: Names, record: Record, year: int, told: int, on: bool) -> Reply:
    if not on:
        return (
            f"已取消{heading(n, record)}的{year}年度优秀提案。",
            f"{n.number(record)}：已取消优秀提案",
        )
    return (
        f"已将{heading(n, record)}评为{year}年度优秀提案，已通知提案人和联名人（{told}人）。",
        f"{n.number(record)}：评为优秀提案",
    )


def excellent_list_text(year: int, lines: Sequence[str]) -> str:
    if not lines:
        return f"{year}年度还没有评出优秀提案。评选请发送：优秀提案 17 理由"
    return "\n".join([f"{year}年度优秀提案（{len(lines)}件）：", *lines])
