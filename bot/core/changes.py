"""What other processes on the same database changed in tables this one caches.

Several bot processes may share one PostgreSQL database. A process caches what every message
needs (group bindings: :class:`~bot.core.people.channels.ChannelService`), so a change made through
another process must reach that cache within seconds. Each change bumps a version row of its
topic (table ``change_version``) in the same transaction; :meth:`ChangeWatch.refresh` reads the
few version rows at most every ``interval`` seconds (one small query, none on the messages in
between) and advances a local *generation* for every topic whose version moved. A cache
remembers the generation it was loaded at and reloads when it differs.

Why polling and not PostgreSQL LISTEN/NOTIFY: it works the same on SQLite, needs no connection
of its own, and loses nothing when a connection drops (a missed notification would leave a cache
stale until restart; a missed poll is made up by the next one).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import Session, select

from bot.core.models import ChangeVersion

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database

logger = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
"""How stale a cache may be: another process's change is seen after at most this long."""

CHANNELS = "channels"
"""Group bindings (本群 设为 / 本群 取消)."""
CONTACTS = "contacts"
"""Groups through which a person can be reached (forgotten when a temporary session fails)."""

_TABLE = ChangeVersion.__table__  # type: ignore[attr-defined]
_VERSIONS = select(ChangeVersion.topic, ChangeVersion.version)


def _bump_statement(dialect: str) -> Any:
    factory = postgresql.insert if dialect == "postgresql" else sqlite_dialect.insert
    insert = factory(_TABLE).values(version=1)
    return insert.on_conflict_do_update(
        index_elements=[_TABLE.c.topic], set_={"version": _TABLE.c.version + 1}
    )


_BUMPS: dict[str, Any] = {}


def bump_statement(dialect: str) -> Any:
    """``version = version + 1`` for the topic bound as ``topic`` (the row made when missing)."""
    statement = _BUMPS.get(dialect)
    if statement is None:
        statement = _BUMPS[dialect] = _bump_statement(dialect)
    return statement


def _read_versions(session: Session) -> dict[str, int]:
    return {topic: version for topic, version in session.exec(_VERSIONS)}  # noqa: C416 (rows, not pairs)


class ChangeWatch:
    """Tells caches when another process (or this one) changed their topic."""

    def __init__(
        self,
        db: Database,
        *,
        interval: float = CHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.interval = interval
        self._monotonic = monotonic
        self._next_check = float("-inf")
        self._reading: asyncio.Future[None] | None = None
        self._versions: dict[str, int] = {}
        self._generations: dict[str, int] = {}

    def generation(self, topic: str) -> int:
        """Advances each time a change to `topic` is noticed; compare with what a cache saw."""
        return self._generations.get(topic, 0)

    async def refresh(self, *, force: bool = False) -> None:
        """Read the version rows if the last look is `interval` seconds old (or `force`).

        Cheap when not due (a clock read), so it is called on every cached read. Callers that
        arrive while a read is under way wait for it (a burst of messages right after a change
        must not be judged on the old state). A failed read is logged and tried again after the
        interval; the caches stay as they are meanwhile.
        """
        if self._reading is None:
            now = self._monotonic()
            if not force and now < self._next_check:
                return
            self._next_check = now + self.interval
            self._reading = asyncio.ensure_future(self._read())
            self._reading.add_done_callback(self._read_done)
        await asyncio.shield(self._reading)

    def _read_done(self, _reading: asyncio.Future[None]) -> None:
        self._reading = None

    async def _read(self) -> None:
        try:
            versions = await self.db.run_sync(_read_versions)
        except Exception:
            logger.warning("could not read change versions; caches stay as they are", exc_info=True)
            return
        for topic in versions.keys() | self._versions.keys():
            if versions.get(topic) != self._versions.get(topic):
                self._generations[topic] = self._generations.get(topic, 0) + 1
        self._versions = versions

    def bump(self, session: Session, topic: str) -> None:
        """Count a change to `topic` in the caller's (synchronous) transaction."""
        statement = bump_statement(session.get_bind().dialect.name)
        session.exec(statement, params={"topic": topic})  # type: ignore[call-overload]

    async def abump(self, session: AsyncSession, topic: str) -> None:
        """:meth:`bump` in an async session's transaction."""
        statement = bump_statement(session.get_bind().dialect.name)
        await session.exec(statement, params={"topic": topic})  # type: ignore[call-overload]
