"""What every incoming message costs before its handler runs, in one database round trip.

A handler first makes sure the message was not handled before (a client re-delivers after a
reconnect: :class:`~bot.core.dedup.DedupService`) and then needs to know who sent it
(:meth:`~bot.core.members.MemberService.identify`). :meth:`EntryService.admit` does both in one
synchronous transaction (``Database.run_sync``): on SQLite each separate round trip costs a
thread hop and a session, and this is the hot path of every post and command.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.core.db import Database
from bot.core.dedup import DedupService
from bot.core.identity import Identity
from bot.core.members import MemberService, identity_rows
from bot.core.models import Member


class EntryService:
    def __init__(self, db: Database, dedup: DedupService, members: MemberService) -> None:
        self.db = db
        self.dedup = dedup
        self.members = members

    async def admit(
        self,
        self_id: str,
        message_id: str,
        user_id: str,
        display_name: str = "",
        platform: str = "qq",
    ) -> Identity | None:
        """Who sent a message seen for the first time; None for a re-delivery (ignore it)."""
        if self.dedup.seen_recently(self_id, message_id):
            return None
        first, member, unit_ids = await self.db.run_sync_lazy(
            self._admit, self_id, message_id, user_id, platform
        )
        self.dedup.remember(self_id, message_id)
        if not first:
            return None
        return self.members.make_identity(user_id, display_name, member, unit_ids, platform)

    def _admit(
        self, session: Session, self_id: str, message_id: str, user_id: str, platform: str
    ) -> tuple[bool, Member | None, list[int]]:
        # reads first, then the insert and its commit: one transaction, not two
        member, unit_ids = identity_rows(session, user_id, platform)
        if not self.dedup.insert(session, self_id, message_id):
            return False, None, []
        return True, member, unit_ids
