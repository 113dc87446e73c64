"""The words of the consultation plan: replies to staff, notices to proposers and supporters,
and the lines of the plan listing (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.consultation.forms import cn_ordinal
from bot.core.models import PlanEntry, PlanEntryKind, PlanItem, RecordStatus
from bot.core.workflow.common import fmt_date

if TYPE_CHECKING:
    from datetime import date


def place(item: PlanItem) -> str:
    """``2027年度协商计划专题协商第2项``."""
    return f"{item.year}年度协商计划{item.form}第{item.form_number}项"


def responsibility(item: PlanItem) -> str:
    person = f"；责任人：{item.responsible_name}" if item.responsible_name else ""
    return (
        f"牵头领导：{item.lead_leader}；责任部门：{item.unit_name}{person}；"
        f"完成时限：{fmt_date(item.due_date)}"
    )


def planned_notice(label: str, title: str, item: PlanItem, *, supporter: bool) -> str:
    role = "支持" if supporter else "提出"
    return (
        f"您{role}的{label}{title}已列入{place(item)}。{responsibility(item)}。"
        "办理进展会在日报中通报。感谢您的履职！"
    )


def closed_notice(label: str, title: str, item: PlanItem, content: str, *, supporter: bool) -> str:
    role = "支持" if supporter else "提出"
    said = f"：{content}" if content else ""
    return f"您{role}的{label}{title}（{place(item)}）已办结{said}。感谢您的履职！"


def declined_notice(label: str, title: str, said: str) -> str:
    return (
        f"您提出的{label}{title}经研究暂不列入年度协商计划。{said}"
        "以后的年度仍可能采用，欢迎继续建言。"
    )


def unit_notice(label: str, title: str, item: PlanItem) -> str:
    return (
        f"【协商计划】{label}{title}已列入{place(item)}，由贵单位负责。{responsibility(item)}。"
        "机器人会在时限前提醒。"
    )


def told(proposer: bool, supporters: int) -> str:
    """Who was told: the proposer (not of a topic staff entered) and the supporters."""
    if proposer:
        return f"已通知提出人和{supporters}位附议委员。" if supporters else "已通知提出人。"
    return f"已通知{supporters}位附议委员。" if supporters else ""


def status_word(status: str) -> str:
    return RecordStatus(status).label


def plan_line(index: int, item: PlanItem, status: str, ref: str, today: date) -> str:
    late = ""
    if item.closed_at is None and item.due_date < today:
        late = "，已逾期"
    person = f"｜责任人：{item.responsible_name}" if item.responsible_name else ""
    return (
        f"{index}. 《{item.title}》（议题第{ref}号）\n"
        f"   牵头：{item.lead_leader}｜责任：{item.unit_name}{person}｜"
        f"时限：{fmt_date(item.due_date)}｜{status_word(status)}{late}"
    )


def plan_text(
    year: int, by_form: list[tuple[str, list[tuple[PlanItem, str, str]]]], today: date, hidden: int
) -> str:
    """``2027年度协商计划（2类3项）`` and each form's items."""
    total = sum(len(items) for _, items in by_form)
    if not total:
        more = f"（另有{hidden}项不在群内显示，请私聊机器人查看）" if hidden else ""
        return (
            f"{year}年度协商计划还没有计划项{more}。机关工作人员可发送："
            "列入计划 议题编号 协商形式 牵头 领导 责任 部门 时限 日期"
        )
    closed = sum(1 for _, items in by_form for item, _, _ in items if item.closed_at is not None)
    lines = [f"{year}年度协商计划（{len(by_form)}类{total}项，已办结{closed}项）"]
    for number, (form, items) in enumerate(by_form, start=1):
        lines.append(f"{cn_ordinal(number)}、{form}（{len(items)}项）")
        lines.extend(
            plan_line(item.form_number, item, status, ref, today) for item, status, ref in items
        )
    if hidden:
        lines.append(f"另有{hidden}项由委员私聊提交，未在群内显示。")
    lines.append("发送“查议题 编号”查看某一项的进展。")
    return "\n".join(lines)


def summary(item: PlanItem, entries: list[PlanEntry]) -> list[str]:
    """A plan item in 查议题: its place, who answers for it, how many of each step."""
    lines = [f"协商计划：{place(item)}《{item.title}》", f"{responsibility(item)}"]
    done: list[str] = []
    activities = [e for e in entries if e.kind == PlanEntryKind.ACTIVITY]
    if activities:
        done.append(
            f"活动{len(activities)}次（{'、'.join(dict.fromkeys(e.subtype for e in activities))}）"
        )
    results = [e for e in entries if e.kind == PlanEntryKind.RESULT]
    if results:
        files = sum(len(e.attachments) for e in results)
        attached = f"，附件{files}个" if files else ""
        done.append(f"成果{len(results)}项（{'、'.join(e.subtype for e in results)}{attached}）")
    for kind, word in ((PlanEntryKind.INSTRUCTION, "批示"), (PlanEntryKind.FOLLOW_UP, "落实记录")):
        count = sum(1 for e in entries if e.kind == kind)
        if count:
            done.append(f"{word}{count}条")
    if done:
        lines.append("已记录：" + "；".join(done))
    return lines
