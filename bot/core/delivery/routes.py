"""Where a person can be reached one-to-one when they are not the bot account's friend.

QQ lets a bot open a group temporary session (群临时会话) with someone who shares a group with it.
So we remember the bound groups each person was seen speaking in (recorded by the gate,
bot/plugins/gate, once per person and group per process); when no group is known, the OneBot
transport asks the bound groups' member lists (``get_group_member_info``) and remembers the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update

from bot.core.changes import CONTACTS, ChangeWatch
from bot.core.models import MemberGroup

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database


class ContactBook:
    def __init__(self, db: Database, clock: Clock, changes: ChangeWatch) -> None:
        self.db = db
        self.clock = clock
        self.changes = changes
        self._seen: set[tuple[str, str, str]] = set()
        self._generation = changes.generation(CONTACTS)

    def knows(self, user_id: str, group_id: str, platform: str = "qq") -> bool:
        """Already recorded by this process (no database query needed). Forgotten when any
        process forgets a contact (the gate's binding lookup keeps ``changes`` fresh)."""
        generation = self.changes.generation(CONTACTS)
        if generation != self._generation:
            self._seen.clear()
            self._generation = generation
        return (platform, user_id, group_id) in self._seen

    def forget_cache(self) -> None:
        self._seen.clear()

    async def record(self, user_id: str, group_id: str, platform: str = "qq") -> None:
        """Remember that ``user_id`` is in ``group_id`` (idempotent; cheap after the first time)."""
        key = (platform, user_id, group_id)
        if self.knows(user_id, group_id, platform):
            return
        now = self.clock.now()
        async with self.db.session() as session:
            result = await session.exec(
                update(MemberGroup)
                .where(
                    col(MemberGroup.platform) == platform,
                    col(MemberGroup.user_id) == user_id,
                    col(MemberGroup.group_id) == group_id,
                )
                .values(last_seen_at=now)
            )
            if not result.rowcount:
                session.add(
                    MemberGroup(
                        platform=platform, user_id=user_id, group_id=group_id, last_seen_at=now
                    )
                )
            try:
                await session.commit()
            except IntegrityError:  # recorded concurrently
                await session.rollback()
        self._seen.add(key)
        if len(self._seen) > 50_000:
            self._seen.clear()

    async def groups_of(self, user_id: str, platform: str = "qq") -> list[str]:
        """Groups the person was seen in, most recent first."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(MemberGroup.group_id)
                .where(MemberGroup.platform == platform, MemberGroup.user_id == user_id)
                .order_by(col(MemberGroup.last_seen_at).desc())
            )
            return list(rows.all())

    async def forget(self, user_id: str, group_id: str, platform: str = "qq") -> None:
        """The person is no longer reachable through that group (left it, or it refused)."""
        self._seen.discard((platform, user_id, group_id))
        async with self.db.session() as session:
            row = (
                await session.exec(
                    select(MemberGroup).where(
                        MemberGroup.platform == platform,
                        MemberGroup.user_id == user_id,
                        MemberGroup.group_id == group_id,
                    )
                )
            ).first()
            if row is not None:
                await session.delete(row)
                await self.changes.abump(session, CONTACTS)
                await session.commit()
