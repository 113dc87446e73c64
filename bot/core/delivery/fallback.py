"""One-to-one messages nobody could deliver: a group @ instead, never the content.

QQ clients rarely deliver private messages to people who are not the bot's friend (NapCat
refuses temporary sessions, FIELD-NOTES.md). The sender marks such a row ``failed``
(bot/core/delivery/failures.py); :meth:`DeliveryFallback.run` (before each failure report to
staff) then records it (:class:`~bot.core.models.UnreachableNotice`, one row per failed outbox
row) and @s the person ONCE a day at most in a group they are in, asking them to add the bot as
a friend: the group a resolver names (a discussion's origin group, see
bot/core/discussions/reach.py), else a bound members' group they were seen speaking in. What the
message said is never posted. Staff list who could not be reached (``委员 未加好友``, the
monthly digest).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import exists, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock, local_instant, to_local
from bot.core.delivery.outbox import OutboxService, Target, mention_part, text_part
from bot.core.models import (
    ChannelKind,
    Member,
    OutboxMessage,
    OutboxStatus,
    UnreachableNotice,
)

if TYPE_CHECKING:
    from bot.core.db import Database
    from bot.core.delivery.routes import ContactBook
    from bot.core.people.channels import ChannelService

log = logging.getLogger(__name__)

FALLBACK_PURPOSE = "unreachable_notice"
DEFAULT_HINT = (
    "请先加机器人为好友，才能收到机器人私聊发给您的通知（联名邀请、评价和期限提醒、讨论组消息等）。"
)
#: Failed rows looked at per run.
BATCH = 200
_MEMBER_KINDS = (ChannelKind.WHOLE, ChannelKind.SECTOR)


@dataclass(frozen=True)
class Route:
    """What a resolver knows of a failed row: the group to @ in, and what to say there."""

    group_id: str | None = None
    hint: str | None = None
    quiet: bool = False
    """Someone was told (e.g. the discussion's creator): the staff group's failure report
    does not list these rows one by one (``委员 未加好友`` still lists the person)."""


Resolver = Callable[[AsyncSession, OutboxMessage], Awaitable[Route | None]]


@dataclass(frozen=True)
class UnreachablePerson:
    user_id: str
    name: str
    failures: int
    last_failed_at: datetime


class DeliveryFallback:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        outbox: OutboxService,
        channels: ChannelService,
        contacts: ContactBook,
    ) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox
        self.channels = channels
        self.contacts = contacts
        self._resolvers: list[Resolver] = []

    def add_resolver(self, resolver: Resolver) -> Resolver:
        """``resolver(session, row)`` names the group for rows it knows (e.g. a discussion's
        relays) and may queue more in ``session`` (telling the discussion's creator)."""
        self._resolvers.append(resolver)
        return resolver

    async def run(self) -> int:
        """Handle the failed one-to-one rows not handled yet; returns how many."""
        now = self.clock.now()
        day = to_local(now).date()
        async with self.db.session() as session:
            handled = exists().where(col(UnreachableNotice.outbox_id) == col(OutboxMessage.id))
            rows = list(
                (
                    await session.exec(
                        select(OutboxMessage)
                        .where(
                            OutboxMessage.status == OutboxStatus.FAILED,
                            OutboxMessage.target_type == "private",
                            ~handled,
                        )
                        .order_by(col(OutboxMessage.id))
                        .limit(BATCH)
                    )
                ).all()
            )
            if not rows:
                return 0
            told = await _told_since(session, local_instant(day, time(0)))
            for row in rows:
                route = await self._resolve(session, row)
                user_id = row.target_id
                group_id = route.group_id or await self._group_of(user_id, row.platform)
                notice = group_id is not None and user_id not in told
                if route.quiet:
                    row.reported_at = now
                    session.add(row)
                session.add(
                    UnreachableNotice(
                        platform=row.platform,
                        user_id=user_id,
                        outbox_id=row.id or 0,
                        purpose=row.purpose,
                        failed_at=now,
                        group_id=group_id if notice else None,
                        noticed=notice,
                    )
                )
                if notice and group_id is not None:
                    told.add(user_id)
                    await self.outbox.enqueue(
                        Target.group(group_id, row.platform),
                        [mention_part(user_id), text_part(" " + (route.hint or DEFAULT_HINT))],
                        purpose=FALLBACK_PURPOSE,
                        dedup_key=f"unreachable:{row.platform}:{user_id}:{day.isoformat()}",
                        session=session,
                    )
            await session.commit()
        log.info("delivery fallback: %d undelivered one-to-one messages recorded", len(rows))
        return len(rows)

    async def _resolve(self, session: AsyncSession, row: OutboxMessage) -> Route:
        for resolver in self._resolvers:
            try:
                route = await resolver(session, row)
            except Exception:
                log.exception("delivery fallback: a resolver failed for row %s", row.id)
                continue
            if route is not None:
                return route
        return Route()

    async def _group_of(self, user_id: str, platform: str) -> str | None:
        """A bound members' group the person was seen in (else any bound group)."""
        fallback: str | None = None
        for group_id in await self.contacts.groups_of(user_id, platform):
            binding = await self.channels.get(group_id, platform)
            if binding is None:
                continue
            if ChannelKind(binding.kind) in _MEMBER_KINDS:
                return group_id
            fallback = fallback or group_id
        return fallback

    async def people(
        self, since: datetime, until: datetime | None = None
    ) -> list[UnreachablePerson]:
        """Who could not be reached one-to-one since ``since`` and got no private message
        delivered after that (they may have added the bot meanwhile), most recent first."""
        return await unreachable_between(self.db, since, until)


async def _told_since(session: AsyncSession, start: datetime) -> set[str]:
    rows = await session.exec(
        select(UnreachableNotice.user_id).where(
            UnreachableNotice.noticed, col(UnreachableNotice.failed_at) >= start
        )
    )
    return set(rows.all())


async def unreachable_between(
    db: Database, start: datetime, end: datetime | None, platform: str = "qq"
) -> list[UnreachablePerson]:
    """People with undelivered one-to-one messages between ``start`` and ``end`` (None: up to
    now) who had no private message delivered after their last failure."""
    window = [UnreachableNotice.platform == platform, col(UnreachableNotice.failed_at) >= start]
    if end is not None:
        window.append(col(UnreachableNotice.failed_at) <= end)
    async with db.session() as session:
        grouped = await session.exec(
            select(
                UnreachableNotice.user_id,
                func.count(),
                func.max(UnreachableNotice.failed_at),
            )
            .where(*window)
            .group_by(UnreachableNotice.user_id)
        )
        found = list(grouped.all())
        people: list[UnreachablePerson] = []
        for user_id, count, last in found:
            delivered = await session.exec(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.target_type == "private",
                    OutboxMessage.target_id == user_id,
                    OutboxMessage.status == OutboxStatus.SENT,
                    col(OutboxMessage.sent_at) > last,
                )
                .limit(1)
            )
            if delivered.first() is not None:
                continue
            member = (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()
            name = member.name if member else f"QQ {user_id}"
            people.append(UnreachablePerson(user_id, name, int(count), last))
    return sorted(people, key=lambda p: p.last_failed_at, reverse=True)
