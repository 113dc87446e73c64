"""Records: numbering, lookup by the numbers members type, status changes with a timeline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock, local_date
from bot.core.db import Database
from bot.core.errors import InvalidInput, NotFound
from bot.core.intake.kinds import RecordKind
from bot.core.intake.refs import RecordRef, parse_reference
from bot.core.models import MessageLink, Record, RecordStatus, TimelineEntry
from bot.core.numbering import next_number


@dataclass(frozen=True)
class Actor:
    """Who did something, and from which chat (`group:123`, `private`, `system`)."""

    user_id: str
    name: str
    source: str = "system"

    @classmethod
    def system(cls) -> Actor:
        return cls("", "系统", "system")


def timeline_entry(
    record: Record,
    *,
    action: str,
    actor: Actor,
    at: Any,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: str = "",
    public: bool = True,
) -> TimelineEntry:
    """A timeline entry for `record` (not yet stored)."""
    return TimelineEntry(
        record_id=record.id or 0,
        at=at,
        actor_user_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
        public=public,
        source=actor.source,
    )


def write_timeline(
    session: AsyncSession | Session,
    record: Record,
    *,
    action: str,
    actor: Actor,
    at: Any,
    from_status: str | None = None,
    to_status: str | None = None,
    detail: str = "",
    public: bool = True,
) -> TimelineEntry:
    """Add a timeline entry to the caller's transaction."""
    entry = timeline_entry(
        record,
        action=action,
        actor=actor,
        at=at,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
        public=public,
    )
    session.add(entry)
    return entry


def record_label(record: Record, *, current_year: int | None = None) -> str:
    """`提案第17号`, with the year when it is not the current one."""
    kind = RecordKind(record.kind)
    year = None if current_year is None or record.year == current_year else record.year
    return kind.describe(record.number, year)


REF_USAGE = "请写编号，例如 17、第17号，或带年份的 2026-17。"


class RecordService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._numbering: dict[str, asyncio.Lock] = {}

    def current_year(self) -> int:
        """The numbering period: the calendar year in the local zone (BOT_TIMEZONE)."""
        return local_date(self.clock.now()).year

    def numbering(self, kind: str) -> asyncio.Lock:
        """Hold while numbering a record of `kind` (see :meth:`insert_numbered`): posts in this
        process then queue here rather than on the counter row, each holding a connection
        (another process sharing the database queues on the row: see ``bot.core.numbering``)."""
        lock = self._numbering.get(kind)
        if lock is None:
            lock = self._numbering[kind] = asyncio.Lock()
        return lock

    async def create(self, record: Record, *, actor: Actor, detail: str = "") -> Record:
        """Give `record` the next number of its kind and year and store it, with a timeline entry."""
        async with self.numbering(record.kind):
            return await self.db.run_sync(self._create, record, actor, detail)

    def _create(self, session: Session, record: Record, actor: Actor, detail: str) -> Record:
        self.insert_numbered(session, record, actor=actor, detail=detail)
        session.commit()
        return record

    def insert_numbered(
        self, session: Session, record: Record, *, actor: Actor, detail: str = ""
    ) -> None:
        """Number `record` and add it (flushed: it has its id) and its `submit` timeline entry to
        the caller's transaction (a synchronous session: see ``Database.run_sync``).

        The number comes from the (kind, year) counter row, which stays locked until the
        caller's transaction ends (see ``bot.core.numbering``): commit soon. Call it holding
        :meth:`numbering`.
        """
        record.year = record.year or self.current_year()
        now = self.clock.now()
        record.created_at = now
        record.updated_at = now
        record.number = next_number(session, record.kind, record.year)
        self.db.insert_rows(session, [record])
        entry = timeline_entry(
            record,
            action="submit",
            actor=actor,
            at=now,
            to_status=record.status,
            detail=detail,
        )
        self.db.insert_rows(session, [entry])

    async def get(self, record_id: int) -> Record:
        async with self.db.session() as session:
            record = await session.get(Record, record_id)
        if record is None:
            raise NotFound(f"找不到记录 {record_id}。")
        return record

    async def find(self, kind: RecordKind, ref: RecordRef) -> Record:
        year = ref.resolve_year(self.current_year())
        async with self.db.session() as session:
            record = (
                await session.exec(
                    select(Record).where(
                        Record.kind == kind, Record.year == year, Record.number == ref.number
                    )
                )
            ).first()
        if record is None:
            shown = kind.describe(ref.number, year if ref.year else None)
            if ref.year is not None:  # the year was typed: do not suggest the year before it
                raise NotFound(
                    f"没有找到{shown}。请检查年份和编号；今年的第{ref.number}号直接写 {ref.number}。"
                )
            raise NotFound(
                f"没有找到{shown}。请检查编号；查看往年的请写成 {year - 1}-{ref.number}。"
            )
        return record

    async def resolve(self, kind: RecordKind, text: str) -> Record:
        """The record a member means by `17`, `第17号` or `2026-17`."""
        ref = parse_reference(text.strip(), current_year=self.current_year())
        if ref is None:
            raise InvalidInput(f"“{text.strip()[:20]}”不是{kind.short_label}编号。{REF_USAGE}")
        return await self.find(kind, ref)

    async def change(
        self,
        record_id: int,
        *,
        action: str,
        actor: Actor,
        to_status: RecordStatus | None = None,
        detail: str = "",
        public: bool = True,
        expect: Sequence[RecordStatus] | None = None,
        mutate: Callable[[Record], None] | None = None,
        extra: Callable[[AsyncSession, Record], Awaitable[None]] | None = None,
    ) -> Record:
        """Change a record (status and/or fields via `mutate`) and write the timeline, atomically.

        `expect` guards against a concurrent change: the record must still be in one of them.
        `extra(session, record)` runs last in the same transaction (e.g. queueing the notices
        the change causes, with ``session=``).
        """
        async with self.db.session() as session:
            record = await session.get(Record, record_id, with_for_update=not self.db.is_sqlite)
            if record is None:
                raise NotFound(f"找不到记录 {record_id}。")
            if expect is not None and record.status not in {s.value for s in expect}:
                raise InvalidInput(
                    f"{record_label(record)}当前状态是“{RecordStatus(record.status).label}”，不能这样操作。"
                )
            before = record.status
            if to_status is not None:
                record.status = to_status
            if mutate is not None:
                mutate(record)
            record.updated_at = self.clock.now()
            session.add(record)
            write_timeline(
                session,
                record,
                action=action,
                actor=actor,
                at=record.updated_at,
                from_status=before,
                to_status=record.status if to_status is not None else None,
                detail=detail,
                public=public,
            )
            if extra is not None:
                await session.flush()
                await extra(session, record)
            await session.commit()
            await session.refresh(record)
            return record

    async def timeline(self, record_id: int, *, include_internal: bool) -> list[TimelineEntry]:
        async with self.db.session() as session:
            query = select(TimelineEntry).where(TimelineEntry.record_id == record_id)
            if not include_internal:
                query = query.where(TimelineEntry.public)
            rows = await session.exec(query.order_by(col(TimelineEntry.at), col(TimelineEntry.id)))
            return list(rows.all())

    async def link_message(
        self, record_id: int, message_id: str, role: str, platform: str = "qq"
    ) -> None:
        """Remember that a chat message stands for a record (a message linked before keeps its
        first record)."""

        def link(session: Session) -> None:
            self.link_message_in(session, record_id, message_id, role, platform)
            session.commit()

        await self.db.run_sync_lazy(link)

    def link_message_in(
        self,
        session: Session,
        record_id: int,
        message_id: str,
        role: str,
        platform: str = "qq",
    ) -> None:
        """:meth:`link_message` within the caller's (synchronous) transaction."""
        row = {
            "platform": platform,
            "message_id": str(message_id),
            "record_id": record_id,
            "role": role,
            "created_at": self.clock.now(),
        }
        session.exec(self.db.insert_or_ignore(MessageLink.__table__), params=row)  # type: ignore[arg-type]

    async def by_message(self, message_id: str, platform: str = "qq") -> Record | None:
        """The record a chat message stands for (the post or the bot's confirmation)."""
        async with self.db.session() as session:
            link = (
                await session.exec(
                    select(MessageLink).where(
                        MessageLink.platform == platform, MessageLink.message_id == str(message_id)
                    )
                )
            ).first()
            if link is None:
                return None
            return await session.get(Record, link.record_id)
