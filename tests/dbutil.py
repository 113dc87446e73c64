"""Test databases: a temporary SQLite file, or a fresh PostgreSQL database per run.

Set TEST_DATABASE_URL=postgresql+asyncpg://user:pass@host/postgres to run on PostgreSQL; each
test session (and each end-to-end bot process) gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401

if TYPE_CHECKING:
    from pathlib import Path

KEEP_TABLES = {"sector", "alembic_version"}


def base_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def is_postgres() -> bool:
    url = base_url()
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


async def create_database(tmp_dir: Path) -> str:
    """A new empty database; its URL."""
    url = base_url()
    if not url or not is_postgres():
        return f"sqlite+aiosqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.db'}"
    name = f"cppcc_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        return
    name = make_url(url).database
    admin = create_async_engine(base_url() or url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


async def clear_tables(engine) -> None:  # type: ignore[no-untyped-def]
    """Empty every table but the seeded ones, children first."""
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await conn.execute(table.delete())
