"""Storage: SQLite pragmas, idempotent migrations, consistent online backups."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import TYPE_CHECKING

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, func, select

from bot.core.clock import utcnow
from bot.core.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    Database,
    alembic_config,
    backup_sqlite,
    backup_sqlite_async,
    sqlite_path,
)
from bot.core.models import Member
from tests import dbutil

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.core.services import Services


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def add_members(db: Database, start: int, count: int) -> None:
    async with db.session() as session:
        for n in range(start, start + count):
            session.add(Member(user_id=str(100000 + n), name=f"委员{n}", created_at=utcnow()))
        await session.commit()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await db.upgrade()
    yield db
    await db.dispose()


async def test_sqlite_connections_use_wal_and_busy_timeout(sqlite_db: Database) -> None:
    async with sqlite_db.engine.connect() as conn:
        journal = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
        timeout = (await conn.execute(text("PRAGMA busy_timeout"))).scalar()
        foreign_keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar()
    assert str(journal).lower() == "wal"
    assert timeout == SQLITE_BUSY_TIMEOUT_MS
    assert foreign_keys == 1


async def test_every_pooled_connection_gets_the_pragmas(sqlite_db: Database) -> None:
    async with sqlite_db.engine.connect() as first, sqlite_db.engine.connect() as second:
        for conn in (first, second):
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == (
                SQLITE_BUSY_TIMEOUT_MS
            )


async def test_upgrade_creates_every_table_and_is_idempotent(tmp_path: Path) -> None:
    url = await dbutil.create_database(tmp_path)
    db = Database(url)
    try:
        await db.upgrade()
        await add_members(db, 0, 3)
        await db.upgrade()  # a second run changes nothing and loses nothing
        async with db.engine.connect() as conn:
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert version == [(head_revision(),)]
        assert set(SQLModel.metadata.tables) <= tables
        async with db.session() as session:
            assert (await session.exec(select(func.count()).select_from(Member))).one() == 3
    finally:
        await db.dispose()
        await dbutil.drop_database(url)


async def test_running_database_is_at_head(services: Services) -> None:
    await services.db.upgrade()
    async with services.db.engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    assert version == head_revision()


async def test_backup_copy_opens_and_has_the_rows(sqlite_db: Database, tmp_path: Path) -> None:
    await add_members(sqlite_db, 0, 5)
    target = await backup_sqlite_async(sqlite_db.url, tmp_path / "backups" / "copy.db")
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = [r[0] for r in copy.execute("SELECT name FROM member ORDER BY user_id")]
        version = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    assert names == [f"委员{n}" for n in range(5)]
    assert version == (head_revision(),)


async def test_backup_leaves_out_an_open_transaction(sqlite_db: Database, tmp_path: Path) -> None:
    """Another connection is in the middle of writing: the copy has the committed state only,
    and the backup does not wait for the writer (WAL)."""
    await add_members(sqlite_db, 0, 2)
    path = sqlite_path(sqlite_db.url)
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO member (platform, user_id, name, is_member, is_staff, active, source,"
            " created_at, updated_at) VALUES ('qq', '999999', '未提交', 1, 0, 1, 'roster',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        target = backup_sqlite(sqlite_db.url, tmp_path / "mid-write.db")
        writer.execute("COMMIT")
    finally:
        writer.close()
    with sqlite3.connect(target) as copy:
        count = copy.execute("SELECT count(*) FROM member").fetchone()[0]
        uncommitted = copy.execute("SELECT count(*) FROM member WHERE user_id='999999'").fetchone()
    assert count == 2
    assert uncommitted == (0,)


async def test_backup_while_another_connection_writes(sqlite_db: Database, tmp_path: Path) -> None:
    """Batches of ten commit while copies are taken: each copy holds whole batches only."""
    await add_members(sqlite_db, 0, 10)
    stop = asyncio.Event()

    async def keep_writing() -> int:
        batches = 1
        while not stop.is_set():
            await add_members(sqlite_db, batches * 10, 10)
            batches += 1
            await asyncio.sleep(0)
        return batches

    writer = asyncio.create_task(keep_writing())
    counts = []
    try:
        for n in range(3):
            target = await backup_sqlite_async(sqlite_db.url, tmp_path / f"copy{n}.db")
            with sqlite3.connect(target) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                counts.append(copy.execute("SELECT count(*) FROM member").fetchone()[0])
    finally:
        stop.set()
        batches = await writer
    assert all(count % 10 == 0 and count >= 10 for count in counts)
    assert counts == sorted(counts)
    assert max(counts) <= batches * 10


def test_backup_refuses_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pg_dump"):
        backup_sqlite("postgresql+asyncpg://u:p@127.0.0.1/db", tmp_path / "x.db")


def test_backup_of_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backup_sqlite(f"sqlite+aiosqlite:///{tmp_path / 'none.db'}", tmp_path / "x.db")


async def test_backup_refuses_to_overwrite_the_database(sqlite_db: Database) -> None:
    path = sqlite_path(sqlite_db.url)
    assert path is not None
    with pytest.raises(ValueError, match="数据库文件本身"):
        backup_sqlite(sqlite_db.url, path)
    with pytest.raises(ValueError, match="文件夹"):
        backup_sqlite(sqlite_db.url, path.parent)


# ---- Database.run_sync and insert_or_ignore (the hot path's synchronous units of work) ----


async def test_run_sync_keeps_what_it_commits_and_drops_the_rest(services) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    from bot.core.clock import utcnow
    from bot.core.models import SeenEvent

    def work(session: Session, kept: str, dropped: str) -> int:
        session.add(SeenEvent(self_id="1", message_id=kept, seen_at=utcnow()))
        session.commit()
        session.add(SeenEvent(self_id="1", message_id=dropped, seen_at=utcnow()))
        session.flush()  # written but never committed: rolled back when the session closes
        return 7

    assert await services.db.run_sync(work, "kept", "dropped") == 7
    async with services.db.session() as session:
        rows = (await session.exec(select(SeenEvent.message_id))).all()
    assert rows == ["kept"]


async def test_run_sync_returns_detached_objects_with_their_values(services) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    from bot.core.models import Member
    from bot.core.people.members import MemberUpdate

    await services.members.update("20001", MemberUpdate(name="张三", sector="农业界"))

    def load(session: Session) -> Member | None:
        return session.exec(select(Member).where(Member.user_id == "20001")).first()

    member = await services.db.run_sync(load)
    assert member is not None
    assert member.name == "张三"
    assert member.sector == "农业界"


async def test_insert_or_ignore_keeps_the_first_row(services) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    from bot.core.clock import utcnow
    from bot.core.models import SeenEvent

    statement = services.db.insert_or_ignore(SeenEvent.__table__)
    assert services.db.insert_or_ignore(SeenEvent.__table__) is statement  # built once
    first = utcnow()

    def insert_twice(session: Session) -> None:
        session.exec(statement, params={"self_id": "1", "message_id": "9", "seen_at": first})
        # the clash is skipped and the transaction stays usable
        session.exec(statement, params={"self_id": "1", "message_id": "9", "seen_at": utcnow()})
        session.exec(statement, params={"self_id": "1", "message_id": "10", "seen_at": first})
        session.commit()

    await services.db.run_sync(insert_twice)
    async with services.db.session() as session:
        rows = (await session.exec(select(SeenEvent).order_by(SeenEvent.message_id))).all()
    assert [(r.message_id, r.seen_at == first) for r in rows] == [("10", True), ("9", True)]


async def test_run_sync_lazy_commits_without_waiting_for_the_disk_on_postgresql(services) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text
    from sqlmodel import Session, select

    from bot.core.clock import utcnow
    from bot.core.models import SeenEvent

    def work(session: Session) -> str | None:
        setting = None
        if not services.db.is_sqlite:
            setting = session.exec(text("SHOW synchronous_commit")).scalar_one()  # type: ignore[call-overload]
        session.add(SeenEvent(self_id="1", message_id="lazy", seen_at=utcnow()))
        session.commit()
        return setting

    setting = await services.db.run_sync_lazy(work)
    assert setting == (None if services.db.is_sqlite else "off")
    async with services.db.session() as session:
        assert (await session.exec(select(SeenEvent.message_id))).all() == ["lazy"]
        if not services.db.is_sqlite:  # only that transaction: the next one is durable again
            shown = (await session.exec(text("SHOW synchronous_commit"))).scalar_one()  # type: ignore[call-overload]
            assert shown == "on"


async def test_an_upgrade_waits_for_another_upgrade_longer_than_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process migrating the same SQLite file can hold its lock for longer than one
    # busy timeout on a loaded machine: the waiting upgrade keeps asking instead of failing.
    from bot.core import db as db_module

    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")  # as the bot's connections set it
    holder.execute("BEGIN EXCLUSIVE")  # the other process's upgrade under way
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        upgrade = asyncio.create_task(database.upgrade())
        await asyncio.sleep(0.5)  # five busy timeouts
        assert not upgrade.done()
        holder.execute("COMMIT")
        await asyncio.wait_for(upgrade, 60)
        async with database.engine.connect() as conn:
            version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).all()
        assert len(version) == 1
    finally:
        holder.close()
        await database.dispose()


async def test_an_upgrade_of_a_fresh_file_waits_for_another_upgrade_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a file nobody has written yet, even opening a connection waits for the other
    # upgrade (switching the file to WAL needs its lock): that wait is tried again too.
    from bot.core import db as db_module

    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "fresh.db"
    holder = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")  # still in rollback-journal mode: the file is new
    holder.execute("CREATE TABLE other_upgrade (id INTEGER)")
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        upgrade = asyncio.create_task(database.upgrade())
        await asyncio.sleep(0.5)
        assert not upgrade.done()
        holder.execute("COMMIT")
        await asyncio.wait_for(upgrade, 60)
        assert database.migration is not None
    finally:
        holder.close()
        await database.dispose()
