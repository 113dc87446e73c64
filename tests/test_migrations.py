"""The models and the migrations agree: an empty database upgraded to head has exactly the
tables, columns, indexes and constraints the models declare (alembic's compare_metadata finds
nothing to autogenerate), on SQLite and on PostgreSQL; every migration goes down to base and up
again; and an upgrade says what it did (the start-up log shows it)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from bot.core.db import Database, Migration, alembic_config, run_migrations
from tests import dbutil

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database: a SQLite file, or (with TEST_DATABASE_URL) a fresh PostgreSQL one."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
    elif dbutil.is_postgres():
        url = await dbutil.create_database(tmp_path)
    else:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL=postgresql+asyncpg://…/postgres")
    db = Database(url)
    try:
        yield db
    finally:
        await db.dispose()
        await dbutil.drop_database(url)


def _differences(sync_conn: Any) -> list[Any]:
    # the options bot/migrations/env.py autogenerates with
    context = MigrationContext.configure(
        sync_conn,
        opts={"compare_type": True, "render_as_batch": sync_conn.dialect.name == "sqlite"},
    )
    return list(compare_metadata(context, SQLModel.metadata))


async def differences(db: Database) -> list[Any]:
    async with db.engine.connect() as conn:
        return await conn.run_sync(_differences)


async def tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))


async def downgrade_to_base(db: Database) -> None:
    def down(sync_conn: Any) -> None:
        command.downgrade(alembic_config(sync_conn), "base")

    async with db.engine.connect() as conn:
        if db.is_sqlite:  # batch rebuilds drop tables: as Database.upgrade does
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await conn.run_sync(down)
        await conn.commit()
        if db.is_sqlite:
            await conn.exec_driver_sql("PRAGMA foreign_keys=ON")


async def test_the_migrations_build_what_the_models_declare(empty_db: Database) -> None:
    await empty_db.upgrade()
    assert set(SQLModel.metadata.tables) <= await tables(empty_db)
    assert await differences(empty_db) == []
    # the comparison does see what the models do not declare
    async with empty_db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
    assert [(d[0], d[1].name) for d in await differences(empty_db)] == [("remove_table", "stray")]


async def test_down_to_base_and_up_again(empty_db: Database) -> None:
    await empty_db.upgrade()
    await downgrade_to_base(empty_db)
    assert await tables(empty_db) <= {"alembic_version"}
    await empty_db.upgrade()
    assert empty_db.migration == Migration(None, head_revision())
    assert await differences(empty_db) == []


async def test_an_upgrade_says_what_it_did(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'log.db'}")
    head = head_revision()
    try:
        async with db.engine.connect() as conn:
            await run_migrations(conn, "0003")  # a database from an older release
            await conn.commit()
        with caplog.at_level(logging.INFO, logger="bot.core.db"):
            await db.upgrade()
            assert db.migration == Migration("0003", head)
            await db.upgrade()
            assert db.migration == Migration(head, head)
    finally:
        await db.dispose()
    assert [r.getMessage() for r in caplog.records if r.name == "bot.core.db"] == [
        f"database migrations applied: 0003 -> {head}",
        f"database migrations: up to date (revision {head})",
    ]
    assert str(Migration(None, head)) == f"database migrations applied: base -> {head}"


async def test_the_session_database_is_at_head_with_nothing_to_generate(db_url: str) -> None:
    """The suite's own database (SQLite, or PostgreSQL with TEST_DATABASE_URL) agrees too."""
    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        assert version == head_revision()
        assert await differences(db) == []
    finally:
        await db.dispose()


@pytest.fixture
def db_url(services: Any) -> str:
    return services.config.database_url
