"""Who named in a post may be invited to co-sign (联名), and what the proposer is told otherwise.

Only a member (委员) on the roster, active, can confirm a co-signature (附议). Anyone else named
in a post — office staff who are not members, a handling unit's contact, a superuser, someone the
bot has never registered, a deactivated member — would stay 待确认 for good, so they are not
invited and the proposer is told why, at post time, in the reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from bot.core.models import Member


@dataclass
class InviteeCheck:
    """(user id, name) of the people to invite, and one warning line per person left out."""

    invitees: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def shown_name(user_id: str, name: str) -> str:
    """A person's name as the proposer saw it; never the placeholder 委员."""
    name = name.strip()
    if name:
        return name
    tail = user_id[-4:] if len(user_id) > 4 else user_id
    return f"QQ尾号{tail}的用户"


def check_invitees(
    candidates: Sequence[tuple[str, str]],
    roster: Mapping[str, Member],
    unit_contacts: Collection[str],
    *,
    private: bool,
) -> InviteeCheck:
    """Split (user id, name known from the post) into invitees and warnings.

    ``roster`` holds the roster entries of the candidates; ``unit_contacts`` the ids that are
    contact people of a handling unit; ``private``: the post was sent privately (then only
    the invited may co-sign later).
    """
    check = InviteeCheck()
    for user_id, seen_name in candidates:
        member = roster.get(user_id)
        if member is not None and member.is_member and member.active:
            check.invitees.append((user_id, member.name))
            continue
        name = shown_name(user_id, member.name if member is not None else seen_name)
        if member is not None and member.is_member:
            why = "的委员登记已停用"
        elif member is not None and member.is_staff:
            why = "是机关工作人员，不是委员"
        elif user_id in unit_contacts:
            why = "是承办单位联系人，不是委员"
        else:
            later = "" if private else "，登记后回复本消息“附议”即可联名"
            check.warnings.append(
                f"{name}还不在委员名单中，未邀请联名。如其是委员，请其先在委员群里发一句话"
                f"完成登记（机器人按群名片登记）{later}。"
            )
            continue
        check.warnings.append(f"{name}{why}，只有委员可以联名，未邀请。")
    return check
