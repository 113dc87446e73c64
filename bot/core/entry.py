"""What every incoming message costs before its handler runs, in one database round trip.

A handler first makes sure the message was not handled before (a client re-delivers after a
reconnect or a restart: :class:`~bot.core.dedup.DedupService`) and then needs to know who sent
it (:meth:`~bot.core.people.members.MemberService.identify`). :meth:`EntryService.admitted` does both
in one synchronous, read-only transaction (``Database.run_sync``): on SQLite each separate round
trip costs a thread hop and a session, and this is the hot path of every post and command.

It does not mark the message as seen: the mark is written with the message's effects, in the
same transaction (bot/core/seen.py), or after a handler that wrote nothing.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.core import seen
from bot.core.people.members import MemberService, identity_rows
from bot.core.seen import AlreadySeen, EventKey, MarkState

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlmodel import Session

    from bot.core.db import Database
    from bot.core.dedup import DedupService
    from bot.core.models import Member
    from bot.core.people.identity import Identity

log = logging.getLogger(__name__)


class EntryService:
    def __init__(self, db: Database, dedup: DedupService, members: MemberService) -> None:
        self.db = db
        self.dedup = dedup
        self.members = members

    @asynccontextmanager
    async def admitted(
        self,
        self_id: str,
        chat: str,
        message_id: str,
        user_id: str,
        display_name: str = "",
        platform: str = "qq",
    ) -> AsyncIterator[Identity | None]:
        """Handle a message inside the block: yields who sent it, or None for a re-delivery
        (ignore it).

        Inside, the message's pending mark is current: the first transaction that writes
        commits it (bot/core/seen.py); if nothing did, it is committed when the block ends
        normally. :class:`AlreadySeen` raised inside (another delivery won) is swallowed. When
        the block raises anything else (or the handler called :func:`seen.abandon`), the
        message stays unmarked unless a transaction already committed the mark, and a
        re-delivery is handled again.
        """
        key = EventKey(self_id, chat, message_id)
        if not await self.dedup.claim(key):
            yield None
            return
        mark: seen.SeenMark | None = None
        found = False
        try:
            found, member, unit_ids = await self.db.run_sync(self._admit, key, user_id, platform)
            if found:
                yield None
                return
            mark = self.dedup.mark(key)
            identity = self.members.make_identity(user_id, display_name, member, unit_ids, platform)
            with seen.carrying(mark):
                try:
                    yield identity
                except AlreadySeen:
                    log.info("message %s was handled by another delivery; dropped", key)
                if mark.state is MarkState.PENDING and not mark.abandoned:
                    await self._record(mark)
        finally:
            done = found or (mark is not None and mark.state is MarkState.DONE)
            self.dedup.release(key, seen=done)

    async def _record(self, mark: seen.SeenMark) -> None:
        """Mark a message whose handler wrote nothing (the answer is already sent: a failure
        here only means a re-delivery would be answered again)."""
        try:
            await self.dedup.record(mark)
        except Exception:
            log.exception("could not mark message %s as seen", mark.key)

    def _admit(
        self, session: Session, key: EventKey, user_id: str, platform: str
    ) -> tuple[bool, Member | None, list[int]]:
        if self.dedup.is_seen(session, key):
            return True, None, []
        member, unit_ids = identity_rows(session, user_id, platform)
        return False, member, unit_ids
