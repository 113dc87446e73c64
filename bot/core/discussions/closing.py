"""Ending discussions (``结束讨论 D3``, or their time running out), the one-hour warning, and
the transcript for staff (``讨论记录 D3``).

The periodic job (bot/plugins/discussions/jobs.py) calls :meth:`DiscussionClosing.sweep`; its
state is in the database (``status``, ``warned_at``): each close and each warning is claimed
with a conditional UPDATE in the transaction that queues its messages, so a restart, a second
run or a second process neither repeats nor loses one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col, select

from bot.core.delivery.outbox import OutboxService, Target
from bot.core.discussions import summary as summaries
from bot.core.discussions import texts
from bot.core.discussions.common import (
    PURPOSE,
    WARNING_BEFORE,
    Room,
    key_prefix,
    label,
    load_room,
    messages_of,
)
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import Discussion, DiscussionMessage, DiscussionStatus
from bot.core.text import extract_keywords

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.identity import Identity


@dataclass
class SweepReport:
    closed: int = 0
    warned: int = 0


def _keywords(text: str, k: int) -> list[str]:
    return extract_keywords(text, k)


@dataclass(eq=False)
class DiscussionClosing:
    db: Database
    clock: Clock
    outbox: OutboxService

    async def close(self, identity: Identity, number: int) -> Room:
        """结束讨论: by its creator or staff."""
        async with self.db.session() as session:
            room = await load_room(session, number)
        d = room.discussion
        if identity.user_id != d.creator_user_id and not identity.is_staff:
            raise PermissionDenied(
                f"只有发起人{d.creator_name}或机关工作人员可以结束讨论{label(d)}；"
                f"您可以发送“退出 {label(d)}”退出。"
            )
        if not room.is_open:
            raise InvalidInput(f"讨论{label(d)}已经结束了。发送“讨论 {label(d)}”查看。")
        closed = await self._close(number, by=identity.user_id, by_timeout=False)
        if closed is None:
            raise InvalidInput(f"讨论{label(d)}已经结束了。")
        return closed

    async def sweep(self) -> SweepReport:
        """Close the discussions whose time is up; warn those ending within the hour."""
        report = SweepReport()
        now = self.clock.now()
        async with self.db.session() as session:
            due = list(
                (
                    await session.exec(
                        select(Discussion).where(
                            Discussion.status == DiscussionStatus.OPEN,
                            col(Discussion.ends_at) <= now + WARNING_BEFORE,
                        )
                    )
                ).all()
            )
        for d in due:
            number = d.id or 0
            if d.ends_at <= now:
                if await self._close(number, by="timeout", by_timeout=True) is not None:
                    report.closed += 1
            elif d.warned_at is None and d.ends_at - d.created_at > WARNING_BEFORE:
                # (a discussion of one hour was told its end when it began)
                if await self._warn(number):
                    report.warned += 1
        return report

    async def _close(self, number: int, *, by: str, by_timeout: bool) -> Room | None:
        now = self.clock.now()
        async with self.db.session() as session:
            room = await load_room(session, number)
            messages = await messages_of(session, number)
            text = await asyncio.to_thread(
                summaries.summary, room, messages, now, _keywords, by_timeout=by_timeout
            )
            claimed = await session.exec(  # type: ignore[call-overload]
                update(Discussion)
                .where(col(Discussion.id) == number, Discussion.status == DiscussionStatus.OPEN)
                .values(status=DiscussionStatus.CLOSED, closed_at=now, closed_by=by[:64])
            )
            if not claimed.rowcount:
                await session.rollback()
                return None
            prefix = key_prefix(number)
            d = room.discussion
            if d.origin_group_id:
                await self.outbox.enqueue(
                    Target.group(d.origin_group_id, d.platform),
                    text,
                    purpose=PURPOSE,
                    dedup_key=f"{prefix}summary:g{d.origin_group_id}",
                    session=session,
                )
            await self._to_participants(session, room, text, "summary")
            await session.commit()
            d.status, d.closed_at, d.closed_by = DiscussionStatus.CLOSED, now, by[:64]
        return room

    async def _warn(self, number: int) -> bool:
        now = self.clock.now()
        async with self.db.session() as session:
            claimed = await session.exec(  # type: ignore[call-overload]
                update(Discussion)
                .where(
                    col(Discussion.id) == number,
                    Discussion.status == DiscussionStatus.OPEN,
                    col(Discussion.warned_at).is_(None),
                )
                .values(warned_at=now)
            )
            if not claimed.rowcount:
                await session.rollback()
                return False
            room = await load_room(session, number)
            await self._to_participants(session, room, texts.warning(room), "warn")
            await session.commit()
        return True

    async def _to_participants(
        self, session: AsyncSession, room: Room, text: str, what: str
    ) -> None:
        """``text`` to each participant still in ``room``, once (``…:{what}:u{user}``)."""
        prefix = key_prefix(room.discussion.id or 0)
        for person in room.active:
            await self.outbox.enqueue(
                Target.private(person.user_id, person.platform),
                text,
                purpose=PURPOSE,
                dedup_key=f"{prefix}{what}:u{person.user_id}",
                session=session,
            )

    # ------------------------------------------------------------------ 讨论记录

    async def transcript(
        self, identity: Identity, number: int, *, private: bool
    ) -> tuple[Room, list[DiscussionMessage]]:
        """Staff (privately or in the staff group), or a participant privately."""
        async with self.db.session() as session:
            room = await load_room(session, number)
            participant = room.participant(identity.user_id) is not None
            if not identity.is_staff and not (participant and private):
                d = room.discussion
                hint = "请私聊机器人发送" if participant else "只有参加者和机关工作人员可以查看"
                raise PermissionDenied(f"讨论{label(d)}的记录{hint}。")
            return room, await messages_of(session, number)
