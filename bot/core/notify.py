"""Who to tell: members one-to-one, the staff group, a unit's contacts. All through the outbox.

Every method takes an optional ``session``: the messages are then added to the caller's
transaction (committed with it), e.g. a reminder and the record that it was sent.
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.channels import ChannelService
from bot.core.models import ChannelKind
from bot.core.outbox import OutboxService, Part, Target, mention_part, text_part
from bot.core.units import UnitService


def group_key(dedup_key: str | None, group_id: str) -> str | None:
    """The dedup key of one group's copy of a message sent to several groups."""
    return f"{dedup_key}:g{group_id}" if dedup_key else None


class Notifier:
    def __init__(self, outbox: OutboxService, channels: ChannelService, units: UnitService) -> None:
        self.outbox = outbox
        self.channels = channels
        self.units = units

    async def to_member(
        self,
        user_id: str,
        text: str,
        *,
        purpose: str = "notice",
        dedup_key: str | None = None,
        record_id: int | None = None,
        via_group_id: str | None = None,
        session: AsyncSession | None = None,
    ) -> bool:
        """One-to-one; never echoed to a group. False when the key was already queued.

        ``via_group_id``: reach them through that group's temporary session (else the sender
        finds a route: a friend, or a group they are in)."""
        queued = await self.outbox.enqueue(
            Target.private(user_id, via_group_id=via_group_id),
            text,
            purpose=purpose,
            dedup_key=dedup_key,
            record_id=record_id,
            session=session,
        )
        return queued is not None

    async def to_staff_groups(
        self,
        text: str,
        *,
        purpose: str = "notice",
        dedup_key: str | None = None,
        record_id: int | None = None,
        session: AsyncSession | None = None,
    ) -> int:
        """Every group bound as 机关群; returns how many were queued (0 when none is bound)."""
        return await self._to_kind(
            ChannelKind.STAFF, text, purpose, dedup_key, record_id, session=session
        )

    async def staff_group_ids(self) -> list[str]:
        """Groups bound as 机关群 (for callers that queue the messages themselves, see
        ``OutboxService.prepare``; keys per group with :func:`group_key`)."""
        return [binding.group_id for binding in await self.channels.by_kind(ChannelKind.STAFF)]

    async def to_group(
        self,
        group_id: str,
        content: str | list[Part],
        *,
        purpose: str = "notice",
        dedup_key: str | None = None,
        record_id: int | None = None,
        as_forward: bool = False,
        session: AsyncSession | None = None,
    ) -> bool:
        queued = await self.outbox.enqueue(
            Target.group(group_id),
            content,
            purpose=purpose,
            dedup_key=dedup_key,
            record_id=record_id,
            as_forward=as_forward,
            session=session,
        )
        return queued is not None

    async def to_unit(
        self,
        unit_id: int,
        text: str,
        *,
        purpose: str = "notice",
        dedup_key: str | None = None,
        record_id: int | None = None,
        session: AsyncSession | None = None,
    ) -> int:
        """Each contact of the unit one-to-one, and every 承办单位群 with an @ to the contacts.

        Returns how many messages were queued; 0 means the unit has no contact to tell.
        """
        contacts = await self.units.contacts(unit_id)
        count = 0
        for contact in contacts:
            key = f"{dedup_key}:u{contact.user_id}" if dedup_key else None
            if await self.to_member(
                contact.user_id,
                text,
                purpose=purpose,
                dedup_key=key,
                record_id=record_id,
                session=session,
            ):
                count += 1
        if contacts:
            parts: list[Part] = []
            for contact in contacts:
                parts.extend([mention_part(contact.user_id), text_part(" ")])
            parts.append(text_part(text))
            count += await self._to_kind(
                ChannelKind.UNIT, parts, purpose, dedup_key, record_id, session=session
            )
        return count

    async def _to_kind(
        self,
        kind: ChannelKind,
        content: str | list[Part],
        purpose: str,
        dedup_key: str | None,
        record_id: int | None,
        *,
        session: AsyncSession | None = None,
    ) -> int:
        count = 0
        for binding in await self.channels.by_kind(kind):
            key = group_key(dedup_key, binding.group_id)
            if await self.to_group(
                binding.group_id,
                content,
                purpose=purpose,
                dedup_key=key,
                record_id=record_id,
                session=session,
            ):
                count += 1
        return count
