"""Handle each incoming message once, also after a client re-delivers it.

A message is known by (bot account, chat, message id): :class:`~bot.core.seen.EventKey`. Its
mark is written together with what the message caused (see bot/core/seen.py); this service
checks for it, writes it, keeps an in-process claim so that two deliveries arriving in one
process are not both handled (the later one waits for the first, and is handled if the first
ended without marking the message), and prunes old marks.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, or_, select

from bot.core import seen
from bot.core.models import SeenEvent
from bot.core.seen import EventKey, SeenMark

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.core.clock import Clock
    from bot.core.db import Database

KEEP_FOR = timedelta(days=7)
RECENT_LIMIT = 10_000

_t = SeenEvent.__table__  # type: ignore[attr-defined]
# Built once (asked for each message). A row from before the chat was part of the key (chat
# empty) counts for its message id in any chat.
_SEEN = (
    select(_t.c.id)
    .where(
        _t.c.self_id == bindparam("self_id"),
        _t.c.message_id == bindparam("message_id"),
        or_(_t.c.chat == bindparam("chat"), _t.c.chat == ""),
    )
    .limit(1)
)


class DedupService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._recent: dict[EventKey, None] = {}
        self._inflight: dict[EventKey, asyncio.Event] = {}

    # ------------------------------------------------------------------ in process

    async def claim(self, key: EventKey) -> bool:
        """Take a message for handling in this process; False once a delivery of it was.

        While another delivery of it is being handled here, wait for that one: dropped at
        once, this delivery would be lost when the first ends without marking the message
        (its answer could not be sent because the client's connection closed, which is why
        the client delivered it again)."""
        while (busy := self._inflight.get(key)) is not None:
            await busy.wait()
        if key in self._recent:
            return False
        self._inflight[key] = asyncio.Event()
        return True

    def release(self, key: EventKey, *, seen: bool) -> None:
        """End a claim; ``seen``: its mark is committed (later deliveries need no database)."""
        if seen:
            self.remember(key)
        busy = self._inflight.pop(key, None)
        if busy is not None:
            busy.set()

    def remember(self, key: EventKey) -> None:
        self._recent[key] = None
        if len(self._recent) > RECENT_LIMIT:
            for old in list(self._recent)[: RECENT_LIMIT // 2]:
                del self._recent[old]

    def forget_cache(self) -> None:
        """Drop the in-memory cache (the database record stays authoritative)."""
        self._recent.clear()
        for busy in self._inflight.values():
            busy.set()
        self._inflight.clear()

    # ------------------------------------------------------------------ database

    def is_seen(self, session: Session, key: EventKey) -> bool:
        """The message's mark is committed (in the caller's synchronous session; no write)."""
        params = {"self_id": key.self_id, "chat": key.chat, "message_id": key.message_id}
        return session.exec(_SEEN, params=params).first() is not None  # type: ignore[call-overload]

    def mark(self, key: EventKey) -> SeenMark:
        """A pending mark for a message about to be handled (see bot/core/seen.py)."""
        return SeenMark(key, self.clock.now(), self.insert)

    def insert(self, session: Session, mark: SeenMark) -> bool:
        """Write ``mark`` in the caller's transaction (not committed here); False when it was
        there already."""
        row = {
            "self_id": mark.key.self_id,
            "chat": mark.key.chat,
            "message_id": mark.key.message_id,
            "seen_at": mark.seen_at,
        }
        inserted = session.exec(self.db.insert_or_ignore(SeenEvent.__table__), params=row)  # type: ignore[call-overload]
        return inserted.rowcount == 1

    async def record(self, mark: SeenMark) -> bool:
        """Commit ``mark`` on its own (a handler that wrote nothing); False when it was there."""

        def write(session: Session) -> bool:
            with seen.carrying(mark):  # the listeners must not insert it a second time
                mark.state = seen.MarkState.JOINED
                inserted = self.insert(session, mark)
                session.commit()
            mark.state = seen.MarkState.DONE
            return inserted

        try:
            return await self.db.run_sync_lazy(write)
        except BaseException:
            if mark.state is seen.MarkState.JOINED:
                mark.state = seen.MarkState.PENDING
            raise

    async def first_time(self, key: EventKey) -> bool:
        """Check and record in one go (for events with no effects to commit alongside): True
        the first time, False for a re-delivery."""
        if not await self.claim(key):
            return False
        done = False
        try:
            if await self.db.run_sync(self.is_seen, key):
                done = True
                return False
            first = await self.record(self.mark(key))
            done = True
            return first
        finally:
            self.release(key, seen=done)

    async def prune(self) -> int:
        cutoff = self.clock.now() - KEEP_FOR
        async with self.db.session() as session:
            result = await session.exec(delete(SeenEvent).where(SeenEvent.seen_at < cutoff))
            await session.commit()
            return result.rowcount or 0
