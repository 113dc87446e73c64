"""What every campaign shares: databases, the bot process, the simulator, the checks."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401  (every table, for the scans)
from bot.core.db import Database
from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator, SentMessage

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+asyncpg://cppcc:cppcc@127.0.0.1:5432/postgres")
SUPERUSER = 10001
#: The two apologies the bot gives for an unexpected error (router, intake).
APOLOGIES = ("处理这条命令时出错了", "登记时出错了")
#: Text no stored row may hold: lone surrogates, NUL and other C0 controls (tab and newline
#: aside), zero-width and direction controls, the Unicode line and paragraph separators.
UNCLEAN = re.compile(
    "[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f\x85\u00ad\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)
TRACEBACK = "Traceback (most recent call last)"
FAST_OUTBOX = {"OUTBOX_INTERVAL": "0", "OUTBOX_JITTER": "0", "OUTBOX_POLL": "0.2"}
_self_ids = itertools.count(71_001)


# ------------------------------------------------------------------ databases


async def create_database(backend: str, folder: Path) -> str:
    """A new empty database on `backend` ("sqlite" or "postgres"); its URL."""
    if backend == "sqlite":
        os.makedirs(folder, exist_ok=True)
        return f"sqlite+aiosqlite:///{folder / f'rel-{uuid.uuid4().hex[:8]}.db'}"
    name = f"cppcc_rel_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        return
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            name = make_url(url).database
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def postgres_reachable() -> bool:
    engine = create_async_engine(PG_URL)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


async def unclean_rows(url: str) -> list[str]:
    """`table.column #id` of every stored value (text or JSON) holding unclean characters."""
    db = Database(url)
    found: list[str] = []
    try:
        async with db.engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                rows = (await conn.execute(select(table))).mappings().all()
                for row in rows:
                    for column, value in row.items():
                        if isinstance(value, (list, dict)):
                            value = json.dumps(value, ensure_ascii=False)
                        if isinstance(value, str) and UNCLEAN.search(value):
                            found.append(f"{table.name}.{column} #{row.get('id')}")
    finally:
        await db.dispose()
    return found


# ------------------------------------------------------------------ the bot and its client


def bot_process(workdir: Path, url: str, **extra_env: str) -> BotProcess:
    return BotProcess(
        workdir=workdir,
        database_url=url,
        superusers=(str(SUPERUSER),),
        extra_env={"LOG_LEVEL": "INFO", **FAST_OUTBOX, **extra_env},
    )


def simulator(process: BotProcess, self_id: int | None = None) -> OneBotSimulator:
    return OneBotSimulator(
        process.ws_url,
        self_id=self_id or next(_self_ids),
        access_token=process.token,
        heartbeat_interval=None,
    )


_RECORD = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d \[\w+\]", re.M)
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b.*$", re.M)


def tracebacks(log: str) -> list[str]:
    """One line per log record that carries a traceback: its header, then its last exception."""
    found: list[str] = []
    starts = [m.start() for m in _RECORD.finditer(log)] + [len(log)]
    for start, end in itertools.pairwise(starts):
        record = log[start:end]
        if TRACEBACK not in record:
            continue
        header = record.splitlines()[0]
        exceptions = _EXCEPTION.findall(record) and [
            m.group(0) for m in _EXCEPTION.finditer(record)
        ]
        found.append(f"{header[:160]} … {(exceptions or ['?'])[-1][:200]}")
    return found


def apologies(sent: Iterable[SentMessage]) -> list[SentMessage]:
    return [m for m in sent if any(a in m.text for a in APOLOGIES)]


async def until(
    check: Callable[[], Any], *, timeout: float, step: float = 0.25, what: str = ""
) -> Any:
    """Poll the async or plain `check` until it returns something truthy; that value, or the
    last falsy one when `timeout` seconds pass."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value or loop.time() > deadline:
            return value
        await asyncio.sleep(step)


# ------------------------------------------------------------------ results


@dataclass
class Row:
    """One line of a campaign's table: what was tried, and what went wrong (each should be 0)."""

    campaign: str
    backend: str
    tried: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    observed: Counter[str] = field(default_factory=Counter)  # by design, not faults
    notes: list[str] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def fault(self, name: str, count: int = 1, example: str | None = None) -> None:
        self.faults[name] += count
        if example is not None:
            bucket = self.examples.setdefault(name, [])
            if len(bucket) < 8:
                bucket.append(example[:400])

    def zero(self, *names: str) -> None:
        """Columns that must be reported even when nothing went wrong."""
        for name in names:
            self.faults[name] += 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "backend": self.backend,
            "tried": self.tried,
            "faults": dict(self.faults),
            "observed": dict(self.observed),
            "notes": self.notes,
            "examples": self.examples,
            "seconds": round(self.seconds, 1),
        }


def render(rows: list[Row]) -> str:
    """Plain-text tables, one per campaign."""
    out: list[str] = []
    for campaign in dict.fromkeys(r.campaign for r in rows):
        group = [r for r in rows if r.campaign == campaign]
        out.append(f"\n== {campaign}")
        for row in group:
            tried = ", ".join(f"{k} {v:,}" for k, v in row.tried.items())
            faults = ", ".join(f"{k} {v}" for k, v in row.faults.items())
            out.append(f"  [{row.backend}] {row.seconds:.0f} s | tried: {tried}")
            out.append(f"      faults: {faults}")
            if row.observed:
                observed = ", ".join(f"{k} {v}" for k, v in row.observed.items())
                out.append(f"      observed: {observed}")
            for note in row.notes:
                out.append(f"      note: {note}")
            for name, examples in row.examples.items():
                for example in examples:
                    out.append(f"      e.g. {name}: {example!r}")
    return "\n".join(out)
