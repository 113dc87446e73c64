"""Who to tell: members one-to-one, the staff group, a unit's contacts. All through the outbox.

Every method takes an optional ``session``: the messages are then added to the caller's
transaction (committed with it), e.g. a reminder and the record that it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, Unpack

from bot.core.delivery.outbox import OutboxService, Part, Target, mention_part, text_part
from bot.core.models import ChannelKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.people.channels import ChannelService
    from bot.core.people.units import UnitService

#: What a unit group reads about a privately submitted record: an @ and where to look, nothing
#: of the record (not even its number: the group holds every department's contact).
PRIVATE_UNIT_GROUP_TEXT = "您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。"


@dataclass
class UnitDelivery:
    """What :meth:`Notifier.to_units` queued, and which units had a contact to tell."""

    queued: int = 0
    reached: list[int] = field(default_factory=list)


def group_key(dedup_key: str | None, group_id: str) -> str | None:
    """The dedup key of one group's copy of a message sent to several groups."""
    return f"{dedup_key}:g{group_id}" if dedup_key else None


class NoticeOptions(TypedDict, total=False):
    """What a notice is for (see :class:`~bot.core.delivery.outbox.MessageOptions`)."""

    purpose: str  # "notice" by default
    dedup_key: str | None
    record_id: int | None


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
        via_group_id: str | None = None,
        session: AsyncSession | None = None,
        **options: Unpack[NoticeOptions],
    ) -> bool:
        """One-to-one; never echoed to a group. False when the key was already queued.

        ``via_group_id``: reach them through that group's temporary session (else the sender
        finds a route: a friend, or a group they are in)."""
        return await self.outbox.queue(
            Target.private(user_id, via_group_id=via_group_id), text, session=session, **options
        )

    async def to_staff_groups(
        self, text: str, *, session: AsyncSession | None = None, **options: Unpack[NoticeOptions]
    ) -> int:
        """Every group bound as 机关群; returns how many were queued (0 when none is bound)."""
        return await self._to_kind(ChannelKind.STAFF, text, session=session, **options)

    async def staff_group_ids(self) -> list[str]:
        """Groups bound as 机关群 (for callers that queue the messages themselves, see
        ``OutboxService.prepare``; keys per group with :func:`group_key`)."""
        return [binding.group_id for binding in await self.channels.by_kind(ChannelKind.STAFF)]

    async def to_group(
        self,
        group_id: str,
        content: str | list[Part],
        *,
        as_forward: bool = False,
        session: AsyncSession | None = None,
        **options: Unpack[NoticeOptions],
    ) -> bool:
        return await self.outbox.queue(
            Target.group(group_id), content, as_forward=as_forward, session=session, **options
        )

    async def to_unit(
        self,
        unit_id: int,
        text: str,
        *,
        group_text: str | None = None,
        session: AsyncSession | None = None,
        **options: Unpack[NoticeOptions],
    ) -> int:
        """Each contact of the unit one-to-one, and every 承办单位群 with an @ to the contacts.

        `group_text` is what the unit groups read after the @s (default: `text` itself). Every
        department's contact sits in a unit group: for a privately submitted record it must
        carry neither the title nor the content (see :data:`PRIVATE_UNIT_GROUP_TEXT`).
        Returns how many messages were queued; 0 means the unit has no contact to tell.
        """
        delivery = await self.to_units(
            [(unit_id, text)],
            text if group_text is None else group_text,
            session=session,
            **options,
        )
        return delivery.queued

    async def to_units(
        self,
        notices: Sequence[tuple[int, str]],
        group_text: str | None,
        *,
        session: AsyncSession | None = None,
        **options: Unpack[NoticeOptions],
    ) -> UnitDelivery:
        """One private message to each contact of each unit (`(unit id, its text)`), and ONE
        message to every 承办单位群 @-ing all those contacts, followed by `group_text` (None:
        no group message). Keys: ``{dedup_key}:u{unit id}:u{user}`` privately (``{dedup_key}:u{user}``
        for a single unit), per group with :func:`group_key`."""
        delivery = UnitDelivery()
        mentioned: list[str] = []
        dedup_key = options.get("dedup_key")
        for unit_id, text in notices:
            contacts = await self.units.contacts(unit_id, session=session)
            if contacts:
                delivery.reached.append(unit_id)
            for contact in contacts:
                key = None
                if dedup_key:  # (one unit: the key its contacts' notices always had)
                    unit_part = f"u{unit_id}:" if len(notices) > 1 else ""
                    key = f"{dedup_key}:{unit_part}u{contact.user_id}"
                if await self.to_member(
                    contact.user_id, text, session=session, **(options | {"dedup_key": key})
                ):
                    delivery.queued += 1
                if contact.user_id not in mentioned:
                    mentioned.append(contact.user_id)
        if mentioned and group_text is not None:
            parts: list[Part] = []
            for user_id in mentioned:
                parts.extend([mention_part(user_id), text_part(" ")])
            parts.append(text_part(group_text))
            delivery.queued += await self._to_kind(
                ChannelKind.UNIT, parts, session=session, **options
            )
        return delivery

    async def _to_kind(
        self,
        kind: ChannelKind,
        content: str | list[Part],
        *,
        session: AsyncSession | None = None,
        **options: Unpack[NoticeOptions],
    ) -> int:
        count = 0
        # inside the caller's transaction: no other round trip (ChannelService.cached_by_kind)
        for binding in await self.channels.by_kind(kind, fresh=session is None):
            key = group_key(options.get("dedup_key"), binding.group_id)
            options_here = options | {"dedup_key": key}
            if await self.to_group(binding.group_id, content, session=session, **options_here):
                count += 1
        return count
