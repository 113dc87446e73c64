"""Draining the outbox: claim a row, make the call, record the outcome. Framework-free.

One :class:`OutboxSender` runs per connected bot account (bot/plugins/outbox starts and stops
them). It sends one call at a time, spaced by a :class:`RateLimiter` (QQ's risk control punishes
bursts), and talks to the chat client only through a :class:`Transport`.

Delivery guarantees
-------------------
Every call goes through these steps, each committed before the next:

1. **claim**: the row becomes ``sending`` (``claimed_by`` = this account, ``claimed_at`` = now);
2. **call** the client (one chunk: a long message is several calls, ``chunks_sent`` counts them);
3. **settle**: ``sent`` (or ``pending`` with ``chunks_sent + 1`` when chunks remain, or a retry /
   failure) — committed right after the call returns, in the same loop iteration, before any
   other call is made. With the rate limit off, a ``sent`` settle and the next claim are one
   UPDATE statement; every statement the sender runs is atomic on its own, so its connection is
   in autocommit (one database round trip per message; on SQLite these few statements run on a
   synchronous connection in the event loop's thread, see :meth:`OutboxSender._hot_sqlite`).

So a restart never repeats a settled call. (On PostgreSQL the sender's connection commits
without waiting for the disk: a crash of the bot loses nothing, but a crash of the database
server a fraction of a second after a claim could forget it, and that message would go out once
more. The drain rate is worth it; see OutboxSender._connection.) The only unknown is a row still
``sending`` after a crash: the process died between steps 1 and 3, and its call may or may not
have reached the client. At start-up (and for rows stuck longer than :data:`STALE_AFTER`) such a
row is settled by :meth:`OutboxSender.recover`, differently for one person and for a group:

- **one-to-one** (``private``: answer and evaluation notices, co-sign invitations, deadline
  reminders, a re-sent confirmation): the call is made **once more**, as after a timeout (it
  counts in ``timeouts``: a row that already timed out or was already resent once is given up as
  ``uncertain``). When the first part was in flight, the text is marked ``（补发）``, so that a
  member who got both copies understands. Losing such a notice costs a member the step it asks
  for (e.g. the evaluation of an answer, never given); a second private message costs nothing.
- **groups** (digests, staff-group notices, group reminders, confirmations in groups): **at most
  once**: the in-flight chunk counts as delivered — the row becomes ``uncertain`` (its last
  chunk) or moves on to its next chunk. Why not resend: the window between the claim commit and
  the WebSocket write is microseconds, while the window between the write and the settle commit
  is a whole round trip, so the call most likely did get through; a resend would then show the
  same digest twice to hundreds of members, and repeated long (forward) messages in big groups
  are what QQ's risk control punishes (FIELD-NOTES). And what a group message is about stays
  within reach: the records it lists are on the public board and answer `查提案` and `统计`.
  (`uncertain` rows from a crash are logged, not reported to staff.)

The same holds when the chat connection drops during a call and the call does not come back
within a short grace (bot/plugins/outbox cancels it): the next connection of that account treats
the row as in flight.

A call that *timed out* (no answer in time, or NapCat's retcode 1200 "Timeout", issues
NapNeko/NapCatQQ#1410 and #1772) may also have been delivered: it is resent **at most once**
(``timeouts``); a second timeout makes the row ``uncertain`` and staff are told.

Network errors and other transient failures are retried with backoff (``next_attempt_at``, kept in
the database, so a restart keeps the schedule) up to :data:`MAX_ATTEMPTS` calls. Permanent failures
(the bot is not in the group, the person cannot be reached, a bad request) make the row ``failed``
at once; failed and uncertain rows are reported to the staff group once
(:class:`bot.core.delivery.failures.FailureReporter`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    case,
    create_engine,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import NullPool

from bot.core.clock import Clock, as_utc
from bot.core.db import Database, sqlite_path
from bot.core.delivery import chunks as outbox_chunks
from bot.core.delivery.chunks import Chunk
from bot.core.delivery.outbox import LINKED_PURPOSES, mark_resent
from bot.core.models import MessageLink, OutboxMessage, OutboxStatus
from bot.core.models.base import UtcDateTime

log = logging.getLogger(__name__)

#: Calls made for one row before a transient failure becomes permanent.
MAX_ATTEMPTS = 6
#: Wait before retry n (1-based) after a transient failure.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
#: Wait before the one resend after a timeout.
RESEND_AFTER_TIMEOUT = timedelta(seconds=5)
#: A row ``sending`` for longer than this belongs to a call that will never settle.
STALE_AFTER = timedelta(minutes=10)
#: Rows read ahead per query (claims still take them one at a time).
PREFETCH = 64
#: SQLite: longest the hot path waits (in the event loop) for another writer's lock.
HOT_BUSY_MS = 50

_table = OutboxMessage.__table__  # type: ignore[attr-defined]
_c = _table.c
# Columns that never change while a row waits (read ahead), and those the sender changes (read
# back, fresh, by the claim itself).
_FIXED = (
    _c.id, _c.platform, _c.bot_id, _c.target_type, _c.target_id, _c.via_group_id, _c.purpose,
    _c.record_id,
)  # fmt: skip
_CHANGING = (_c.parts, _c.as_forward, _c.chunks_sent, _c.attempts, _c.timeouts, _c.sent_message_id)
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


def _hot_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={HOT_BUSY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class FailureKind(StrEnum):
    TRANSIENT = "transient"  # retry with backoff (network hiccup, client busy)
    RETRY_NOW = "retry_now"  # retry at once: the transport learnt something (e.g. not a friend)
    UNCERTAIN = "uncertain"  # timed out: may have been delivered; resent at most once
    PERMANENT = "permanent"  # retrying will not help: failed, reported to staff
    UNREACHABLE = "unreachable"  # a person no route reaches (not a friend, no shared group)
    REFUSED = "refused"  # the client refused the form (forward message): fall back to text
    DISCONNECTED = "disconnected"  # no connection: the row waits untouched for the next one


class DeliveryError(Exception):
    """A call did not deliver; ``reason`` is Chinese (shown to staff), ``detail`` is raw."""

    def __init__(self, kind: FailureKind, reason: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {reason} {detail}".strip())
        self.kind = kind
        self.reason = reason
        self.detail = detail


# What clients answer (retcode, message/wording), and what it means for us:
# - go-cqhttp / simulator: retcode 100 "failed" with GROUP_NOT_FOUND / 群聊不存在, USER_NOT_FOUND,
#   SEND_MSG_API_ERROR (risk control: 消息发送失败，账号可能被风控) -> permanent: do not retry blindly;
# - NapCat (WebSocket): *every* action error is retcode 1200 with the exception text, e.g.
#   "Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ..." (may have been delivered),
#   "无法获取用户信息", "请指定正确的 group_id 或 user_id" (permanent); other 1200s are retried;
# - 1400 bad request, 1404 unsupported action (OneBot 11 / NapCat) -> permanent (refused for forward).
_TIMEOUT_WORDS = re.compile(r"timeout|timed out|超时", re.IGNORECASE)
_PERMANENT_WORDS = re.compile(
    r"not[ _]found|not exist|不存在|无法获取用户信息|not a friend|好友|临时会话|临时消息|"
    r"被禁言|禁言|muted|kicked|移出|不在群|not in group|请指定|invalid|非法",
    re.IGNORECASE,
)
PERMANENT_RETCODES = frozenset({100, 102, 1400, 1403, 1404})


def classify_failure(retcode: int | None, text: str, *, forward: bool = False) -> FailureKind:
    """What a failed call means. ``text`` is the client's message and wording."""
    if _TIMEOUT_WORDS.search(text or ""):
        return FailureKind.UNCERTAIN
    permanent = retcode in PERMANENT_RETCODES or bool(_PERMANENT_WORDS.search(text or ""))
    if forward and (permanent or retcode == 1200):
        # A client that cannot build the forward message (unsupported, too big, a NapCat error):
        # try again as plain text; a bad target then fails there for good.
        return FailureKind.REFUSED
    return FailureKind.PERMANENT if permanent else FailureKind.TRANSIENT


def backoff(attempts: int) -> timedelta:
    """Wait before the next call after ``attempts`` calls failed transiently."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


@dataclass
class QueuedMessage:
    """The columns of an outbox row the sender needs (lighter than the ORM object)."""

    id: int
    platform: str
    bot_id: str | None
    target_type: str
    target_id: str
    via_group_id: str | None
    parts: list[dict[str, Any]]
    as_forward: bool
    purpose: str
    record_id: int | None
    attempts: int
    chunks_sent: int
    timeouts: int
    sent_message_id: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> QueuedMessage:
        return cls(
            id=row.id,
            platform=row.platform,
            bot_id=row.bot_id,
            target_type=row.target_type,
            target_id=row.target_id,
            via_group_id=row.via_group_id,
            parts=list(row.parts or []),
            as_forward=bool(row.as_forward),
            purpose=row.purpose,
            record_id=row.record_id,
            attempts=row.attempts,
            chunks_sent=row.chunks_sent,
            timeouts=row.timeouts,
            sent_message_id=row.sent_message_id,
        )

    @classmethod
    def from_parts(cls, fixed: Any, changing: Any) -> QueuedMessage:
        return cls(
            id=fixed[0],
            platform=fixed[1],
            bot_id=fixed[2],
            target_type=fixed[3],
            target_id=fixed[4],
            via_group_id=fixed[5],
            purpose=fixed[6],
            record_id=fixed[7],
            parts=list(changing[0] or []),
            as_forward=bool(changing[1]),
            chunks_sent=changing[2],
            attempts=changing[3],
            timeouts=changing[4],
            sent_message_id=changing[5],
        )

    def chunks(self) -> list[Chunk]:
        return outbox_chunks.plan(self.parts, self.as_forward)


class Transport(Protocol):
    """Sends one chunk of a message through one bot account; raises :class:`DeliveryError`."""

    account: str
    platform: str  # e.g. "qq": the sender takes only that platform's rows

    async def send(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        """Deliver ``chunk``; returns the client's message id (if it gave one)."""
        ...


class RateLimiter:
    """At least ``interval`` (+ up to ``jitter``) seconds between the end of one call and the
    start of the next, per bot account. Measured from the *end* of the previous call, so the
    spacing also holds as seen by the client. ``interval = 0`` turns it off."""

    def __init__(
        self,
        interval: float,
        jitter: float = 0.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.interval = max(0.0, interval)
        self.jitter = max(0.0, jitter)
        self._monotonic = monotonic
        self._sleep = sleep
        self._rng = rng
        self._ready_at = 0.0

    def delay(self) -> float:
        """Seconds until the next call may start."""
        return max(0.0, self._ready_at - self._monotonic())

    async def wait(self) -> None:
        delay = self.delay()
        if delay > 0:
            await self._sleep(delay)

    def done(self) -> None:
        """Record the end of a call."""
        if self.interval <= 0 and self.jitter <= 0:
            return
        self._ready_at = self._monotonic() + self.interval + self.jitter * self._rng()


@dataclass
class Settle:
    """How a claimed row ends this iteration: column values for one UPDATE."""

    row_id: int
    values: dict[str, Any]
    reportable: bool = False  # a failure staff should hear about
    continue_row: bool = False  # chunks remain: claim this row again next


@dataclass
class RecoveryReport:
    uncertain: list[int] = field(default_factory=list)  # rows given up (their last chunk)
    advanced: list[int] = field(default_factory=list)  # rows moved on to their next chunk
    resent: list[int] = field(default_factory=list)  # one-to-one rows whose call goes again


class OutboxSender:
    """Drains the outbox for one bot account."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        transport: Transport,
        limiter: RateLimiter,
        *,
        on_failure: Callable[[], None] | None = None,
        poll_interval: float = 10.0,
    ) -> None:
        self.db = db
        self.clock = clock
        self.transport = transport
        self.limiter = limiter
        self.account = transport.account
        self.platform = getattr(transport, "platform", "qq")
        self.on_failure = on_failure
        self.poll_interval = max(0.05, poll_interval)
        self._candidates: deque[Any] = deque()  # fixed columns of rows read ahead
        self._conn: AsyncConnection | None = None
        self._hot: Connection | None = None
        self._hot_engine: Engine | None = None
        self._pending_settle: Settle | None = None
        self._continue_id: int | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._recovered = False
        self.sent_count = 0

    # ------------------------------------------------------------------ control

    def wake(self) -> None:
        """Something was queued: look again now (cheap; safe to call from any callback)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current call, settle it, and leave :meth:`run`."""
        self._stopping = True
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def run(self) -> None:
        """Send until :meth:`stop` (or until the chat connection is found gone). A database error
        is logged and retried after a pause; an unsettled call is settled first."""
        errors = 0
        try:
            while not self._stopping:
                try:
                    if not self._recovered:
                        await self.recover()
                    self._wake.clear()  # a wake from now on (even during the step) counts
                    if not await self.step() and not self._stopping:
                        await self._idle()
                    errors = 0
                except asyncio.CancelledError:
                    raise
                except Exception:
                    errors += 1
                    log.exception("outbox: sending for %s failed; trying again", self.account)
                    await self._close_connection()
                    if self._stopping:
                        break
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), min(30.0, 0.5 * 2**errors))
        finally:
            await self.close()

    async def close(self) -> None:
        """Commit the last settle (if it can be) and return the database connection."""
        try:
            await self._flush_settle()
        finally:
            await self._close_connection()

    async def _close_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if not self.db.is_sqlite and not conn.closed:
                    # back to the pool as it came: other work there waits for the disk
                    await conn.exec_driver_sql("RESET synchronous_commit")
            except Exception:
                with contextlib.suppress(Exception):
                    await conn.invalidate()  # never hand the setting on to others
            with contextlib.suppress(Exception):
                await conn.close()
        hot, self._hot = self._hot, None
        if hot is not None:
            with contextlib.suppress(Exception):
                hot.close()
        engine, self._hot_engine = self._hot_engine, None
        if engine is not None:
            engine.dispose()

    def _hot_sqlite(self) -> Connection | None:
        """SQLite: a synchronous connection for the few hot statements (prefetch, claim, settle).

        Each runs in tens of microseconds in the event loop's own thread, skipping aiosqlite's
        round trip to its worker thread — which dominated the cost of a message (measured: 750
        vs 1,400 messages/s through the simulator). A database locked by another writer is waited
        for at most :data:`HOT_BUSY_MS`; then the statement goes the asynchronous way."""
        if not self.db.is_sqlite or sqlite_path(self.db.url) is None:
            return None
        if self._hot is None:
            engine = create_engine(
                make_url(self.db.url).set(drivername="sqlite"), poolclass=NullPool
            )
            event.listen(engine, "connect", _hot_pragmas)
            self._hot_engine = engine
            self._hot = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._hot

    async def _exec(self, conn: AsyncConnection, statement: Any, params: dict[str, Any]) -> Any:
        """Run one (atomic, autocommit) statement on the hot path; a result with rows."""
        hot = self._hot_sqlite()
        if hot is not None:
            try:
                return hot.execute(statement, params)
            except OperationalError as exc:  # locked by another writer: wait the async way
                log.debug("outbox: hot statement fell back to the async connection: %s", exc)
        return await conn.execute(statement, params)

    async def _connection(self) -> AsyncConnection:
        """One connection kept for the hot path (no pool round trip per message), in autocommit:
        every statement the sender runs on it is atomic on its own."""
        if self._conn is None or self._conn.closed:
            conn = await self.db.engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            if not self.db.is_sqlite:
                # Commits here need not wait for the disk: a crash of the bot loses nothing
                # (PostgreSQL has the commit), only a crash of the database server within a
                # fraction of a second could forget a claim, and then that message would be
                # sent once more. Waiting for the disk on every claim and settle halves the
                # drain rate. (SQLite in WAL with synchronous=NORMAL already commits so.)
                await self._conn.exec_driver_sql("SET synchronous_commit TO OFF")
        return self._conn

    async def _idle(self) -> None:
        timeout = self.poll_interval
        due = await self.next_due_at()
        if due is not None:
            timeout = min(timeout, max(0.05, (due - self.clock.now()).total_seconds()))
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ one step

    async def step(self) -> bool:
        """Claim and send one chunk of the next due message; False when nothing is due."""
        if self._pending_settle is not None and self.limiter.delay() > 0:
            await self._flush_settle()
        await self.limiter.wait()
        message = await self._claim()
        if message is None:
            return False
        chunks = message.chunks()
        if message.chunks_sent >= len(chunks):  # all delivered before (e.g. recovered row)
            self._pending_settle = self._done(message, message.sent_message_id)
            return True
        chunk = chunks[message.chunks_sent]
        try:
            message_id = await self.transport.send(message, chunk)
        except DeliveryError as error:
            self.limiter.done()
            settle = self._failed(message, error)
            if error.kind is FailureKind.DISCONNECTED:
                self._stopping = True
            self._pending_settle = settle
            await self._flush_settle()  # failures are rare: commit at once
            return True
        except Exception as exc:  # a bug in the transport: count it as a transient failure
            log.exception("outbox: sending message %s failed unexpectedly", message.id)
            self.limiter.done()
            self._pending_settle = self._failed(
                message, DeliveryError(FailureKind.TRANSIENT, "发送时出错", repr(exc)[:200])
            )
            await self._flush_settle()
            return True
        self.limiter.done()
        if message.purpose in LINKED_PURPOSES and message.chunks_sent == 0:
            await self._link(message, message_id)
        if message.chunks_sent + 1 < len(chunks):
            self._pending_settle = Settle(
                message.id,
                {
                    "status": OutboxStatus.PENDING,
                    "chunks_sent": message.chunks_sent + 1,
                    "next_attempt_at": self.clock.now(),
                    "bot_id": self.account,  # the rest goes through the same account
                    "sent_message_id": message.sent_message_id or message_id,
                },
                continue_row=True,
            )
        else:
            self._pending_settle = self._done(message, message.sent_message_id or message_id)
        if self.limiter.delay() > 0:
            await self._flush_settle()
        return True

    async def _link(self, message: QueuedMessage, message_id: str | None) -> None:
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
            conn = await self._connection()
            await conn.execute(self.db.insert_or_ignore(MessageLink.__table__), row)  # type: ignore[attr-defined]
        except Exception:  # the message is out: never resend it for want of a link
            log.exception("outbox: linking message %s to record %s failed", message.id, row)

    def _done(self, message: QueuedMessage, message_id: str | None) -> Settle:
        self.sent_count += 1
        return Settle(
            message.id,
            {
                "status": OutboxStatus.SENT,
                "chunks_sent": max(message.chunks_sent + 1, len(message.chunks())),
                "sent_at": self.clock.now(),
                "sent_message_id": message_id,
            },
        )

    def _failed(self, message: QueuedMessage, error: DeliveryError) -> Settle:
        now = self.clock.now()
        note = f"{error.reason}（{error.detail}）" if error.detail else error.reason
        note = note[:500]
        kind = error.kind
        if kind is FailureKind.DISCONNECTED:
            return Settle(
                message.id,
                {"status": OutboxStatus.PENDING, "attempts": max(0, message.attempts - 1)},
            )
        if kind is FailureKind.REFUSED:
            parts = outbox_chunks.fallback_parts(message.parts, message.chunks_sent)
            log.info("outbox: message %s sent as plain text instead (%s)", message.id, note)
            return Settle(
                message.id,
                {
                    "status": OutboxStatus.PENDING,
                    "as_forward": False,
                    "parts": parts,
                    "chunks_sent": 0,
                    "next_attempt_at": now,
                    "last_error": f"客户端未接受合并转发，改为文字发送：{note}"[:500],
                },
                continue_row=True,
            )
        if kind is FailureKind.RETRY_NOW and message.attempts < MAX_ATTEMPTS:
            return Settle(
                message.id,
                {"status": OutboxStatus.PENDING, "next_attempt_at": now, "last_error": note},
                continue_row=True,
            )
        if kind is FailureKind.UNCERTAIN:
            timeouts = message.timeouts + 1
            if timeouts >= 2:
                log.warning("outbox: message %s timed out twice; not sent again", message.id)
                return Settle(
                    message.id,
                    {
                        "status": OutboxStatus.UNCERTAIN,
                        "timeouts": timeouts,
                        "last_error": f"两次发送都超时，可能未送达：{note}"[:500],
                    },
                    reportable=True,
                )
            return Settle(
                message.id,
                {
                    "status": OutboxStatus.PENDING,
                    "timeouts": timeouts,
                    "next_attempt_at": now + RESEND_AFTER_TIMEOUT,
                    "last_error": f"发送超时（可能已送达），将重发一次：{note}"[:500],
                },
            )
        if kind in (FailureKind.TRANSIENT, FailureKind.RETRY_NOW) and (
            message.attempts < MAX_ATTEMPTS
        ):
            return Settle(
                message.id,
                {
                    "status": OutboxStatus.PENDING,
                    "next_attempt_at": now + backoff(message.attempts),
                    "last_error": note,
                },
            )
        if kind in (FailureKind.TRANSIENT, FailureKind.RETRY_NOW):
            note = f"重试{message.attempts}次仍失败：{note}"[:500]
        log.warning("outbox: message %s failed: %s", message.id, note)
        return Settle(
            message.id,
            {"status": OutboxStatus.FAILED, "last_error": note},
            reportable=True,
        )

    # ------------------------------------------------------------------ database

    async def _flush_settle(self) -> None:
        settle = self._pending_settle
        if settle is None:
            return
        await self._apply(await self._connection(), settle)
        self._pending_settle = None  # kept until written: a failed write is retried
        self._notify_failure(settle)

    @staticmethod
    def _is_sent(settle: Settle) -> bool:
        return settle.values.keys() == _SENT_KEYS and settle.values["status"] == OutboxStatus.SENT

    async def _apply(self, conn: AsyncConnection, settle: Settle) -> None:
        """Write a settle on its own (one statement: atomic in autocommit)."""
        values = settle.values
        if self._is_sent(settle):
            await self._exec(
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

    def _notify_failure(self, settle: Settle) -> None:
        if settle.reportable and self.on_failure is not None:
            try:
                self.on_failure()
            except Exception:
                log.exception("outbox: failure callback raised")

    def _due_filter(self, now: datetime) -> Any:
        return (
            (_c.status == OutboxStatus.PENDING)
            & (_c.next_attempt_at <= now)
            & (_c.platform == self.platform)
            & or_(_c.bot_id.is_(None), _c.bot_id == self.account)
        )

    async def _claim(self) -> QueuedMessage | None:
        """Settle the previous call (if not yet) and claim the next due row. A `sent` settle and
        the claim share one statement; every statement is atomic on its own."""
        settle = self._pending_settle
        now = self.clock.now()
        conn = await self._connection()
        combine = settle is not None and self._is_sent(settle) and not settle.continue_row
        if settle is not None and not combine:
            await self._flush_settle()
            settle = None
        claimed: QueuedMessage | None = None
        if self._continue_id is not None:
            rows = (
                await conn.execute(
                    select(*_FIXED).where(_c.id == self._continue_id, self._due_filter(now))
                )
            ).all()
            self._continue_id = None
            self._candidates.extendleft(rows)
        for _ in range(3):
            if not self._candidates:
                rows = (
                    await self._exec(
                        conn,
                        _PREFETCH_DUE,
                        {"now": now, "account": self.account, "b_platform": self.platform},
                    )
                ).all()
                if not rows:
                    break
                self._candidates.extend(rows)
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
                    returned = (await self._exec(conn, _SETTLE_AND_CLAIM, params)).all()
                    self._pending_settle = None
                    self._notify_failure(settle)
                    settle = None
                    changing = next((r[1:] for r in returned if r[0] == fixed[0]), None)
                else:
                    changing = (await self._exec(conn, _CLAIM, params)).first()
                if changing is not None:  # claimed; fresh values of what the sender changes
                    claimed = QueuedMessage.from_parts(fixed, changing)
                    break
            if claimed is not None:
                break
        if settle is not None:  # nothing to claim: write the settle alone
            await self._flush_settle()
        return claimed

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

    async def recover(self) -> RecoveryReport:
        """Rows left ``sending``: this account's (a previous connection or process died during the
        call) and anyone's stuck longer than :data:`STALE_AFTER`. At most once: the in-flight
        chunk counts as delivered (see the module docstring)."""
        now = self.clock.now()
        report = RecoveryReport()
        self._candidates.clear()
        self._recovered = True
        async with self.db.engine.begin() as conn:
            rows = (
                await conn.execute(
                    select(_table).where(
                        _c.status == OutboxStatus.SENDING,
                        or_(_c.claimed_by == self.account, _c.claimed_at < now - STALE_AFTER),
                    )
                )
            ).all()
            for row in rows:
                message = QueuedMessage.from_row(row)
                values, outcome = _recovery(message, now)
                getattr(report, outcome).append(message.id)
                await conn.execute(
                    update(_table)
                    .where(_c.id == message.id, _c.status == OutboxStatus.SENDING)
                    .values(**values)
                )
        if report.uncertain or report.advanced or report.resent:
            log.warning(
                "outbox: rows left in flight by a crash or lost connection: %s sent once more "
                "(one-to-one), %s given up as uncertain, %s moved on to their next part",
                report.resent,
                report.uncertain,
                report.advanced,
            )
        return report


_LOST = "发送过程中进程中断，无法确认该条是否送达"


def _recovery(message: QueuedMessage, now: datetime) -> tuple[dict[str, Any], str]:
    """What becomes of a row left ``sending`` (see the module docstring), and which list of
    :class:`RecoveryReport` it goes in."""
    if message.target_type == "private" and message.timeouts < 1:
        # one-to-one: its call is resent once (as after a timeout), marked 补发 when it is the
        # first part (a later part continues a message already under way)
        parts = mark_resent(message.parts) if message.chunks_sent == 0 else None
        values: dict[str, Any] = {
            "status": OutboxStatus.PENDING,
            "timeouts": message.timeouts + 1,
            "next_attempt_at": now,
            "last_error": f"{_LOST}，补发一次",
        }
        if parts is not None:
            values["parts"] = parts
        return values, "resent"
    total = len(message.chunks())
    if message.chunks_sent + 1 >= total:
        return {
            "status": OutboxStatus.UNCERTAIN,
            "chunks_sent": total,
            "last_error": f"{_LOST}（不再重发）",
            "reported_at": now,  # a crash: logged, not reported to staff
        }, "uncertain"
    return {
        "status": OutboxStatus.PENDING,
        "chunks_sent": message.chunks_sent + 1,
        "next_attempt_at": now,
        "last_error": f"第{message.chunks_sent + 1}段{_LOST}（不再重发）",
    }, "advanced"


async def status_counts(db: Database) -> dict[str, int]:
    """How many outbox rows are in each status (for `推送` and diagnostics)."""
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(_c.status, func.count()).group_by(_c.status))).all()
    return {str(status): int(count) for status, count in rows}


def chunk_texts(chunks: Sequence[Chunk]) -> list[str]:
    """The text of each chunk (tests, logs)."""
    return [chunk.text for chunk in chunks]
