"""The benchmarks' shared national-scale data (bot.devtools.synth), built once and copied.

SQLite: the generated file is kept in bench/.cache/ (git-ignored) under a name that says what it
holds; each run works on a copy. PostgreSQL (BENCH_DATABASE_URL, a URL of the server's
``postgres`` database): a database ``bench_synth_<key>`` is generated once and each run gets a
fresh database made from it as a template (dropped afterwards).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.text import DEFAULT_DATA_DIR
from bot.devtools.synth import SynthConfig, load

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

CACHE = Path(__file__).resolve().parent / ".cache"


def _key(config: SynthConfig) -> str:
    fields = {k: v for k, v in asdict(config).items() if k != "data_dir"}
    return hashlib.blake2b(repr(sorted(fields.items())).encode(), digest_size=6).hexdigest()


def data_dir(folder: Path) -> Path:
    """A data folder with the project's files (same dictionary: same signature) and a cache of
    its own (the similarity snapshot goes there, not into the project's data/)."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in DEFAULT_DATA_DIR.iterdir():
        if item.is_file() and not (folder / item.name).exists():
            (folder / item.name).symlink_to(item)
    return folder


async def _cached_sqlite(config: SynthConfig) -> Path:
    path = CACHE / f"synth-{_key(config)}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        started = time.perf_counter()
        print(f"generating the national data into {path.name} (once; later runs reuse it)")
        summary = await load(f"sqlite+aiosqlite:///{partial}", config)
        conn = sqlite3.connect(partial)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
        finally:
            conn.close()
        partial.replace(path)
        rows = ", ".join(f"{t} {n:,}" for t, n in summary.rows.items())
        print(f"generated in {time.perf_counter() - started:.0f} s: {rows}")
    return path


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _pg_exists(url: str, name: str) -> bool:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
            return found.first() is not None
    finally:
        await engine.dispose()


@asynccontextmanager
async def national_database(config: SynthConfig) -> AsyncIterator[str]:
    """The URL of a fresh copy of the synthetic data for ``config``."""
    admin = os.environ.get("BENCH_DATABASE_URL")
    if not admin:
        source = await _cached_sqlite(config)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "bench.db"
            shutil.copyfile(source, copy)
            yield f"sqlite+aiosqlite:///{copy}"
        return
    template = f"bench_synth_{_key(config)}"
    base = make_url(admin)
    if not await _pg_exists(admin, template):
        print(f"generating the national data into the database {template} (once)")
        partial = f"{template}_{uuid.uuid4().hex[:6]}"
        await _admin(admin, f'CREATE DATABASE "{partial}"')
        await load(base.set(database=partial).render_as_string(hide_password=False), config)
        await _admin(admin, f'ALTER DATABASE "{partial}" RENAME TO "{template}"')
    name = f"bench_run_{uuid.uuid4().hex[:8]}"
    await _admin(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
