"""What every discussion flow shares: limits, numbers (``D3``), loading rooms and participants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.clock import as_utc
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import (
    Discussion,
    DiscussionMessage,
    DiscussionParticipant,
    DiscussionStatus,
)

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

MIN_PARTICIPANTS = 2
MAX_PARTICIPANTS = 30
DEFAULT_DURATION = timedelta(hours=48)
MAX_DURATION = timedelta(days=7)
MIN_DURATION = timedelta(hours=1)
#: When participants are told that their discussion is about to time out.
WARNING_BEFORE = timedelta(hours=1)
#: How long after it closed a private message still gets "D3 已结束" (not a relay).
CLOSED_GRACE = timedelta(days=3)
#: Purpose of every outbox row a discussion queues (invitations, relays, summaries...).
PURPOSE = "discussion"

_NUMBER = re.compile(r"^[Dd＄Ｄｄ]?\s*(\d{1,9})$")
_DURATION = re.compile(r"^(\d{1,4})\s*(小时|个小时|h|H|天|日|d|D)$")


def key_prefix(discussion_id: int) -> str:
    """The start of the dedup key of every message a discussion queues (the delivery
    fallback reads the discussion back from it, see bot/core/discussions/reach.py)."""
    return f"discussion:{discussion_id}:"


def parse_number(text: str) -> int | None:
    """``D3``, ``d3``, ``3`` -> 3; None for anything else."""
    match = _NUMBER.match(text.strip().replace("Ｄ", "D"))
    return int(match.group(1)) if match else None


def parse_duration(word: str) -> timedelta | None:
    """``48小时``, ``2天``, ``12h`` -> the duration; None when ``word`` is not one."""
    match = _DURATION.match(word.strip())
    if match is None:
        return None
    amount = int(match.group(1))
    unit = match.group(2)
    return (
        timedelta(hours=amount) if unit in {"小时", "个小时", "h", "H"} else timedelta(days=amount)
    )


def check_duration(duration: timedelta) -> timedelta:
    if duration < MIN_DURATION or duration > MAX_DURATION:
        raise InvalidInput("讨论时长可以是 1 小时到 7 天，例如“48小时”或“3天”；不写则为 48 小时。")
    return duration


def label(discussion: Discussion) -> str:
    return f"D{discussion.id}"


def header(discussion: Discussion) -> str:
    """``【D3 主题】``: how every relayed message starts."""
    return f"【D{discussion.id} {discussion.topic[:30]}】"


def number_usage(command: str) -> str:
    return f"请写讨论编号，例如：{command} D3。发送“讨论”查看您参加的讨论。"


def require_number(text: str, command: str) -> int:
    words = text.split()
    number = parse_number(words[0]) if words else None
    if number is None:
        raise InvalidInput(number_usage(command))
    return number


@dataclass
class Room:
    """A discussion and its participants (those still in it first-class)."""

    discussion: Discussion
    participants: list[DiscussionParticipant]

    @property
    def active(self) -> list[DiscussionParticipant]:
        return [p for p in self.participants if p.left_at is None]

    def participant(self, user_id: str) -> DiscussionParticipant | None:
        for person in self.participants:
            if person.user_id == user_id:
                return person
        return None

    def is_active(self, user_id: str) -> bool:
        person = self.participant(user_id)
        return person is not None and person.left_at is None

    @property
    def is_open(self) -> bool:
        return self.discussion.status == DiscussionStatus.OPEN

    def names(self) -> str:
        return "、".join(p.name or p.user_id for p in self.active) or "（无）"


async def load_room(session: AsyncSession, number: int) -> Room:
    discussion = await session.get(Discussion, number)
    if discussion is None:
        raise NotFound(f"没有讨论D{number}。发送“讨论”查看您参加的讨论，或核对编号。")
    people = await session.exec(
        select(DiscussionParticipant)
        .where(DiscussionParticipant.discussion_id == number)
        .order_by(col(DiscussionParticipant.id))
    )
    return Room(discussion, list(people.all()))


def time_left(discussion: Discussion, now: datetime) -> str:
    left = as_utc(discussion.ends_at) - now
    if left.total_seconds() <= 0:
        return "已到时间"
    hours, rest = divmod(int(left.total_seconds()), 3600)
    minutes = rest // 60
    if hours >= 24:
        return f"{hours // 24}天{hours % 24}小时"
    return f"{hours}小时{minutes}分钟" if hours else f"{minutes}分钟"


async def messages_of(session: AsyncSession, number: int) -> list[DiscussionMessage]:
    """The transcript of discussion ``number``, oldest first."""
    rows = await session.exec(
        select(DiscussionMessage)
        .where(DiscussionMessage.discussion_id == number)
        .order_by(col(DiscussionMessage.id))
    )
    return list(rows.all())
