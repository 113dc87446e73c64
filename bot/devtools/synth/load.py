"""Loading synthetic national-scale data into an empty database (SQLite or PostgreSQL) with bulk
Core inserts, one transaction per numbering year, not through the services one by one."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
from sqlmodel import SQLModel

from bot.core.clock import to_local, utcnow
from bot.core.db import Database
from bot.core.models import Record, RecordCounter, Sector
from bot.core.people.sectors import SectorService
from bot.core.text import DEFAULT_DATA_DIR, init_text_engine
from bot.devtools.synth.people import make_people
from bot.devtools.synth.records import TABLES, RecordMaker, Rows, YearPlan

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 2_000
#: Tables given explicit ids: PostgreSQL's sequences are moved past them after the load.
EXPLICIT_IDS = ("record", "unit")


class SynthError(RuntimeError):
    """The data cannot be loaded (e.g. the database already holds records)."""


@dataclass(frozen=True)
class SynthConfig:
    """What to generate. The same seed (and ``now``) gives the same data."""

    seed: int = 20261201
    members: int = 2_200
    staff: int = 30
    proposals: int = 60_000
    opinions: int = 30_000
    topics: int = 3_000
    years: int = 10
    terms: bool = True
    """Store each record's term weights, as the bot does (~2 ms a record: most of the time)."""
    now: datetime | None = None
    """The data's "now" (UTC): the last year is the one in progress. Default: the clock's."""
    data_dir: Path = DEFAULT_DATA_DIR

    def plans(self, last_year: int) -> list[YearPlan]:
        """Each year's share of the records (the later years take any remainder)."""
        first = last_year - self.years + 1

        def share(total: int, index: int) -> int:
            return total // self.years + (index >= self.years - total % self.years)

        return [
            YearPlan(
                first + i, share(self.proposals, i), share(self.opinions, i), share(self.topics, i)
            )
            for i in range(self.years)
        ]


@dataclass
class SynthSummary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)


async def load(
    url: str, config: SynthConfig, progress: Callable[[str], None] | None = None
) -> SynthSummary:
    """Upgrade the database at ``url``, then fill it. Refuses a database that holds records."""
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    db = Database(url)
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            if (await conn.execute(select(func.count(Record.id)))).scalar():
                raise SynthError(
                    "数据库里已有记录：请用一个空数据库（synthetic data needs an empty database）"
                )
        sectors = SectorService(db, config.data_dir)
        await sectors.seed()
        async with db.engine.connect() as conn:
            names = list(
                (await conn.scalars(select(Sector.name).order_by(Sector.sort_order))).all()
            )
        summary = await _fill(db, config, names, say)
    finally:
        await db.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


async def _fill(
    db: Database, config: SynthConfig, sectors: list[str], say: Callable[[str], None]
) -> SynthSummary:
    now = config.now or utcnow()
    rng = random.Random(config.seed)
    people = make_people(rng, sectors, config.members, config.staff, now)
    summary = SynthSummary()
    async with db.engine.begin() as conn:
        for table, rows in people.rows.items():
            await _insert(conn, table, rows, summary)
    if config.terms:
        await asyncio.to_thread(init_text_engine, config.data_dir, config.data_dir / "cache")
    maker = RecordMaker(rng, people, now, terms=config.terms)
    for plan in config.plans(to_local(now).year):
        rows = maker.year_rows(plan)
        async with db.engine.begin() as conn:
            for table in TABLES:
                await _insert(conn, table, rows[table], summary)
        _count_statuses(rows, summary)
        say(f"{plan.year}: {len(rows['record']):,} records, {len(rows['timeline_entry']):,} steps")
    async with db.engine.begin() as conn:
        counters = [
            {"kind": kind, "year": year, "last_number": last}
            for (kind, year), last in sorted(maker.counters.items())
        ]
        await conn.execute(insert(RecordCounter), counters)
        if conn.dialect.name == "postgresql":
            for table in EXPLICIT_IDS:
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    return summary


async def _insert(
    conn: AsyncConnection, table: str, rows: list[dict[str, Any]], summary: SynthSummary
) -> None:
    target = SQLModel.metadata.tables[table]
    for start in range(0, len(rows), CHUNK):
        await conn.execute(insert(target), rows[start : start + CHUNK])
    summary.rows[table] = summary.rows.get(table, 0) + len(rows)


def _count_statuses(rows: Rows, summary: SynthSummary) -> None:
    for row in rows["record"]:
        key = f"{row['kind']}:{row['status']}"
        summary.statuses[key] = summary.statuses.get(key, 0) + 1
