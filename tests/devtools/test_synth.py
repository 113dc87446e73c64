"""python -m bot.devtools.synth: a small run loads, is the same for a seed, and the bot reads it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select, text

from bot.core.intake import texts
from bot.core.models import Record, RecordStatus
from bot.devtools.synth import SynthConfig, SynthError, load
from bot.devtools.synth.__main__ import main
from tests.utils import private_message, say

if TYPE_CHECKING:
    from pathlib import Path

    from nonebug import App

    from bot.core.services import Services

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
SMALL = SynthConfig(
    seed=7, members=120, staff=5, proposals=200, opinions=60, topics=20, years=3, now=NOW
)
TABLES = ("member", "unit", "unit_contact", "record", "timeline_entry", "cosign", "assignment",
          "answer", "evaluation", "record_counter")  # fmt: skip


async def _digest(url: str) -> str:
    """A fingerprint of every row the generator wrote (ids and timestamps included)."""
    from bot.core.db import Database

    db = Database(url)
    digest = hashlib.sha256()
    try:
        async with db.engine.connect() as conn:
            for table in TABLES:
                rows = (await conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))).all()
                digest.update(f"{table}:{len(rows)}:{rows!r}".encode())
    finally:
        await db.dispose()
    return digest.hexdigest()


async def test_the_same_seed_gives_the_same_data(tmp_path: Path) -> None:
    urls = [f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}" for name in ("a", "b", "c")]
    await load(urls[0], SMALL)
    await load(urls[1], SMALL)
    await load(urls[2], SynthConfig(**{**vars(SMALL), "seed": 8}))
    first, again, other = [await _digest(url) for url in urls]
    assert first == again
    assert other != first


async def test_a_database_with_records_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'full.db'}"
    await load(url, SMALL)
    with pytest.raises(SynthError, match="已有记录"):
        await load(url, SMALL)


def test_the_command_line_loads_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    args = ["--database-url", url, "--proposals", "30", "--opinions", "10", "--topics", "5"]
    assert main([*args, "--members", "40", "--years", "2", "--now", "2026-11-25T02:00:00"]) == 0
    assert "record 45" in capsys.readouterr().out


async def test_the_bots_services_read_a_small_run(
    app: App, services: Services, clock: object
) -> None:
    clock.set(NOW)  # type: ignore[attr-defined]
    summary = await load(services.config.database_url, SMALL)
    assert summary.rows["record"] == 280  # the year in progress holds its share so far
    statuses = summary.statuses
    this_year = await services.stats.proposals(2026)
    async with services.db.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(Record.status).where(Record.kind == "proposal", Record.year == 2026)
            )
        ).all()
    withdrawn = sum(status == RecordStatus.WITHDRAWN for (status,) in rows)
    assert this_year.received == len(rows) - withdrawn
    assert this_year.withdrawn == withdrawn
    assert 0 < this_year.concluded < this_year.assigned <= this_year.received
    assert sum(v for k, v in statuses.items() if k.startswith("proposal:")) == 200
    # a record of this year, looked up by its proposer privately (查提案 through NoneBot)
    async with services.db.engine.connect() as conn:
        record_id, number, proposer = (
            await conn.execute(
                select(Record.id, Record.number, Record.proposer_user_id).where(
                    Record.kind == "proposal", Record.year == 2026, Record.number == 5
                )
            )
        ).one()
    record = await services.records.get(record_id)
    identity = await services.members.identify(proposer)
    expected = texts.detail_text(
        await services.queries.detail(record, identity), services.records.current_year(), full=True
    )
    assert record.title in expected
    await say(app, private_message(f"查提案 {number}", user_id=int(proposer)), expected)
