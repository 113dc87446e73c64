"""Benchmark 统计, the units' table and the export at national scale: 60,000 proposals.

Builds a database (SQLite in a temporary folder, or BENCH_DATABASE_URL, e.g. a PostgreSQL
database you created for it) with 60,000 proposals over ten years, 2017–2026 (6,000 a year: the
national scale; ``--one-year`` puts them all in 2026, the worst case) in realistic states — most concluded and evaluated, some re-handled, a share still
being handled (some overdue), merged, rejected, withdrawn and privately submitted ones — over
120 units and 2,200 members, with 3,000 opinion leads and 500 topics (seeded rows, written
directly). Then measures 2026 as the bot computes it (services.stats / services.export):

- `统计` (staff): proposals(year) + opinions(year) — goal < 100 ms. "cold": the first call
  after the database changed (a timeline entry added: facts read again); "warm": the next calls
  (figures kept until the database's fingerprint changes);
- `统计 单位`: units(year), `统计 界别`: breakdown(year, "sector"), cold and warm;
- `导出`: the whole .xlsx (every proposal, units, leads, topics, duty points) — goal < 5 s.

    .venv/bin/python bench/bench_stats.py [--proposals 60000] [--runs 7] [--one-year]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bot.core.clock import FakeClock, as_utc, local_zone
from bot.core.models import (
    Answer,
    Assignment,
    Cosign,
    Evaluation,
    Member,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

S = RecordStatus
NOW_LOCAL = datetime(2026, 11, 25, 10, 0, tzinfo=local_zone())  # a Wednesday, a working day
UNITS = 120
MEMBERS = 2200
SECTORS = ["农业界", "经济界", "教育界", "医药卫生界", "科学技术界", "文化艺术界"]
CATEGORIES = ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "其他"]
STATES = [  # (status, share)
    (S.CONCLUDED, 0.55), (S.EVALUATED, 0.05), (S.ANSWERED, 0.06), (S.IN_PROGRESS, 0.10),
    (S.ASSIGNED, 0.06), (S.REHANDLING, 0.01), (S.ACCEPTED, 0.03), (S.MERGED, 0.03),
    (S.SUBMITTED, 0.04), (S.REJECTED, 0.05), (S.WITHDRAWN, 0.02),
]  # fmt: skip
HANDLED = {S.CONCLUDED, S.EVALUATED, S.ANSWERED, S.IN_PROGRESS, S.ASSIGNED, S.REHANDLING}
ANSWERED = {S.CONCLUDED, S.EVALUATED, S.ANSWERED}


def _record(
    n: int, kind: str, status: str, created: datetime, rng: random.Random, year: int = 2026
) -> dict[str, Any]:
    person = n % MEMBERS
    return {
        "id": n, "kind": kind, "year": year, "number": n, "status": status, "platform": "qq",
        "proposer_user_id": str(100000 + person), "proposer_name": f"委员{person}",
        "proposer_sector": SECTORS[person % len(SECTORS)],
        "source_kind": "private" if rng.random() < 0.1 else "group",
        "source_group_id": "900001", "source_message_id": None,
        "title": f"关于第{n}件事的建议", "body": "", "content_hash": "", "has_suggestion": True,
        "category": rng.choice(CATEGORIES), "keywords": "", "attachments": [],
        "is_key": rng.random() < 0.02, "round": 2 if status == S.REHANDLING else 1,
        "merged_into_id": None, "linked_record_id": None,
        "created_at": created, "updated_at": created,
    }  # fmt: skip


def _handling(n: int, status: str, now: datetime, rng: random.Random) -> dict[str, list[Any]]:
    """Assignments, answers and evaluations of one handled proposal."""
    assigned = now - timedelta(days=rng.randint(60, 200))
    due = assigned.date() + timedelta(days=90)
    unit = rng.randint(1, UNITS)
    rows: dict[str, list[Any]] = {"assignment": [], "answer": [], "evaluation": []}
    answered = assigned + timedelta(days=rng.randint(10, 110)) if status in ANSWERED else None
    rows["assignment"].append(
        {"record_id": n, "round": 1, "unit_id": unit, "role": "lead", "due_date": due,
         "deadline_reason": "", "assigned_at": assigned, "assigned_by": "",
         "answered_at": answered if status in ANSWERED else (
             assigned + timedelta(days=30) if status == S.REHANDLING else None)}
    )  # fmt: skip
    if rng.random() < 0.2:
        rows["assignment"].append(
            {"record_id": n, "round": 1, "unit_id": unit % UNITS + 1, "role": "assisting",
             "due_date": due, "deadline_reason": "", "assigned_at": assigned,
             "assigned_by": "", "answered_at": answered}
        )  # fmt: skip
    if answered is not None or status == S.REHANDLING:
        at = answered or assigned + timedelta(days=30)
        rows["answer"].append(
            {"record_id": n, "round": 1, "unit_id": unit, "category": rng.choice("AABBC"),
             "content": "", "answered_at": at, "answered_by": "", "evaluation_due": None}
        )  # fmt: skip
    if status in (S.CONCLUDED, S.EVALUATED) or status == S.REHANDLING:
        result = (
            "unsatisfied"
            if status == S.REHANDLING
            else rng.choice(
                ["satisfied", "satisfied", "satisfied", "basically_satisfied", "unsatisfied"]
            )
        )
        rows["evaluation"].append(
            {"record_id": n, "round": 1, "result": result, "opinion": "", "user_id": "1",
             "evaluated_at": now - timedelta(days=rng.randint(1, 50))}
        )  # fmt: skip
    return rows


async def build(services: Services, proposals: int, rng: random.Random, years: int) -> None:
    now = as_utc(NOW_LOCAL)
    tables: dict[Any, list[Any]] = {Unit: [], Member: [], Record: [], Assignment: [],
                                    Answer: [], Evaluation: [], Cosign: []}  # fmt: skip
    tables[Unit] = [{"id": i, "name": f"单位{i}", "aliases": "", "active": True,
                     "created_at": now} for i in range(1, UNITS + 1)]  # fmt: skip
    tables[Member] = [
        {"platform": "qq", "user_id": str(100000 + i), "name": f"委员{i}",
         "sector": SECTORS[i % len(SECTORS)], "title": None, "committee": None,
         "is_member": True, "is_staff": False, "active": True, "source": "roster",
         "created_at": now, "updated_at": now} for i in range(MEMBERS)
    ]  # fmt: skip
    states, weights = zip(*STATES, strict=True)
    for n in range(1, proposals + 1):
        status = rng.choices(states, weights)[0]
        created = now - timedelta(days=rng.uniform(1, 320))
        year = 2026 - n % years
        tables[Record].append(_record(n, "proposal", status, created, rng, year))
        if status in HANDLED:
            for name, rows in _handling(n, status, now, rng).items():
                table = {"assignment": Assignment, "answer": Answer, "evaluation": Evaluation}
                tables[table[name]].extend(rows)
        if rng.random() < 0.3:
            tables[Cosign].append(
                {"record_id": n, "platform": "qq", "user_id": str(100000 + (n * 7) % MEMBERS),
                 "name": "联名委员", "status": "confirmed", "invited": True,
                 "created_at": created, "confirmed_at": created}
            )  # fmt: skip
    extra = [("opinion", 3000, [S.SUBMITTED, S.ADOPTED, S.NOT_ADOPTED, S.SUBMITTED_UP,
                                S.INSTRUCTED, S.IMPLEMENTED]), ("topic", 500, [S.SUBMITTED])]  # fmt: skip
    n = proposals
    for kind, count, kind_states in extra:
        for number in range(1, count + 1):
            n += 1
            row = _record(n, kind, rng.choice(kind_states), now - timedelta(days=30), rng)
            row["number"] = number
            tables[Record].append(row)
    async with services.db.engine.begin() as conn:
        for table, rows in tables.items():
            for i in range(0, len(rows), 2000):
                await conn.execute(insert(table), rows[i : i + 2000])


async def timed(work: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = await work()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def verdict(ms: float, goal_ms: float) -> str:
    return "OK" if ms < goal_ms else f"SLOWER THAN THE {goal_ms:,.0f} ms GOAL"


async def changed(services: Services) -> None:
    """A change as the bot makes one (a timeline entry): the next call reads the facts again."""
    async with services.db.session() as session:
        session.add(TimelineEntry(record_id=1, action="progress", detail="bench"))
        await session.commit()


async def cold_and_warm(
    services: Services, work: Callable[[], Awaitable[Any]], runs: int
) -> tuple[float, float, Any]:
    cold = []
    for _ in range(runs):
        await changed(services)
        t = time.perf_counter()
        await work()
        cold.append((time.perf_counter() - t) * 1000)
    warm, result = await timed(work, runs)
    return statistics.median(cold), warm, result


async def measure(services: Services, runs: int, folder: Path) -> None:
    async def figures() -> Any:
        return await services.stats.proposals(2026), await services.stats.opinions(2026)

    cold, warm, (p, o) = await cold_and_warm(services, figures, runs)
    print(
        f"统计 (proposals + opinions of 2026: {p.received + p.withdrawn:,} proposals): "
        f"cold median {cold:.0f} ms — {verdict(cold, 100)}; warm {warm:.1f} ms — "
        f"{verdict(warm, 100)}; 立案率 {p.acceptance_rate.percent()}, "
        f"办复率 {p.answer_rate.percent()}, 满意率 {p.satisfaction_rate.percent()}, "
        f"overdue {p.overdue:,}; leads {o.received:,}"
    )
    cold, warm, units = await cold_and_warm(services, lambda: services.stats.units(2026), runs)
    print(
        f"统计 单位 ({len(units)} units): cold median {cold:.0f} ms — {verdict(cold, 100)}; "
        f"warm {warm:.1f} ms — {verdict(warm, 100)}"
    )
    cold, warm, rows = await cold_and_warm(
        services, lambda: services.stats.breakdown(2026, "sector"), runs
    )
    print(f"统计 界别 ({len(rows)} sectors): cold median {cold:.0f} ms; warm {warm:.1f} ms")
    export_runs = max(1, min(runs, 3))
    ms, result = await timed(
        lambda: services.export.export(2026, folder / "bench.xlsx"), export_runs
    )
    size = result.path.stat().st_size / 1e6
    print(
        f"导出 (.xlsx: {result.proposals:,} proposals, {result.opinions:,} leads, "
        f"{result.topics:,} topics, {result.members:,} members; {size:.1f} MB): "
        f"median {ms / 1000:.2f} s over {export_runs} runs — {verdict(ms, 5000)}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--one-year", action="store_true", help="all proposals in 2026")
    args = parser.parse_args()
    years = 1 if args.one_year else 10
    url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        clock = FakeClock(as_utc(NOW_LOCAL))
        services = Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR), clock=clock)
        await services.db.upgrade()
        await services.sectors.seed()
        try:
            t = time.perf_counter()
            await build(services, args.proposals, random.Random(12), years)
            print(
                f"database: {args.proposals:,} proposals over {years} year(s), {UNITS} units, "
                f"{MEMBERS:,} members on {services.db.engine.dialect.name}, built in "
                f"{time.perf_counter() - t:.1f} s"
            )
            await measure(services, args.runs, Path(tmp))
        finally:
            await services.db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
