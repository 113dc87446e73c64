"""Leases in the database: which instance does the work that only one may do at a time.

Two bot processes may share one database (a second bot account, or a stand-by). Some work must
run in one of them only: the scheduled jobs (digests, the reminder sweep, the discussions' sweep,
the daily prune: lease ``schedules``), and the draining of one account's outbox (lease
``outbox:<account>``: one sender per account, so the account's rate limit holds, and only the
holder settles the rows its account left in flight).

A lease is one row (``lease``: name, holder, expires_at). It is taken or renewed by ONE
statement, ``INSERT … ON CONFLICT (name) DO UPDATE … WHERE holder = mine OR expires_at <= now``:
atomic on SQLite and PostgreSQL alike, so two instances racing for a free lease get it once.
The holder renews it every ``renew_seconds``; it lasts ``seconds``; when the holder dies, the
other instance takes it on its first attempt after the expiry (within ``seconds +
renew_seconds``). A clean stop releases it at once. The holder is the instance's name
(INSTANCE_NAME, by default "<host>:<PORT>"): an instance restarted after a crash is the same
holder and takes its leases back at once, not after the expiry.

The holder counts itself the holder only until ``margin`` before the expiry it wrote, measured
from *before* its renewal was sent: when renewals fail (the database is unreachable), it stops
before anyone else can take over. Times are this process's clock: the instances' hosts must
keep their clocks in step (NTP); a skew smaller than ``margin`` is harmless.

With ``seconds = 0`` leases are off: this process holds every lease (tests; one instance).
On SQLite with one process the lease is trivially held by it.

Framework-free: :class:`LeaseKeeper` runs its own asyncio task; listeners are told of every
change (``taken`` / ``lost``), and work checks :meth:`LeaseKeeper.holds` before each step.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bot.core.clock import Clock, as_utc
from bot.core.models import Lease

if TYPE_CHECKING:
    from bot.core.db import Database

log = logging.getLogger(__name__)

SCHEDULES = "schedules"
"""The lease of the scheduled jobs (digests, reminders, discussions, housekeeping)."""

_table = Lease.__table__  # type: ignore[attr-defined]
_c = _table.c

Listener = Callable[[str, bool], Awaitable[None] | None]
"""Told ``(name, held)`` whenever this process takes (True) or loses (False) a lease."""


def outbox_lease(account: str) -> str:
    """The lease of one bot account's outbox."""
    return f"outbox:{account}"


def default_holder() -> str:
    """A process with no instance name (INSTANCE_NAME; bot.settings gives "<host>:<PORT>"):
    host, pid and a random tag, a holder of its own."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class LeaseState:
    name: str
    holder: str
    expires_at: datetime


class LeaseStore:
    """The ``lease`` table: take/renew, release, read."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _take_statement(self, name: str, holder: str, now: datetime, expires: datetime) -> Any:
        factory = sqlite_dialect.insert if self.db.is_sqlite else postgresql.insert
        insert = factory(_table).values(
            name=name, holder=holder, acquired_at=now, renewed_at=now, expires_at=expires
        )
        new = insert.excluded
        return insert.on_conflict_do_update(
            index_elements=[_c.name],
            set_={
                "holder": new.holder,
                "renewed_at": new.renewed_at,
                "expires_at": new.expires_at,
                "acquired_at": case(
                    (_c.holder == new.holder, _c.acquired_at), else_=new.acquired_at
                ),
            },
            where=(_c.holder == new.holder) | (_c.expires_at <= new.renewed_at),
        ).returning(_c.holder)

    async def take(self, name: str, holder: str, now: datetime, seconds: float) -> bool:
        """Take ``name`` (free, expired, or already ours) until ``now + seconds``, in one
        statement; False when someone else holds it."""
        statement = self._take_statement(name, holder, now, now + timedelta(seconds=seconds))
        async with self.db.engine.begin() as conn:
            row = (await conn.execute(statement)).first()
        return row is not None and row[0] == holder

    async def release(self, name: str, holder: str) -> bool:
        """Give ``name`` up (only if ours): the other instance may take it at once."""
        async with self.db.engine.begin() as conn:
            result = await conn.execute(delete(_table).where(_c.name == name, _c.holder == holder))
        return bool(result.rowcount)

    async def current(self, name: str) -> LeaseState | None:
        async with self.db.engine.connect() as conn:
            row = (
                await conn.execute(select(_c.holder, _c.expires_at).where(_c.name == name))
            ).first()
        return None if row is None else LeaseState(name, row[0], as_utc(row[1]))


class LeaseKeeper:
    """This process's leases: the names it wants, which it holds, and the task renewing them."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        seconds: float = 45.0,
        renew_seconds: float = 15.0,
        holder: str | None = None,
    ) -> None:
        self.store = LeaseStore(db)
        self.clock = clock
        self.seconds = max(0.0, seconds)
        self.renew_seconds = max(0.05, min(renew_seconds, self.seconds / 2 or renew_seconds))
        # stop this long before the expiry written: a renewal in flight, a little clock skew
        self.margin = timedelta(seconds=min(5.0, self.seconds / 5))
        self.holder = holder or default_holder()
        self._wanted: set[str] = set()
        self._until: dict[str, datetime] = {}  # held names: held until (local reckoning)
        self._standby_logged: set[str] = set()
        self._told: set[str] = set()  # names the listeners were last told are held
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def holds(self, name: str) -> bool:
        """Whether this process may do ``name``'s work now."""
        if not self.enabled:
            return True
        until = self._until.get(name)
        return until is not None and self.clock.now() < until

    def held(self) -> list[str]:
        return sorted(n for n in self._wanted if self.holds(n))

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # ------------------------------------------------------------------ wanting

    async def want(self, name: str) -> bool:
        """Try for ``name`` now, and keep trying (renewing once held). Whether it is held."""
        self._wanted.add(name)
        if not self.enabled:
            await self._tell(name, True)
            return True
        await self._attempt(name)
        return self.holds(name)

    async def forgo(self, name: str) -> None:
        """Stop wanting ``name``; release it if held (the other instance may take it now)."""
        wanted = name in self._wanted
        self._wanted.discard(name)
        self._standby_logged.discard(name)
        self._until.pop(name, None)
        was_held = name in self._told
        if not self.enabled:
            if wanted:
                await self._tell(name, False)
            return
        async with self._lock:  # after a take in flight, before a new want's take
            try:
                if await self.store.release(name, self.holder):
                    log.info("lease %s: released by this instance (%s)", name, self.holder)
            except Exception:
                log.warning("lease %s: release failed; it expires by itself", name, exc_info=True)
        if was_held and name not in self._wanted:  # (not wanted again meanwhile)
            await self._tell(name, False)

    # ------------------------------------------------------------------ renewing

    async def tick(self) -> None:
        """One round: take or renew every wanted lease; notice those that ran out."""
        for name in sorted(self._wanted):
            await self._attempt(name)

    async def _attempt(self, name: str) -> None:
        async with self._lock:
            if name not in self._wanted:
                return
            was = name in self._told
            started = self.clock.now()
            try:
                taken = await self.store.take(name, self.holder, started, self.seconds)
            except Exception as exc:
                log.warning("lease %s: could not reach the database (%s)", name, exc)
                taken = None
            if taken:
                self._until[name] = started + timedelta(seconds=self.seconds) - self.margin
                self._standby_logged.discard(name)
            elif taken is False:
                self._until.pop(name, None)
            now_held = self.holds(name)
        if now_held and not was:
            if name in self._wanted:
                log.info("lease %s: taken by this instance (%s)", name, self.holder)
                await self._tell(name, True)
        elif was and not now_held:
            await self._log_lost(name)
            await self._tell(name, False)
        elif not now_held and taken is False and name not in self._standby_logged:
            self._standby_logged.add(name)
            other = await self._current(name)
            who = f"{other.holder} until {other.expires_at:%H:%M:%S} UTC" if other else "another"
            log.info("lease %s: held by %s; this instance stands by", name, who)

    async def _log_lost(self, name: str) -> None:
        other = await self._current(name)
        who = f"now held by {other.holder}" if other and other.holder != self.holder else ""
        log.info("lease %s: lost by this instance (%s) %s", name, self.holder, who)

    async def _current(self, name: str) -> LeaseState | None:
        try:
            return await self.store.current(name)
        except Exception:
            return None

    async def _tell(self, name: str, held: bool) -> None:
        if held:
            self._told.add(name)
        else:
            self._told.discard(name)
        for listener in list(self._listeners):
            try:
                result = listener(name, held)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("lease %s: a listener failed", name)

    # ------------------------------------------------------------------ the task

    async def start(self) -> None:
        """Start renewing (the first round runs before this returns)."""
        if not self.enabled or self._task is not None:
            return
        await self.tick()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="lease-keeper")

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self._next_wait())
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("leases: a renewal round failed")

    def _next_wait(self) -> float:
        """Until the next renewal, or sooner when a held lease runs out first (it is then
        found lost at once, not a renewal later)."""
        wait = self.renew_seconds
        now = self.clock.now()
        for name in self._wanted:
            until = self._until.get(name)
            if until is not None:
                wait = min(wait, max(0.05, (until - now).total_seconds() + 0.01))
        return wait

    async def stop(self) -> None:
        """Stop renewing and release every lease held (a clean stop: the other instance takes
        over at its next attempt, not after the expiry)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for name in sorted(self._wanted):
            await self.forgo(name)
