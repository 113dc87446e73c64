"""What reminders say: to units (deadlines), to staff (no contact, escalation), to members
(evaluation, co-sign invitations). Each says what to type next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.clock import fmt_date
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime


def ref_text(kind: str, number: int, year: int, current_year: int) -> str:
    """What a member types: ``17``, or ``2025-17`` for another year."""
    return str(number) if year == current_year else f"{year}-{number}"


def label(kind: str, number: int, year: int, current_year: int) -> str:
    k = RecordKind(kind)
    return k.describe(number, None if year == current_year else year)


def deadline(
    *, unit: str, name: str, ref: str, title: str, is_key: bool, due: date, days: int, overdue: bool
) -> str:
    """A unit's deadline reminder (``days``: left, or overdue when ``overdue``)."""
    key_note = "（重点提案）" if is_key else ""
    if overdue:
        head = f"【逾期提醒】{unit}：{name}{key_note}《{title}》的答复期限是"
        when = f"{fmt_date(due)}，已逾期 {days} 个工作日，请尽快办理答复。"
    else:
        head = f"【办理提醒】{unit}：{name}{key_note}《{title}》的答复期限是"
        when = f"{fmt_date(due)}，{'今天到期' if days == 0 else f'还有 {days} 个工作日到期'}。"
    return head + when + f"办理情况请发送：进展 {ref} 内容；答复请发送：答复 {ref} A|B|C 内容。"


def no_contact(*, unit: str, name: str, title: str, due: date) -> str:
    """To staff: a unit nobody could be reminded at."""
    return (
        f"{unit}没有登记联系人，{name}《{title}》的办理提醒无法送达"
        f"（答复期限{fmt_date(due)}）。请发送：单位 联系人 {unit} @联系人"
    )


def escalation(by_unit: Sequence[tuple[str, list[str]]], count: int, today: date) -> str:
    """To staff, once a week: the overdue items by unit (``by_unit``: unit, item words)."""
    lines = [f"【逾期督办】以下 {count} 件提案已超过答复期限（截至{fmt_date(today)}）："]
    for unit, items in by_unit:
        more = f"等{len(items)}件" if len(items) > 10 else ""
        lines.append(f"· {unit}：{'、'.join(items[:10])}{more}")
    lines.append("已每 3 个工作日提醒承办单位一次。需要督办的，请联系承办单位或发送：重点 编号")
    return "\n".join(lines)


def evaluation(
    *,
    name: str,
    ref: str,
    title: str,
    unit: str | None,
    answered_on: date,
    answer_category: str,
    due: date,
) -> str:
    source = f"{unit}的" if unit else ""
    return (
        f"【评价提醒】您的{name}《{title}》已于{fmt_date(answered_on)}收到{source}答复"
        f"（{answer_category}类），尚未评价。请在{fmt_date(due)}前发送：评价 {ref} 满意｜基本满意｜"
        f"不满意 [意见]。发送“查提案 {ref}”可查看答复内容。"
        f"承办单位是否与您沟通过，也请一并写上，例如：评价 {ref} 满意 已沟通"
    )


def cosign_lapsed(*, invitee: str, name: str, ref: str, title: str) -> str:
    """To the proposer: an invitation lapsed unconfirmed."""
    return (
        f"{invitee or '受邀委员'}未在 3 天内确认联名您的{name}《{title}》，"
        "这份联名邀请已失效。如仍希望对方联名，可请其发送："
        f"附议 {ref}"
    )


def cosign_reminder(*, proposer: str, name: str, ref: str, title: str, lapse: datetime) -> str:
    """To an invited co-signer (``lapse``: local time the invitation lapses)."""
    return (
        f"【联名提醒】{proposer}邀请您联名{name}《{title}》，您还没有确认。"
        f"同意请发送：附议 {ref}；"
        f"不同意无需操作，邀请将于{lapse.month}月{lapse.day}日 {lapse:%H:%M} 失效。"
    )


def consultation(*, unit: str, name: str, ref: str, title: str, workdays: int) -> str:
    """To the lead unit: no contact with the proposer recorded ``workdays`` after 交办."""
    return (
        f"【办理协商提醒】{unit}：{name}《{title}》交办已满 {workdays} 个工作日，还没有记录与"
        "提案人的沟通。请与提案人面商或电话沟通，听取意见后发送：沟通 "
        f"{ref} 面商|电话|座谈|调研 [日期] 内容"
    )


def lookback(*, unit: str, name: str, ref: str, title: str, answered_on: date, content: str) -> str:
    """To the unit that answered B last year: what became of it?"""
    promised = f"当时答复：{content[:200]}\n" if content else ""
    return (
        f"【回头看】{unit}：{name}《{title}》于{fmt_date(answered_on)}答复为B类（正在解决或"
        f"列入计划解决）。\n{promised}请告知目前的落实情况，发送：回头看 {ref} 已解决|仍在办理|"
        "未落实 具体情况（提案人会收到）"
    )


def lookback_staff(year: int, lines: Sequence[str]) -> str:
    """To staff, when the yearly look-back has asked the units."""
    head = f"【回头看】已请承办单位回头看{year - 1}年答复为B类的提案 {len(lines)} 件："
    tail = f"单位回复后会一对一告知提案人。查看进度请发送：回头看 列表 {year}"
    return "\n".join([head, *lines, tail])
