"""Records: numbering, lookup by the numbers members type, THE way to change one (the state
machine's check, the change, its timeline entry and its messages in one transaction; the change
hooks after the commit)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

from sqlmodel import Session, col, select

from bot.core.clock import Clock, local_date
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import MessageLink, Record, RecordStatus, TimelineEntry
from bot.core.records.hooks import ChangeHook, ChangeHooks, RecordChange, note_created, take_created
from bot.core.records.kinds import RecordKind
from bot.core.records.numbering import next_number
from bot.core.records.refs import RecordRef, parse_reference

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from enum import StrEnum

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database


class ChangeStep(TypedDict, total=False):
    """What a change does besides its state-machine action (see :meth:`RecordService.change`)."""

    detail: str | Callable[[], str]
    public: bool
    to_status: RecordStatus | None
    timeline_action: str | None
    mutate: Callable[[Record], None] | None
    extra: Callable[[AsyncSession, Record], Awaitable[None]] | None
    notify: Callable[[AsyncSession, Record], Awaitable[None]] | None


@dataclass(frozen=True)
class Actor:
    """Who did something, and from which chat (`group:123`, `private`, `system`)."""

    user_id: str
    name: str
    source: str = "system"

    @classmethod
    def system(cls) -> Actor:
        return cls("", "系统", "system")


class TimelineFields(TypedDict, total=False):
    """What a timeline entry says besides its record, action, actor and time."""

    from_status: str | None
    to_status: str | None
    detail: str
    public: bool


def timeline_entry(
    record: Record, *, action: str, actor: Actor, at: Any, **fields: Unpack[TimelineFields]
) -> TimelineEntry:
    """A timeline entry for `record` (not yet stored)."""
    return TimelineEntry(
        record_id=record.id or 0,
        at=at,
        actor_user_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        from_status=fields.get("from_status"),
        to_status=fields.get("to_status"),
        detail=fields.get("detail", ""),
        public=fields.get("public", True),
        source=actor.source,
    )


def write_timeline(
    session: AsyncSession | Session,
    record: Record,
    *,
    action: str,
    actor: Actor,
    at: Any,
    **fields: Unpack[TimelineFields],
) -> TimelineEntry:
    """Add a timeline entry to the caller's transaction."""
    entry = timeline_entry(record, action=action, actor=actor, at=at, **fields)
    session.add(entry)
    return entry


def record_label(record: Record, *, current_year: int | None = None) -> str:
    """`提案第17号`, with the year when it is not the current one."""
    kind = RecordKind(record.kind)
    year = None if current_year is None or record.year == current_year else record.year
    return kind.describe(record.number, year)


def ref_text(record: Record, year: int) -> str:
    """What a member types for the record: `17`, or `2025-17` for another year."""
    return str(record.number) if record.year == year else f"{record.year}-{record.number}"


REF_USAGE = "请写编号，例如 17、第17号，或带年份的 2026-17。"


class StateMachine(Protocol):
    """Which actions fit which status (``bot.core.workflow.states``, given by the container:
    the workflow builds on records, so records does not import it)."""

    def check(
        self,
        kind: RecordKind,
        status: RecordStatus | str,
        action: Any,
        *,
        label: str,
        number_ref: str,
    ) -> RecordStatus:
        """The status after `action`; InvalidInput saying what is possible now otherwise."""
        ...


class RecordService:
    def __init__(self, db: Database, clock: Clock, states: StateMachine) -> None:
        self.db = db
        self.clock = clock
        self.states = states
        self.hooks = ChangeHooks()
        """Told of every committed change (:meth:`on_change`)."""
        self._numbering: dict[str, asyncio.Lock] = {}

    def current_year(self) -> int:
        """The numbering period: the calendar year in the local zone (BOT_TIMEZONE)."""
        return local_date(self.clock.now()).year

    def numbering(self, kind: str) -> asyncio.Lock:
        """Hold while numbering a record of `kind` (see :meth:`insert_numbered`): posts in this
        process then queue here rather than on the counter row, each holding a connection
        (another process sharing the database queues on the row: see ``bot.core.records.numbering``)."""
        lock = self._numbering.get(kind)
        if lock is None:
            lock = self._numbering[kind] = asyncio.Lock()
        return lock

    async def create(self, record: Record, *, actor: Actor, detail: str = "") -> Record:
        """Give `record` the next number of its kind and year and store it, with a timeline entry."""
        async with self.numbering(record.kind):
            stored = await self.db.run_sync(self._create, record, actor, detail)
        await self.hooks.fire([RecordChange(stored, "submit")])
        return stored

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
        caller's transaction ends (see ``bot.core.records.numbering``): commit soon. Call it holding
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
        note_created(session, record)

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

    def on_change(self, hook: ChangeHook) -> ChangeHook:
        """Call `hook` after every committed change to a record (see :mod:`bot.core.records.hooks`)."""
        return self.hooks.register(hook)

    async def change(
        self,
        record: Record,
        action: StrEnum,
        actor: Actor,
        *,
        kind: RecordKind | None = None,
        **step: Unpack[ChangeStep],
    ) -> Record:
        """THE way to change a record, all or nothing: `action` checked against the state
        machine (`kind`'s; the record's own by default) on the record as it is now (locked); the
        status (`to_status` when the step decides, e.g. 评价) and `mutate`; `extra` in the same
        transaction; the timeline entry (`detail`, or `detail()` once `extra` ran); the messages
        the change causes (`notify(session, record)`: pass ``session=`` to the notifier), so a
        crash loses neither the change nor its notice alone. After the commit the change hooks
        hear of the record and of any record `extra` created."""
        detail, to_status = step.get("detail", ""), step.get("to_status")
        mutate, extra, notify = step.get("mutate"), step.get("extra"), step.get("notify")
        timeline_action = step.get("timeline_action")
        now, year = self.clock.now(), self.current_year()
        name = timeline_action or action.value
        async with self.db.session() as session:
            fresh = await session.get(Record, record.id, with_for_update=not self.db.is_sqlite)
            if fresh is None:
                raise NotFound(f"找不到{record_label(record, current_year=year)}。")
            label, ref = record_label(fresh, current_year=year), ref_text(fresh, year)
            kind = kind or RecordKind(fresh.kind)
            target = self.states.check(kind, fresh.status, action, label=label, number_ref=ref)
            if to_status is not None:
                target = to_status
            before = fresh.status
            fresh.status = target
            if mutate is not None:
                mutate(fresh)
            fresh.updated_at = now
            session.add(fresh)
            if extra is not None:
                await extra(session, fresh)
            write_timeline(
                session,
                fresh,
                action=name,
                actor=actor,
                at=now,
                from_status=before,
                to_status=target if target != before else None,
                detail=detail() if callable(detail) else detail,
                public=step.get("public", True),
            )
            if notify is not None:
                await session.flush()
                await notify(session, fresh)
            await session.commit()
            await session.refresh(fresh)
            created = take_created(session)
        await self.hooks.fire([RecordChange(fresh, name, before), *created])
        return fresh

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
