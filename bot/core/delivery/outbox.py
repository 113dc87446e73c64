"""Putting messages into the outbox. The sender that drains it: bot/core/delivery/sender.py (logic,
delivery guarantees) and bot/plugins/outbox (one per connected bot account).

Every message the bot starts (not a direct reply to a command) goes through `OutboxService.enqueue`:
it is a database row before anything is sent, so nothing is lost while no bot is connected or
across a restart. A `dedup_key` makes enqueueing idempotent (a reminder stage, a digest period).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core import batch
from bot.core.models import OutboxMessage

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database

Part = dict[str, Any]

CONFIRMATION_PURPOSE = "confirmation"
"""A post's confirmation sent again through the outbox (the direct answer failed): when it goes
out, the sender links its message id to the record, so that replying 附议 to it works."""
LINKED_PURPOSES = frozenset({CONFIRMATION_PURPOSE})
"""Purposes whose sent message id becomes a confirmation link of the row's record."""
RESENT_PREFIX = "（补发）"
"""Marks a message sent a second time, so a member who got both understands."""


def text_part(text: str) -> Part:
    return {"type": "text", "text": text}


def mention_part(user_id: str) -> Part:
    return {"type": "mention", "user_id": user_id}


def file_part(path: str, name: str, fallback: str) -> Part:
    """A file to upload (a path the chat client can read); ``fallback`` is sent as text when
    the client refuses files."""
    return {"type": "file", "path": path, "name": name, "fallback": fallback}


@dataclass(frozen=True)
class Target:
    """Where a message goes: a group, or one person (optionally through a group's temp session)."""

    type: Literal["group", "private"]
    id: str
    platform: str = "qq"
    via_group_id: str | None = None

    @classmethod
    def group(cls, group_id: str, platform: str = "qq") -> Target:
        return cls("group", str(group_id), platform)

    @classmethod
    def private(cls, user_id: str, platform: str = "qq", via_group_id: str | None = None) -> Target:
        return cls("private", str(user_id), platform, via_group_id)


def mark_resent(parts: Sequence[Part]) -> list[Part]:
    """``parts`` with :data:`RESENT_PREFIX` before the first text (unless it is there)."""
    marked = [dict(part) for part in parts]
    for part in marked:
        if part.get("type") == "text":
            if not str(part.get("text", "")).startswith(RESENT_PREFIX):
                part["text"] = RESENT_PREFIX + str(part.get("text", ""))
            return marked
    return [text_part(RESENT_PREFIX), *marked]


def as_parts(content: str | Sequence[Part]) -> list[Part]:
    if isinstance(content, str):
        return [text_part(content)]
    return [dict(part) for part in content]


class MessageOptions(TypedDict, total=False):
    """How a queued message is sent (see :meth:`OutboxService.enqueue`)."""

    purpose: str  # "notice" by default
    dedup_key: str | None
    record_id: int | None
    as_forward: bool
    not_before: datetime | None
    bot_id: str | None


class OutboxService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._listeners: list[Any] = []

    def on_enqueue(self, callback: Any) -> None:
        """Call `callback()` (sync, cheap) after each enqueue, e.g. to wake the sender."""
        self._listeners.append(callback)

    def prepare(
        self, target: Target, content: str | Sequence[Part], **options: Unpack[MessageOptions]
    ) -> OutboxMessage:
        """A message row for the caller to add to its own (possibly synchronous, see
        ``Database.run_sync``) transaction. Nothing checks `dedup_key` beforehand: use it for
        keys that cannot have been used (holding the id of a row made in the same transaction),
        and call :meth:`wake` after the commit. Otherwise use :meth:`enqueue`."""
        return OutboxMessage(**self._values(target, content, options))

    def _values(
        self, target: Target, content: str | Sequence[Part], options: MessageOptions
    ) -> dict[str, Any]:
        now = self.clock.now()
        return {
            "platform": target.platform,
            "bot_id": options.get("bot_id"),
            "target_type": target.type,
            "target_id": target.id,
            "via_group_id": target.via_group_id,
            "parts": as_parts(content),
            "as_forward": options.get("as_forward", False),
            "purpose": options.get("purpose", "notice"),
            "dedup_key": options.get("dedup_key"),
            "record_id": options.get("record_id"),
            "next_attempt_at": options.get("not_before") or now,
            "created_at": now,
        }

    def wake(self) -> None:
        """Tell the sender that messages were committed (call on the event loop)."""
        self._notify()

    async def enqueue(
        self,
        target: Target,
        content: str | Sequence[Part],
        *,
        session: AsyncSession | None = None,
        **options: Unpack[MessageOptions],
    ) -> OutboxMessage | None:
        """Queue a message; returns None when `dedup_key` was queued before (nothing added).

        With `session`, the row is added to the caller's transaction (committed by the caller;
        the sender is woken after the commit). `not_before` holds it until then (e.g. the end of
        quiet hours); `bot_id` sends it only through that bot account.

        Text longer than ~1,500 characters is sent as several messages, split on line
        boundaries. With `as_forward`, each text part becomes one node of a forward message
        (合并转发; mentions are dropped there), batched when there are many; a client that refuses
        forward messages gets the nodes as plain text, separated by blank lines
        (bot/core/delivery/chunks.py).
        """
        message = self.prepare(target, content, **options)
        dedup_key = options.get("dedup_key")
        if session is not None:
            if dedup_key is not None and await _key_exists(session, dedup_key):
                return None
            session.add(message)
            await session.flush()
            # Wake the sender once the caller's transaction is committed (not before: it would
            # look for the row too early and then sleep until its next poll).
            event.listen(session.sync_session, "after_commit", self._after_commit, once=True)
            return message
        async with self.db.session() as own:
            if dedup_key is not None and await _key_exists(own, dedup_key):
                return None
            own.add(message)
            try:
                await own.commit()
            except IntegrityError:
                await own.rollback()
                return None
            await own.refresh(message)
        self._notify()
        return message

    async def queue(
        self,
        target: Target,
        content: str | Sequence[Part],
        *,
        session: AsyncSession | None = None,
        **options: Unpack[MessageOptions],
    ) -> bool:
        """:meth:`enqueue`, saying only whether the message was queued (False: its
        `dedup_key` was queued before). In a batch transaction (bot/core/batch.py) the row is
        only noted: inserted with the batch's others, no look-up of its key beforehand (one
        queued before makes the batch's commit fail, and the caller redoes it item by item)."""
        if session is not None and batch.add_row(
            session,
            OutboxMessage.__table__,
            self._values(target, content, options),  # type: ignore[arg-type]
        ):
            if batch.first(session, "outbox.wake"):  # the sender, once, after the commit
                event.listen(session.sync_session, "after_commit", self._after_commit, once=True)
            return True
        return await self.enqueue(target, content, session=session, **options) is not None

    def _notify(self) -> None:
        for callback in self._listeners:
            callback()

    def _after_commit(self, _session: Any) -> None:
        self._notify()


async def _key_exists(session: AsyncSession, key: str) -> bool:
    found = await session.exec(select(OutboxMessage.id).where(OutboxMessage.dedup_key == key))
    return found.first() is not None
