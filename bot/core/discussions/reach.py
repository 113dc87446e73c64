"""Participants the relay cannot reach: the discussion's side of the delivery fallback
(bot/core/delivery/fallback.py). A failed discussion message names the origin group for the
@, and the creator is told once per person that they do not receive the discussion (so the
staff group's failure report does not list each undelivered relay)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.delivery.fallback import Route
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.discussions import texts
from bot.core.discussions.common import PURPOSE, key_prefix, load_room
from bot.core.errors import NotFound

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.models import OutboxMessage


def discussion_of(row: OutboxMessage) -> int | None:
    """The discussion a queued message belongs to (its dedup key says), or None."""
    key = row.dedup_key or ""
    if row.purpose != PURPOSE or not key.startswith("discussion:"):
        return None
    number = key.split(":", 2)[1]
    return int(number) if number.isdigit() else None


@dataclass(eq=False)
class DiscussionReach:
    clock: Clock
    outbox: OutboxService

    async def route(self, session: AsyncSession, row: OutboxMessage) -> Route | None:
        number = discussion_of(row)
        if number is None:
            return None
        try:
            room = await load_room(session, number)
        except NotFound:
            return None
        person = room.participant(row.target_id)
        d = room.discussion
        if person is not None and person.unreachable_at is None:
            person.unreachable_at = self.clock.now()
            session.add(person)
            if d.creator_user_id != row.target_id and room.is_active(d.creator_user_id):
                await self.outbox.enqueue(
                    Target.private(d.creator_user_id, d.platform),
                    texts.unreachable_creator(room, person.name),
                    purpose=PURPOSE,
                    dedup_key=f"{key_prefix(number)}unreachable:u{row.target_id}",
                    session=session,
                )
        return Route(d.origin_group_id, texts.BEFRIEND, quiet=True)
