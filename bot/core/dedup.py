"""Handle each (bot account, message id) once, also after a client re-delivers it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.models import SeenEvent

KEEP_FOR = timedelta(days=7)


class DedupService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._recent: dict[tuple[str, str], None] = {}

    async def first_time(self, self_id: str, message_id: str) -> bool:
        """Record the event; True the first time it is seen, False for a re-delivery."""
        if self.seen_recently(self_id, message_id):
            return False
        first = await self.db.run_sync_lazy(self.insert, self_id, message_id)
        self.remember(self_id, message_id)
        return first

    def seen_recently(self, self_id: str, message_id: str) -> bool:
        """Seen by this process lately (no database needed to say so)."""
        return (self_id, message_id) in self._recent

    def insert(self, session: Session, self_id: str, message_id: str) -> bool:
        """Record the event in the caller's synchronous session (committed here); False when it
        was recorded before."""
        row = {"self_id": self_id, "message_id": message_id, "seen_at": self.clock.now()}
        inserted = session.exec(self.db.insert_or_ignore(SeenEvent.__table__), params=row)  # type: ignore[call-overload]
        session.commit()
        return inserted.rowcount == 1

    def forget_cache(self) -> None:
        """Drop the in-memory cache (the database record stays authoritative)."""
        self._recent.clear()

    def remember(self, self_id: str, message_id: str) -> None:
        """Note an event as seen in the in-memory cache (after it was recorded)."""
        self._recent[(self_id, message_id)] = None
        if len(self._recent) > 10_000:
            for old in list(self._recent)[:5_000]:
                del self._recent[old]

    async def prune(self) -> int:
        cutoff = self.clock.now() - KEEP_FOR
        async with self.db.session() as session:
            result = await session.exec(delete(SeenEvent).where(SeenEvent.seen_at < cutoff))
            await session.commit()
            return result.rowcount or 0
