"""Database access: the async engine, sessions, schema upgrades and backups."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine, Table, event, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import bot.core.models  # noqa: F401  (registers the tables)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence

P = ParamSpec("P")
T = TypeVar("T")

_LAZY_COMMIT = text("SET LOCAL synchronous_commit TO OFF")

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_pre_ping=False
        )
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    if is_sqlite(url):
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


class Database:
    """Owns the engine; hands out sessions. One per process.

    Two ways in: :meth:`session` (async, for most work) and :meth:`run_sync`, which runs a
    synchronous unit of work in one go. On a SQLite file, every async statement costs several
    thread hops (aiosqlite runs each cursor call on its own thread, ~0.1 ms a hop); `run_sync`
    instead runs the whole transaction on one worker thread through a plain sqlite3 engine on
    the same file, so a hot path (a post, the duplicate-event check) pays one hop, not dozens.
    On PostgreSQL it is ``AsyncSession.run_sync`` (asyncpg needs no threads).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        self._insert_or_ignore: dict[str, Any] = {}
        self._insert: dict[str, Any] = {}
        self.migration: Migration | None = None
        """What the last :meth:`upgrade` did (None before one ran)."""
        self._sync_engine: Engine | None = None
        self._sync_sessions: sessionmaker[Session] | None = None
        if sqlite_path(url) is not None:
            self._sync_engine = create_sync_engine(
                make_url(url).set(drivername="sqlite"),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            )
            event.listen(self._sync_engine, "connect", _set_sqlite_pragmas)
            self._sync_sessions = sessionmaker(
                self._sync_engine, class_=Session, expire_on_commit=False
            )

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    async def run_sync(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(session, *args, **kwargs)`` with a fresh synchronous session; returns its result.

        `fn` commits what it wants kept (uncommitted work is rolled back) and must not touch the
        event loop: on SQLite it runs in a worker thread. Objects it returns are detached and
        keep their loaded attributes.
        """
        return await self._run(False, fn, *args, **kwargs)

    async def run_sync_lazy(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """:meth:`run_sync` for bookkeeping that may be lost if the *database server* crashes
        right after the commit (which re-delivered event was seen, which bot message stands
        for which record): on PostgreSQL its first commit does not wait for the disk
        (``synchronous_commit = off``, a fraction of a second at risk; nothing is corrupted,
        and a crash of the bot itself loses nothing). SQLite (WAL, ``synchronous=NORMAL``)
        already commits so."""
        return await self._run(True, fn, *args, **kwargs)

    async def _run(
        self,
        lazy: bool,
        fn: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        if self._sync_sessions is not None:
            return await asyncio.to_thread(self._run_in_thread, fn, *args, **kwargs)
        async with self.session() as session:
            if lazy:
                await session.exec(_LAZY_COMMIT)  # type: ignore[call-overload]
            return await session.run_sync(fn, *args, **kwargs)

    def _run_in_thread(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        assert self._sync_sessions is not None
        with self._sync_sessions() as session:
            return fn(session, *args, **kwargs)

    def insert_or_ignore(self, table: Table) -> Any:
        """An INSERT into ``table`` that skips a row clashing with a unique constraint: one
        statement, and the caller's transaction stays usable (unlike catching IntegrityError).
        Pass the row as parameters: ``session.exec(db.insert_or_ignore(t), params=row)``
        (the statement is built once per table and its compiled form cached)."""
        statement = self._insert_or_ignore.get(table.name)
        if statement is None:
            factory = sqlite_dialect.insert if self.is_sqlite else postgresql.insert
            statement = self._insert_or_ignore[table.name] = factory(table).on_conflict_do_nothing()
        return statement

    def insert_rows(self, session: Session, rows: Sequence[SQLModel]) -> list[int]:
        """INSERT SQLModel objects of one table with Core statements, bypassing the ORM's unit
        of work (which costs several times what SQLite takes to store a row: this is for hot
        paths inside :meth:`run_sync`). Sets and returns their ids; the objects stay detached.
        """
        if not rows:
            return []
        table: Table = type(rows[0]).__table__  # type: ignore[attr-defined]
        columns = [column for column in table.columns if not column.primary_key]
        statement = self._insert.get(table.name)
        if statement is None:
            statement = self._insert[table.name] = table.insert().returning(table.c.id)
        ids = []
        for row in rows:  # RETURNING with executemany is not portable: one statement a row
            values = {column.name: getattr(row, column.key) for column in columns}
            row_id = session.exec(statement, params=values).scalar_one()  # type: ignore[call-overload]
            row.id = row_id  # type: ignore[attr-defined]
            ids.append(row_id)
        return ids

    def insert_many(self, session: Session, rows: Sequence[SQLModel]) -> None:
        """INSERT SQLModel objects of one table in ONE executemany (SQLAlchemy batches it into
        multi-row INSERTs), when their ids are not needed: e.g. the N-1 outbox rows of a
        discussion relay. The objects stay detached, without ids."""
        if not rows:
            return
        table: Table = type(rows[0]).__table__  # type: ignore[attr-defined]
        columns = [column for column in table.columns if not column.primary_key]
        values = [{column.name: getattr(row, column.key) for column in columns} for row in rows]
        session.execute(table.insert(), values)

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration, one process at a time; what it did (the
        revisions from and to, or that the schema was up to date) is logged and kept in
        :attr:`migration`.

        Processes sharing the database (two bots started together, or `db upgrade` while a bot
        starts) would otherwise run the same migrations at once and fail on each other's
        tables. So the whole upgrade is one transaction that first takes a database-wide lock:
        on PostgreSQL a transaction-level advisory lock (released by the commit), on SQLite
        ``BEGIN EXCLUSIVE`` (its DDL is transactional too). A process that waited finds the
        schema at head and has nothing left to do.

        On SQLite, foreign keys are not enforced while migrating (a batch migration rebuilds
        a table by dropping it, and the pragma cannot change inside the transaction): they are
        checked before the commit instead, and enforced again afterwards.
        """
        conn = await self._connect_for_migrations()
        sqlite = conn.dialect.name == "sqlite"
        try:
            migration = await run_migrations(conn)
            if sqlite:
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
            await conn.commit()
        finally:
            if sqlite:
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            await conn.close()
        self.migration = migration
        log.info("%s", migration)

    async def _connect_for_migrations(self) -> AsyncConnection:
        """A connection whose transaction holds the migration lock (waits for another process).

        On SQLite, one attempt waits at most the busy timeout, and another process's whole
        upgrade can take longer on a loaded machine; on a fresh file even opening a connection
        waits for it (switching the file to WAL needs the lock). So both are tried again until
        MIGRATION_WAIT_SECONDS have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MIGRATION_WAIT_SECONDS
        while True:
            conn: AsyncConnection | None = None
            try:
                conn = await self.engine.connect()
                if conn.dialect.name == "sqlite":
                    await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                await _lock_for_migrations(conn)
                return conn
            except OperationalError as exc:
                if conn is not None:
                    await conn.close()
                if not self.is_sqlite or "locked" not in str(exc) or loop.time() > deadline:
                    raise
                await asyncio.sleep(0.1)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._sync_engine is not None:
            self._sync_engine.dispose()


def alembic_config(connection: Any | None = None, url: str | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


MIGRATION_LOCK_KEY = 0x63707063_6D696772  # "cppcmigr": this application's advisory lock id


#: How long an upgrade waits for another process's upgrade of the same SQLite file.
MIGRATION_WAIT_SECONDS = 300


async def _lock_for_migrations(conn: AsyncConnection) -> None:
    """Begin `conn`'s transaction holding the database's migration lock (waits for it)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # the driver would not begin a transaction for DDL by itself; a wait longer than the
        # busy timeout is tried again by Database._connect_for_migrations
        await conn.exec_driver_sql("BEGIN EXCLUSIVE")


@dataclass(frozen=True)
class Migration:
    """What an upgrade did: the schema's revision before and after (None: an empty database)."""

    before: str | None
    after: str | None

    @property
    def applied(self) -> bool:
        return self.before != self.after

    def __str__(self) -> str:
        if not self.applied:
            return f"database migrations: up to date (revision {self.after or 'base'})"
        return f"database migrations applied: {self.before or 'base'} -> {self.after or 'base'}"


def _current_revision(sync_conn: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(sync_conn).get_current_revision()


async def run_migrations(conn: AsyncConnection, revision: str = "head") -> Migration:
    from alembic import command

    def _upgrade(sync_conn: Any) -> Migration:
        before = _current_revision(sync_conn)
        command.upgrade(alembic_config(sync_conn), revision)
        return Migration(before, _current_revision(sync_conn))

    return await conn.run_sync(_upgrade)


async def upgrade_database(url: str) -> None:
    db = Database(url)
    try:
        await db.upgrade()
    finally:
        await db.dispose()


def backup_sqlite(url: str, target: Path) -> Path:
    """A consistent copy of the SQLite file, safe while the bot runs (SQLite online backup)."""
    source = sqlite_path(url)
    if source is None:
        raise ValueError("只有 SQLite 数据库可以这样备份；PostgreSQL 请使用 pg_dump。")
    if not source.exists():
        raise FileNotFoundError(f"数据库文件不存在：{source}")
    if target.exists() and target.resolve() == source.resolve():
        raise ValueError("备份文件不能是数据库文件本身，请换一个路径。")
    if target.is_dir():
        raise ValueError(
            f"{target} 是一个文件夹，请写出备份文件名，例如 {target / 'cppcc-backup.db'}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


async def backup_sqlite_async(url: str, target: Path) -> Path:
    return await asyncio.to_thread(backup_sqlite, url, target)
