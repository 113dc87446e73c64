"""The simulated account's world: its groups and their members, its friends, and the messages it
has seen or sent (for ``get_msg`` and replies)."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from bot.devtools.onebot_sim.cq import Segment, normalise_message


@dataclass
class Member:
    user_id: int
    nickname: str = ""
    card: str = ""
    role: str = "member"
    join_time: int = field(default_factory=lambda: int(time.time()))


@dataclass
class Group:
    group_id: int
    name: str = ""
    members: dict[int, Member] = field(default_factory=dict)


@dataclass
class StoredMessage:
    message_id: int
    time: int
    message_type: str
    sender: dict[str, Any]
    message: list[Segment]
    group_id: int | None = None


class World:
    """Groups, members, friends and messages of one bot account (``self_id``)."""

    def __init__(self, self_id: int, nickname: str) -> None:
        self.self_id = self_id
        self.nickname = nickname
        self.groups: dict[int, Group] = {}
        self.friends: dict[int, str] = {}
        #: People a temporary session (private message with a group_id) never reaches, as
        #: NapCat refuses them (FIELD-NOTES.md): only friendship does.
        self.no_temp_session: set[int] = set()
        self.messages: dict[int, StoredMessage] = {}
        self._next_message_id = 1

    # ------------------------------------------------------------------ people and groups

    def add_group(self, group_id: int, name: str = "") -> None:
        group = self.groups.get(group_id)
        if group is None:
            self.groups[group_id] = Group(group_id, name or f"群{group_id}")
        elif name:
            group.name = name

    def remove_group(self, group_id: int) -> None:
        self.groups.pop(group_id, None)

    def put_member(self, group_id: int, member: Member) -> None:
        """Add or replace a member (adds the group if needed)."""
        self.add_group(group_id)
        self.groups[group_id].members[member.user_id] = member

    def remove_member(self, group_id: int, user_id: int) -> None:
        if group_id in self.groups:
            self.groups[group_id].members.pop(user_id, None)

    def add_friend(self, user_id: int, nickname: str = "") -> None:
        self.friends[user_id] = nickname or self.known_nickname(user_id)

    def remove_friend(self, user_id: int) -> None:
        self.friends.pop(user_id, None)

    def known_nickname(self, user_id: int) -> str:
        if user_id == self.self_id:
            return self.nickname
        if self.friends.get(user_id):
            return self.friends[user_id]
        for group in self.groups.values():
            member = group.members.get(user_id)
            if member is not None and member.nickname:
                return member.nickname
        return f"用户{user_id}"

    def member(self, group_id: int, user_id: int) -> Member | None:
        """A member of a known group (the bot itself is in every group)."""
        group = self.groups.get(group_id)
        if group is None:
            return None
        member = group.members.get(user_id)
        if member is None and user_id == self.self_id:
            member = Member(self.self_id, self.nickname)
        return member

    def members(self, group: Group) -> list[Member]:
        members = list(group.members.values())
        if self.self_id not in group.members:
            members.insert(0, Member(self.self_id, self.nickname))
        return members

    # ------------------------------------------------------------------ messages

    def take_message_id(self, message_id: int | None) -> int:
        """``message_id``, or the next free one when None; later ids stay above it."""
        if message_id is None:
            message_id = self._next_message_id
        self._next_message_id = max(self._next_message_id, message_id + 1)
        return message_id

    def remember_event(self, payload: dict[str, Any]) -> None:
        """A message event posted to the bot (``get_msg`` answers it)."""
        mid = int(payload["message_id"])
        self._next_message_id = max(self._next_message_id, mid + 1)
        self.messages[mid] = StoredMessage(
            message_id=mid,
            time=int(payload["time"]),
            message_type=str(payload.get("message_type", "")),
            sender=copy.deepcopy(payload.get("sender") or {"user_id": payload.get("user_id")}),
            message=normalise_message(payload.get("message")),
            group_id=payload.get("group_id"),
        )
