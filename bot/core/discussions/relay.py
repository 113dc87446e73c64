"""The relay: a participant's private message goes to every other participant one-to-one.

One message is ONE synchronous transaction (``Database.run_sync``): the re-delivery mark, the
transcript row, the message count and the N-1 outbox rows (``outbox.prepare`` + one Core
executemany, ``Database.insert_many``), then the sender is woken. Nothing is relayed to anyone who is not, or is no longer, a
participant: the participants are read inside that transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core import seen
from bot.core.delivery.outbox import OutboxService, Part, Target, text_part
from bot.core.discussions import texts
from bot.core.discussions.common import PURPOSE, Room, key_prefix
from bot.core.errors import InvalidInput
from bot.core.models import (
    Discussion,
    DiscussionMessage,
    DiscussionParticipant,
    DiscussionStatus,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.clock import Clock
    from bot.core.db import Database

#: Part types a relay carries (anything else is dropped: faces, cards...).
RELAYED_TYPES = frozenset({"text", "image", "file"})


def transcript_text(parts: Sequence[Part]) -> str:
    """What the transcript keeps of a message: its text, images and files as markers."""
    pieces: list[str] = []
    for part in parts:
        kind = part.get("type")
        if kind == "text":
            pieces.append(str(part.get("text", "")))
        elif kind == "image":
            pieces.append("[图片]")
        elif kind == "file":
            pieces.append(f"[文件 {part.get('name', '')}]".replace(" ]", "]"))
    return "".join(pieces).strip()


@dataclass(frozen=True)
class Relayed:
    message_id: int
    recipients: int


@dataclass(eq=False)
class DiscussionRelay:
    db: Database
    clock: Clock
    outbox: OutboxService

    async def relay(
        self, room: Room, sender_id: str, parts: Sequence[Part], reply_to: str | None = None
    ) -> Relayed:
        """Relay one message of ``sender_id`` in ``room``; InvalidInput when there is nothing
        to relay, when the room closed or the sender left meanwhile."""
        kept = [dict(p) for p in parts if p.get("type") in RELAYED_TYPES]
        kept = [p for p in kept if p.get("type") != "text" or str(p.get("text", "")).strip()]
        if not kept:
            raise InvalidInput("这条消息没有可以转发的文字、图片或文件。")
        relayed = await self.db.run_sync(
            self._store, room.discussion.id or 0, sender_id, kept, reply_to
        )
        self.outbox.wake()
        return relayed

    def _store(
        self,
        session: Session,
        number: int,
        sender_id: str,
        parts: list[dict[str, Any]],
        reply_to: str | None,
    ) -> Relayed:
        seen.join(session)  # a re-delivered message stops here (AlreadySeen)
        discussion = session.get(Discussion, number)
        people = list(
            session.exec(
                select(DiscussionParticipant).where(
                    DiscussionParticipant.discussion_id == number,
                    col(DiscussionParticipant.left_at).is_(None),
                )
            ).all()
        )
        sender = next((p for p in people if p.user_id == sender_id), None)
        if discussion is None or sender is None:
            raise InvalidInput("您已不在这个讨论中，消息没有转发。发送“讨论”查看您参加的讨论。")
        room = Room(discussion, people)
        if discussion.status != DiscussionStatus.OPEN:
            raise InvalidInput(texts.closed_refusal(room))
        now = self.clock.now()
        message = DiscussionMessage(
            discussion_id=number,
            user_id=sender_id,
            name=sender.name,
            text=transcript_text(parts),
            parts=parts,
            reply_to_name=reply_to[:64] if reply_to else None,
            created_at=now,
        )
        self.db.insert_rows(session, [message])
        session.exec(  # type: ignore[call-overload]
            update(Discussion)
            .where(col(Discussion.id) == number)
            .values(message_count=col(Discussion.message_count) + 1)
        )
        content = [text_part(texts.relay_text(room, sender.name, reply_to)), *parts]
        prefix = key_prefix(number)
        rows = [
            self.outbox.prepare(
                Target.private(person.user_id, person.platform),
                content,
                purpose=PURPOSE,
                dedup_key=f"{prefix}m{message.id}:u{person.user_id}",
            )
            for person in people
            if person.user_id != sender_id
        ]
        self.db.insert_many(session, rows)  # one executemany, not one statement a row
        session.commit()
        return Relayed(message.id or 0, len(rows))
