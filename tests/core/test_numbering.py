"""Record numbers from the (kind, year) counter row, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlalchemy import Connection, MetaData, Table
from sqlmodel import Session, select

from bot.core.clock import utcnow
from bot.core.db import Database, run_migrations
from bot.core.models import Record, RecordCounter
from bot.core.records.numbering import next_number
from tests import dbutil

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.services import Services

KIND = "proposal"


def stored_record(kind: str, year: int, number: int) -> Record:
    """A record written without the counter (as an old database or a restore has them)."""
    now = utcnow()
    return Record(
        kind=kind,
        year=year,
        number=number,
        proposer_user_id="20001",
        proposer_name="张三",
        title=f"第{number}号",
        created_at=now,
        updated_at=now,
    )


async def add_records(db: Database, *records: Record) -> None:
    async with db.session() as session:
        session.add_all(records)
        await session.commit()


def insert_as_stored(conn: Connection, records: list[Record]) -> None:
    """Insert into the `record` table as it is in the database (an older revision may lack
    columns the model has since gained)."""
    table = Table("record", MetaData(), autoload_with=conn)
    conn.execute(
        table.insert(),
        [{k: v for k, v in r.model_dump().items() if k in table.c and k != "id"} for r in records],
    )


async def take(db: Database, kind: str = KIND, year: int = 2026) -> int:
    def work(session: Session) -> int:
        number = next_number(session, kind, year)
        session.commit()
        return number

    return await db.run_sync(work)


async def test_numbers_run_per_kind_and_year(services: Services) -> None:
    taken = [
        await take(services.db, kind, year)
        for kind, year in [
            (KIND, 2026),
            (KIND, 2026),
            ("opinion", 2026),
            (KIND, 2027),
            (KIND, 2026),
        ]
    ]
    assert taken == [1, 2, 1, 1, 3]
    async with services.db.session() as session:
        rows = (await session.exec(select(RecordCounter))).all()
    assert {(r.kind, r.year, r.last_number) for r in rows} == {
        (KIND, 2026, 3),
        ("opinion", 2026, 1),
        (KIND, 2027, 1),
    }


async def test_a_counter_continues_after_records_stored_without_it(services: Services) -> None:
    await add_records(services.db, stored_record(KIND, 2026, 7), stored_record(KIND, 2026, 8))
    assert await take(services.db) == 9  # no counter row yet: it starts after the records
    await add_records(services.db, stored_record(KIND, 2026, 15))  # written behind its back
    assert await take(services.db) == 16
    assert await take(services.db) == 17


async def test_a_rolled_back_post_gives_its_number_back(services: Services) -> None:
    assert await take(services.db) == 1

    def rolled_back(session: Session) -> int:
        number = next_number(session, KIND, 2026)
        session.rollback()
        return number

    assert await services.db.run_sync(rolled_back) == 2
    assert await take(services.db) == 2  # no gap in the numbers


async def test_another_engine_waits_for_the_open_transaction_holding_the_counter(
    services: Services,
) -> None:
    other = Database(services.db.url)
    try:
        async with services.db.session() as first:
            mine = await first.run_sync(next_number, KIND, 2026)
            theirs = asyncio.create_task(take(other))  # queues on the row (or the write lock)
            await asyncio.sleep(0)
            await first.commit()
        assert (mine, await theirs) == (1, 2)

        async with services.db.session() as first:
            given_back = await first.run_sync(next_number, KIND, 2026)
            theirs = asyncio.create_task(take(other))
            await asyncio.sleep(0)
            await first.rollback()
        assert (given_back, await theirs) == (3, 3)
    finally:
        await other.dispose()


async def test_the_migration_seeds_counters_from_the_stored_records(tmp_path: Path) -> None:
    url = await dbutil.create_database(tmp_path)
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await run_migrations(conn, "0003")  # a database from before the counters
            await conn.run_sync(
                insert_as_stored,
                [
                    stored_record(KIND, 2026, 1),
                    stored_record(KIND, 2026, 41),
                    stored_record("opinion", 2026, 5),
                    stored_record(KIND, 2025, 300),
                ],
            )
        await db.upgrade()
        async with db.session() as session:
            rows = (await session.exec(select(RecordCounter))).all()
        assert {(r.kind, r.year, r.last_number) for r in rows} == {
            (KIND, 2026, 41),
            ("opinion", 2026, 5),
            (KIND, 2025, 300),
        }
        assert await take(db) == 42
        assert await take(db, "opinion") == 6
    finally:
        await db.dispose()
        await dbutil.drop_database(url)
