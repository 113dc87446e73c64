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
   synchronous connection in the event loop's thread, see bot/core/delivery/connection.py).

So a restart never repeats a settled call. (On PostgreSQL the sender's connection commits
without waiting for the disk: a crash of the bot loses nothing, but a crash of the database
server a fraction of a second after a claim could forget it, and that message would go out once
more. The drain rate is worth it; see SenderConnection.get.) The only unknown is a row still
``sending`` after a crash: the process died between steps 1 and 3, and its call may or may not
have reached the client. Such rows are settled at start-up, one-to-one ones resent once (marked
补发), group ones at most once: bot/core/delivery/recovery.py says why.

Where the pieces are: claims.py (claiming and settling rows), failures.py (what a failed call
means: timeouts resent at most once, transient failures retried with backoff, permanent ones
reported to staff), recovery.py (rows left in flight), connection.py (the hot-path connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import func, select

from bot.core.delivery import recovery
from bot.core.delivery.claims import (
    Claims,
    QueuedMessage,
    Settle,
    next_chunk_settle,
    sent_settle,
)
from bot.core.delivery.failures import (
    DeliveryError,
    FailureKind,
    failed_settle,
    may_reroute,
    rerouted_settle,
)
from bot.core.delivery.outbox import LINKED_PURPOSES
from bot.core.models import OutboxMessage

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from datetime import datetime

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.chunks import Chunk
    from bot.core.delivery.recovery import RecoveryReport

log = logging.getLogger(__name__)

_c = OutboxMessage.__table__.c  # type: ignore[attr-defined]


class Transport(Protocol):
    """Sends one chunk of a message through one bot account; raises :class:`DeliveryError`
    with a platform-neutral :class:`FailureKind`."""

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


class OutboxSender:
    """Drains the outbox for one bot account.

    ``permit`` (when given) is asked before every claim: False (this process lost the account's
    outbox lease, bot/core/leases.py) ends the sender at once. ``alternate`` names another
    account that may send a group message that failed for good through this one (connected and
    in the group), or None; the row is then handed to it, once, and ``on_rerouted`` is called
    (wake the other sender)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        transport: Transport,
        limiter: RateLimiter,
        *,
        on_failure: Callable[[], None] | None = None,
        poll_interval: float = 10.0,
        permit: Callable[[], bool] | None = None,
        alternate: Callable[[QueuedMessage], str | None] | None = None,
        on_rerouted: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.transport = transport
        self.limiter = limiter
        self.account = transport.account
        self.platform = getattr(transport, "platform", "qq")
        self.on_failure = on_failure
        self.poll_interval = max(0.05, poll_interval)
        self.permit = permit
        self.alternate = alternate
        self.on_rerouted = on_rerouted
        self.claims = Claims(db, clock, self.account, self.platform, on_settled=self._settled)
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
                    await self.claims.connection.close()
                    if self._stopping:
                        break
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), min(30.0, 0.5 * 2**errors))
        finally:
            await self.close()

    async def close(self) -> None:
        """Commit the last settle (if it can be) and return the database connection."""
        await self.claims.close()

    async def recover(self) -> RecoveryReport:
        """Settle the rows left ``sending`` (bot/core/delivery/recovery.py)."""
        self.claims.forget_read_ahead()
        self._recovered = True
        return await recovery.recover(self.db, self.account, self.clock.now())

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending row for this account becomes due (None: nothing pending)."""
        return await self.claims.next_due_at()

    async def _idle(self) -> None:
        timeout = self.poll_interval
        due = await self.claims.next_due_at()
        if due is not None:
            timeout = min(timeout, max(0.05, (due - self.clock.now()).total_seconds()))
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass

    def _settled(self, settle: Settle) -> None:
        if settle.reportable and self.on_failure is not None:
            try:
                self.on_failure()
            except Exception:
                log.exception("outbox: failure callback raised")

    # ------------------------------------------------------------------ one step

    async def step(self) -> bool:
        """Claim and send one chunk of the next due message; False when nothing is due."""
        claims = self.claims
        if claims.pending is not None and self.limiter.delay() > 0:
            await claims.flush()
        await self.limiter.wait()
        if self.permit is not None and not self.permit():
            log.info(
                "outbox: %s stops sending: this instance no longer holds its lease", self.account
            )
            self._stopping = True
            await claims.flush()
            return False
        message = await claims.claim()
        if message is None:
            return False
        chunks = message.chunks()
        if message.chunks_sent >= len(chunks):  # all delivered before (e.g. recovered row)
            claims.pending = self._sent(message, message.sent_message_id)
            return True
        try:
            message_id = await self.transport.send(message, chunks[message.chunks_sent])
        except DeliveryError as error:
            if error.kind is FailureKind.DISCONNECTED:
                self._stopping = True  # the connection is gone: this sender is done
            await self._failed(message, error)
            return True
        except Exception as exc:  # a bug in the transport: count it as a transient failure
            log.exception("outbox: sending message %s failed unexpectedly", message.id)
            error = DeliveryError(FailureKind.TRANSIENT, "发送时出错", repr(exc)[:200])
            await self._failed(message, error)
            return True
        self.limiter.done()
        if message.purpose in LINKED_PURPOSES and message.chunks_sent == 0:
            await claims.link(message, message_id)
        if message.chunks_sent + 1 < len(chunks):
            claims.pending = next_chunk_settle(message, message_id, self.clock.now(), self.account)
        else:
            claims.pending = self._sent(message, message.sent_message_id or message_id)
        if self.limiter.delay() > 0:
            await claims.flush()
        return True

    def _sent(self, message: QueuedMessage, message_id: str | None) -> Settle:
        self.sent_count += 1
        return sent_settle(message, message_id, self.clock.now())

    async def _failed(self, message: QueuedMessage, error: DeliveryError) -> None:
        self.limiter.done()
        now = self.clock.now()
        settle = failed_settle(message, error, now)
        other = self._alternate(message) if may_reroute(message, settle) else None
        if other is not None:
            settle = rerouted_settle(message, settle, self.account, other, now)
        self.claims.pending = settle
        await self.claims.flush()  # failures are rare: commit at once
        if other is not None and self.on_rerouted is not None:
            self.on_rerouted()

    def _alternate(self, message: QueuedMessage) -> str | None:
        if self.alternate is None:
            return None
        try:
            other = self.alternate(message)
        except Exception:
            log.exception("outbox: looking for another account for message %s failed", message.id)
            return None
        return other if other and other != self.account else None


async def status_counts(db: Database) -> dict[str, int]:
    """How many outbox rows are in each status (for `推送` and diagnostics)."""
    async with db.engine.connect() as conn:
        rows = (await conn.execute(select(_c.status, func.count()).group_by(_c.status))).all()
    return {str(status): int(count) for status, count in rows}


def chunk_texts(chunks: Sequence[Chunk]) -> list[str]:
    """The text of each chunk (tests, logs)."""
    return [chunk.text for chunk in chunks]
