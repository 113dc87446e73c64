"""Claims: taking the next due outbox row for one account (``pending`` -> ``sending``) and
settling it after the call (``sent``, the next chunk, a retry or a failure).

Each step is one statement, committed on its own (autocommit; see
bot/core/delivery/connection.py). With the rate limit off, a ``sent`` settle and the next claim
are one UPDATE statement (:data:`_SETTLE_AND_CLAIM`): one database round trip per message. Rows
are read ahead (:data:`PREFETCH` at a time), but claimed one at a time: the claim's
``status = pending`` condition lets only one sender (or process) take a row.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, case, func, or_, select, update

from bot.core.clock import Clock, as_utc
from bot.core.delivery import chunks as outbox_chunks
from bot.core.delivery.connection import SenderConnection
from bot.core.models import MessageLink, OutboxMessage, OutboxStatus
from bot.core.models.base import UtcDateTime

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncConnection

    from bot.core.db import Database
    from bot.core.delivery.chunks import Chunk

log = logging.getLogger(__name__)

#: Rows read ahead per query (claims still take them one at a time).
PREFETCH = 64

_table = OutboxMessage.__table__  # type: ignore[attr-defined]
_c = _table.c
# Columns that never change while a row waits (read ahead), and those the sender changes (read
# back, fresh, by the claim itself).
_FIXED = (
    _c.id, _c.platform, _c.bot_id, _c.target_type, _c.target_id, _c.via_group_id, _c.purpose,
    _c.record_id,
)  # fmt: skip
_CHANGING = (
    _c.parts, _c.as_forward, _c.chunks_sent, _c.attempts, _c.timeouts, _c.sent_message_id,
    _c.rerouted_from,
)  # fmt: skip
# Rows this sender may take: its platform, and meant for any account or for this one.
_MINE = (_c.platform == bindparam("b_platform")) & or_(
    _c.bot_id.is_(None), _c.bot_id == bindparam("account")
)
# Statements built once: the hot path runs them thousands of times a second.
_PREFETCH_DUE = (
    select(*_FIXED)
    .where(
        _c.status == OutboxStatus.PENDING,
        _c.next_attempt_at <= bindparam("now", type_=UtcDateTime()),
        _MINE,
    )
    .order_by(_c.id)
    .limit(PREFETCH)
)
_CLAIM = (
    update(_table)
    .where(_c.id == bindparam("row"), _c.status == OutboxStatus.PENDING, _MINE)
    .values(
        status=OutboxStatus.SENDING,
        claimed_by=bindparam("claimer"),
        claimed_at=bindparam("claimed", type_=UtcDateTime()),
        attempts=_c.attempts + 1,
    )
    .returning(*_CHANGING)
)
_IS_SETTLE = _c.id == bindparam("settle")
# The previous call's `sent` and the next row's claim in ONE statement (atomic on its own, so the
# sender's connection runs in autocommit: one database round trip per message).
_SETTLE_AND_CLAIM = (
    update(_table)
    .where(
        or_(
            _IS_SETTLE & (_c.status == OutboxStatus.SENDING),
            (_c.id == bindparam("row")) & (_c.status == OutboxStatus.PENDING) & _MINE,
        )
    )
    .values(
        status=case((_IS_SETTLE, OutboxStatus.SENT.value), else_=OutboxStatus.SENDING.value),
        chunks_sent=case((_IS_SETTLE, bindparam("chunks")), else_=_c.chunks_sent),
        sent_at=case((_IS_SETTLE, bindparam("sent", type_=UtcDateTime())), else_=_c.sent_at),
        sent_message_id=case((_IS_SETTLE, bindparam("mid")), else_=_c.sent_message_id),
        claimed_by=case((_IS_SETTLE, _c.claimed_by), else_=bindparam("claimer")),
        claimed_at=case(
            (_IS_SETTLE, _c.claimed_at), else_=bindparam("claimed", type_=UtcDateTime())
        ),
        attempts=case((_IS_SETTLE, _c.attempts), else_=_c.attempts + 1),
    )
    .returning(_c.id, *_CHANGING)
)
_SENT_KEYS = frozenset({"status", "chunks_sent", "sent_at", "sent_message_id"})
_SETTLE_SENT = (
    update(_table)
    .where(_c.id == bindparam("row"), _c.status == OutboxStatus.SENDING)
    .values(
        status=OutboxStatus.SENT,
        chunks_sent=bindparam("chunks"),
        sent_at=bindparam("sent", type_=UtcDateTime()),
        sent_message_id=bindparam("mid"),
    )
)


@dataclass
class QueuedMessage:
    """The columns of an outbox row the sender needs (lighter than the ORM object), in the order
    of :data:`_FIXED` then :data:`_CHANGING`."""

    id: int
    platform: str
    bot_id: str | None
    target_type: str
    target_id: str
    via_group_id: str | None
    purpose: str
    record_id: int | None
    parts: list[dict[str, Any]]
    as_forward: bool
    chunks_sent: int
    attempts: int
    timeouts: int
    sent_message_id: str | None = None
    rerouted_from: str | None = None  # a group message handed over by this account's failure

    @classmethod
    def from_row(cls, row: Any) -> QueuedMessage:
        return cls.from_parts(
            tuple(getattr(row, column.name) for column in _FIXED),
            tuple(getattr(row, column.name) for column in _CHANGING),
        )

    @classmethod
    def from_parts(cls, fixed: Any, changing: Any) -> QueuedMessage:
        parts, as_forward, *counts_and_id = changing
        return cls(*fixed, list(parts or []), bool(as_forward), *counts_and_id)

    def chunks(self) -> list[Chunk]:
        return outbox_chunks.plan(self.parts, self.as_forward)


@dataclass
class Settle:
    """How a claimed row ends this iteration: column values for one UPDATE."""

    row_id: int
    values: dict[str, Any]
    reportable: bool = False  # a failure staff should hear about
    continue_row: bool = False  # chunks remain: claim this row again next


def sent_settle(message: QueuedMessage, message_id: str | None, now: datetime) -> Settle:
    """The row is delivered (all its chunks)."""
    return Settle(
        message.id,
        {
            "status": OutboxStatus.SENT,
            "chunks_sent": max(message.chunks_sent + 1, len(message.chunks())),
            "sent_at": now,
            "sent_message_id": message_id,
        },
    )


def next_chunk_settle(
    message: QueuedMessage, message_id: str | None, now: datetime, account: str
) -> Settle:
    """One chunk delivered, more remain: the row is taken again at once, by the same account."""
    return Settle(
        message.id,
        {
            "status": OutboxStatus.PENDING,
            "chunks_sent": message.chunks_sent + 1,
            "next_attempt_at": now,
            "bot_id": account,  # the rest goes through the same account
            "sent_message_id": message.sent_message_id or message_id,
        },
        continue_row=True,
    )


def _is_sent(settle: Settle) -> bool:
    return settle.values.keys() == _SENT_KEYS and settle.values["status"] == OutboxStatus.SENT


class Claims:
    """One account's claims and settles. ``pending`` is a settle not written yet: a ``sent``
    settle waits for the next claim to share its statement; :meth:`flush` writes it alone."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        account: str,
        platform: str,
        *,
        on_settled: Callable[[Settle], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.account = account
        self.platform = platform
        self.connection = SenderConnection(db)
        self.pending: Settle | None = None
        self._on_settled = on_settled
        self._candidates: deque[Any] = deque()  # fixed columns of rows read ahead
        self._continue_id: int | None = None

    def forget_read_ahead(self) -> None:
        """Rows read ahead may have changed (recovery settled some): read them again."""
        self._candidates.clear()

    async def close(self) -> None:
        """Write the pending settle (if it can be) and return the database connection."""
        try:
            await self.flush()
        finally:
            await self.connection.close()

    # ------------------------------------------------------------------ settling

    async def flush(self) -> None:
        """Write the pending settle on its own (one statement: atomic in autocommit)."""
        settle = self.pending
        if settle is None:
            return
        conn = await self.connection.get()
        values = settle.values
        if _is_sent(settle):
            await self.connection.execute(
                conn,
                _SETTLE_SENT,
                {
                    "row": settle.row_id,
                    "chunks": values["chunks_sent"],
                    "sent": values["sent_at"],
                    "mid": values["sent_message_id"],
                },
            )
        else:
            await conn.execute(
                update(_table)
                .where(_c.id == settle.row_id, _c.status == OutboxStatus.SENDING)
                .values(**values)
            )
        self._continue_id = settle.row_id if settle.continue_row else None
        self.pending = None  # kept until written: a failed write is retried
        self._settled(settle)

    def _settled(self, settle: Settle) -> None:
        if self._on_settled is not None:
            self._on_settled(settle)

    # ------------------------------------------------------------------ claiming

    async def claim(self) -> QueuedMessage | None:
        """Settle the previous call (if not yet) and claim the next due row. A `sent` settle and
        the claim share one statement; every statement is atomic on its own."""
        now = self.clock.now()
        conn = await self.connection.get()
        settle = self.pending
        if settle is not None and (settle.continue_row or not _is_sent(settle)):
            await self.flush()
            settle = None
        if self._continue_id is not None:
            await self._take_continued(conn, now)
        claimed: QueuedMessage | None = None
        for _ in range(3):
            if not self._candidates and not await self._read_ahead(conn, now):
                break
            claimed, settle = await self._claim_read_ahead(conn, now, settle)
            if claimed is not None:
                break
        if settle is not None:  # nothing to claim: write the settle alone
            await self.flush()
        return claimed

    async def _take_continued(self, conn: AsyncConnection, now: datetime) -> None:
        """The row whose next chunk is due goes first."""
        rows = (
            await conn.execute(
                select(*_FIXED).where(_c.id == self._continue_id, self._due_filter(now))
            )
        ).all()
        self._continue_id = None
        self._candidates.extendleft(rows)

    async def _read_ahead(self, conn: AsyncConnection, now: datetime) -> bool:
        rows = (
            await self.connection.execute(
                conn,
                _PREFETCH_DUE,
                {"now": now, "account": self.account, "b_platform": self.platform},
            )
        ).all()
        self._candidates.extend(rows)
        return bool(rows)

    async def _claim_read_ahead(
        self, conn: AsyncConnection, now: datetime, settle: Settle | None
    ) -> tuple[QueuedMessage | None, Settle | None]:
        """Claim the first row read ahead that is still pending (another sender may have taken
        some); a `sent` settle goes with the first attempt. What was claimed, and the settle if
        still unwritten."""
        while self._candidates:
            fixed = self._candidates.popleft()
            params = {
                "row": fixed[0],
                "account": self.account,
                "b_platform": self.platform,
                "claimer": self.account,
                "claimed": now,
            }
            if settle is not None:
                values = settle.values
                params.update(
                    settle=settle.row_id,
                    chunks=values["chunks_sent"],
                    sent=values["sent_at"],
                    mid=values["sent_message_id"],
                )
                returned = (await self.connection.execute(conn, _SETTLE_AND_CLAIM, params)).all()
                self.pending = None
                self._settled(settle)
                settle = None
                changing = next((r[1:] for r in returned if r[0] == fixed[0]), None)
            else:
                changing = (await self.connection.execute(conn, _CLAIM, params)).first()
            if changing is not None:  # claimed; fresh values of what the sender changes
                return QueuedMessage.from_parts(fixed, changing), None
        return None, settle

    def _due_filter(self, now: datetime) -> Any:
        return (
            (_c.status == OutboxStatus.PENDING)
            & (_c.next_attempt_at <= now)
            & (_c.platform == self.platform)
            & or_(_c.bot_id.is_(None), _c.bot_id == self.account)
        )

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row for this account becomes due (None: nothing pending)."""
        async with self.db.engine.connect() as conn:
            value = (
                await conn.execute(
                    select(func.min(_c.next_attempt_at)).where(
                        _c.status == OutboxStatus.PENDING,
                        _c.platform == self.platform,
                        or_(_c.bot_id.is_(None), _c.bot_id == self.account),
                    )
                )
            ).scalar()
        return None if value is None else as_utc(value)

    # ------------------------------------------------------------------ links

    async def link(self, message: QueuedMessage, message_id: str | None) -> None:
        """A re-sent confirmation went out: its message id stands for the record (replying 附议
        to it finds the record). Written before the settle; rare, so not on the hot statement."""
        if message.record_id is None or not message_id:
            return
        row = {
            "platform": message.platform,
            "message_id": str(message_id),
            "record_id": message.record_id,
            "role": "confirmation",
            "created_at": self.clock.now(),
        }
        try:
            conn = await self.connection.get()
            await conn.execute(self.db.insert_or_ignore(MessageLink.__table__), row)  # type: ignore[attr-defined]
        except Exception:  # the message is out: never resend it for want of a link
            log.exception("outbox: linking message %s to record %s failed", message.id, row)
