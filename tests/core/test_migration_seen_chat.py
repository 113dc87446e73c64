"""Migration 0004: the re-delivery key gains the chat; a 0003 database keeps its rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.core.db import Database, alembic_config, run_migrations
from tests import dbutil

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

SEEN_AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
async def db_at_0003(tmp_path: Path) -> AsyncIterator[Database]:
    url = await dbutil.create_database(tmp_path)
    db = Database(url)
    async with db.engine.begin() as conn:
        await run_migrations(conn, "0003")
    yield db
    await db.dispose()
    await dbutil.drop_database(url)


async def seen_rows(db: Database) -> list[tuple[str, str, str]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT self_id, chat, message_id FROM seen_event ORDER BY id")
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def insert_seen(db: Database, message_id: str, chat: str | None = None) -> None:
    columns = "self_id, message_id, seen_at" + (", chat" if chat is not None else "")
    values = ":s, :m, :t" + (", :c" if chat is not None else "")
    params: dict[str, Any] = {"s": "10000", "m": message_id, "t": SEEN_AT, "c": chat}
    async with db.engine.begin() as conn:
        await conn.execute(text(f"INSERT INTO seen_event ({columns}) VALUES ({values})"), params)


async def test_upgrade_keeps_old_rows_and_lets_one_id_be_seen_in_two_chats(
    db_at_0003: Database,
) -> None:
    db = db_at_0003
    await insert_seen(db, "1")
    await insert_seen(db, "2")
    await db.upgrade()
    assert await seen_rows(db) == [("10000", "", "1"), ("10000", "", "2")]
    await insert_seen(db, "3", "group:900001")
    await insert_seen(db, "3", "private:20001")  # same id, another chat: another message
    with pytest.raises(IntegrityError):
        await insert_seen(db, "3", "group:900001")
    assert len(await seen_rows(db)) == 4


async def test_downgrade_keeps_the_first_of_each_message_id(db_at_0003: Database) -> None:
    from alembic import command

    db = db_at_0003
    await db.upgrade()
    await insert_seen(db, "5", "group:900001")
    await insert_seen(db, "5", "group:900002")
    await insert_seen(db, "6", "private:20001")

    def downgrade(sync_conn: Any) -> None:
        command.downgrade(alembic_config(sync_conn), "0003")

    async with db.engine.begin() as conn:
        await conn.run_sync(downgrade)
    async with db.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT message_id FROM seen_event ORDER BY id"))).all()
    assert [r[0] for r in rows] == ["5", "6"]
    with pytest.raises(IntegrityError):
        await insert_seen(db, "5")
