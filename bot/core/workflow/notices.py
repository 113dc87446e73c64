"""The texts the proposal workflow sends to units (交办, 会办意见), and what unit groups may read.

A unit group (承办单位群) holds the contacts of every department, so it reads as little as
possible: one short message per step, @-ing every contact concerned, telling them to look at
their private messages. For a record submitted privately it carries nothing of the record (no
number, no title, no content: DESIGN §4, nothing sent privately is echoed to a group). The
full notice goes to each contact one-to-one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.clock import fmt_date
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT
from bot.core.models import AssignmentRole, Record, Unit

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

#: How much of a proposal's body goes into the unit's (private) assignment notice.
BODY_EXCERPT = 300


def is_private(record: Record) -> bool:
    return record.source_kind == "private"


def proposer_shown(record: Record) -> str:
    """The proposer's name for a reply that others may read (a unit group, the staff group, a
    refusal to someone else): nothing for a record submitted privately."""
    return "" if is_private(record) else record.proposer_name


def units_text(lead: Unit, assisting: Sequence[Unit]) -> str:
    return f"主办：{lead.name}" + (
        f"；会办：{'、'.join(u.name for u in assisting)}" if assisting else ""
    )


def body_excerpt(record: Record, ref: str) -> str:
    """The body, cut at :data:`BODY_EXCERPT` characters with a pointer to the whole text (which
    `查提案` sends in full in a private chat)."""
    body = record.body.strip()
    if len(body) <= BODY_EXCERPT:
        return body
    return body[:BODY_EXCERPT] + f"……（全文共{len(body)}字，发送“查提案 {ref}”可查看全文）"


def assignment_notice(
    record: Record,
    *,
    heading: str,
    ref: str,
    unit: Unit,
    role: AssignmentRole,
    lead: Unit,
    assisting: Sequence[Unit],
    due: date,
) -> str:
    """The private 交办 notice to one unit's contacts. `heading`: `提案第17号《…》`."""
    who = record.proposer_name + (f"（{record.proposer_sector}）" if record.proposer_sector else "")
    if role == AssignmentRole.LEAD:
        part = "主办" + (f"（会办：{'、'.join(u.name for u in assisting)}）" if assisting else "")
        how = (
            f"办理中可发送“进展 {ref} 内容”记录进展；办理完毕请发送“答复 {ref} A|B|C 答复内容”"
            "（A 已解决或基本解决，B 正在解决或列入计划，C 因条件限制留作参考）。"
        )
    else:
        part = f"会办（主办：{lead.name}）"
        how = f"会办意见请发送“进展 {ref} 意见内容”，会转给主办单位；答复由主办单位提交。"
    return (
        f"{heading}交由{unit.name}{part}，答复时限{fmt_date(due)}。\n"
        f"提案人：{who}\n{body_excerpt(record, ref)}\n{how}"
    )


def assignment_group_text(
    record: Record, *, tag: str, heading: str, lead: Unit, assisting: Sequence[Unit], due: date
) -> str:
    """The one message a unit group gets for a 交办 (after the @s of every contact concerned)."""
    if is_private(record):
        return f"{tag}{PRIVATE_UNIT_GROUP_TEXT}"
    also = f"，{'、'.join(u.name for u in assisting)}会办" if assisting else ""
    return (
        f"{tag}{heading}交由{lead.name}主办{also}，答复时限{fmt_date(due)}。"
        "交办通知和提案内容已私聊发给各单位联系人，请查看。"
    )


def assisting_opinion_group_text(record: Record, *, heading: str, unit: Unit) -> str:
    """会办意见 are internal notes: a unit group only learns that one is waiting privately."""
    if is_private(record):
        return f"【会办意见】{PRIVATE_UNIT_GROUP_TEXT}"
    return f"【会办意见】{unit.name}对{heading}提出了会办意见，已私聊发给主办单位联系人，请查看。"


def shown_title(record: Record, title_of: Callable[[Record], str], *, to_others: bool) -> str:
    """A record's title for a text others may read: nothing for a private submission."""
    return "（私聊提交）" if to_others and is_private(record) else title_of(record)
