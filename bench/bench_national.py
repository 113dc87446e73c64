"""Benchmark what staff and the public ask of the bot, on the synthetic national data
(bench/synthdata.py: 60,000 proposals over ten years, 30,000 opinion leads, 3,000 topics, 2,200
members; the data's "now" is a working Wednesday, 2026-11-25 10:00 in Shanghai):

- `统计` (proposals + opinions of the year), `统计 单位`, `统计 界别`: cold (the first call after
  a change: a timeline entry written) and warm. Goal < 100 ms;
- the digests' content (日报 / 周报 / 月报: `DigestService.build`, the queries and the text,
  without queueing), cold (after a change) and warm. Goal < 100 ms;
- the board's pages through NoneBot's FastAPI app in-process (routing, read model, Jinja2), and
  the first `/` and `/proposals` after a change. Goal < 100 ms;
- `导出`: the year's workbook. Goal < 5 s;
- the reminder sweep: the first one (every reminder due at once) and a steady one. Goals
  < 5 s and < 200 ms.

Each figure also gives the process's CPU time over the same calls (the machine is shared).

    .venv/bin/python bench/bench_national.py [--repeat 7] [--only stats,digests,board,export,sweep]
    BENCH_DATABASE_URL=postgresql+asyncpg://user:pass@127.0.0.1/postgres ... (PostgreSQL)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import re

from bench_cold_start import DATASETS, NOW
from sqlalchemy import func
from sqlmodel import select
from synthdata import data_dir, national_database

from bot.core.clock import FakeClock, to_local
from bot.core.models import ChannelKind, Record, TimelineEntry
from bot.core.schedule.digests import periods
from bot.core.schedule.digests.words import CHANNEL_OF, DigestKind
from bot.core.services import CoreConfig, Services

YEAR = to_local(NOW).year
Work = Callable[[], Awaitable[Any]]


class Timer:
    """Wall and CPU milliseconds of repeated calls; the verdict against a goal."""

    def __init__(self, repeat: int, dialect: str) -> None:
        self.repeat, self.dialect = repeat, dialect

    async def times(
        self, work: Work, before: Work | None = None, n: int = 0
    ) -> tuple[list[float], float]:
        walls, cpus = [], []
        for _ in range(n or self.repeat):
            if before is not None:
                await before()
            t, c = time.perf_counter(), time.process_time()
            await work()
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        return walls, statistics.median(cpus)

    async def show(self, label: str, work: Work, goal_ms: float, before: Work | None = None,
                   n: int = 0) -> None:  # fmt: skip
        walls, cpu = await self.times(work, before, n)
        p50 = statistics.median(walls)
        p95 = sorted(walls)[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        verdict = "OK" if p50 < goal_ms else "OVER THE GOAL"
        print(
            f"{label} [{self.dialect}]: p50 {p50:,.1f} ms, p95 {p95:,.1f} ms, CPU p50 {cpu:,.1f}"
            f" ms (n={len(walls)}) — goal {goal_ms:,.0f} ms: {verdict}",
            flush=True,
        )


def changer(services: Services, record_id: int) -> Work:
    async def change() -> None:  # a staff step: a timeline entry in its own transaction
        async with services.db.session() as session:
            session.add(TimelineEntry(record_id=record_id, at=services.clock.now(),
                                      action="progress", detail="bench"))  # fmt: skip
            await session.commit()

    return change


async def stats(services: Services, timer: Timer, change: Work) -> None:
    async def figures() -> None:
        await services.stats.proposals(YEAR)
        await services.stats.opinions(YEAR)

    for label, work in (
        ("统计", figures),
        ("统计 单位", lambda: services.stats.units(YEAR)),
        ("统计 界别", lambda: services.stats.breakdown(YEAR, "sector")),
    ):
        await timer.show(f"{label}, cold", work, 100, before=change)
        await timer.show(f"{label}, warm", work, 100)


async def digests(services: Services, timer: Timer, change: Work) -> None:
    now = services.clock.now()
    for kind in DigestKind:
        bindings = await services.channels.by_kind(CHANNEL_OF[kind])
        if kind is DigestKind.WEEKLY:
            bindings = [b for b in bindings if b.kind == ChannelKind.SECTOR] or bindings
        binding = bindings[0]
        period = periods.scheduled_period(kind, now)
        start = period.start or await services.digests._daily_start(binding)

        async def build(period: periods.Period = period, binding: Any = binding,
                        start: Any = start) -> None:  # fmt: skip
            await services.digests.build(period, binding, start)

        await timer.show(f"{kind.value} digest build, cold", build, 100, before=change)
        await timer.show(f"{kind.value} digest build, warm", build, 100)


async def board(services: Services, timer: Timer, change: Work) -> None:
    import httpx
    import nonebot

    from bot.nb import runtime

    nonebot.init(driver="~fastapi", log_level="WARNING")
    runtime.set_services(services)
    nonebot.load_plugin("bot.plugins.board")
    unit = (await services.units.all())[0].name
    transport = httpx.ASGITransport(app=nonebot.get_app())
    client = httpx.AsyncClient(transport=transport, base_url="http://bench")
    pages = {
        "/": "/",
        "/proposals": "/proposals",
        "/proposals?page=40": "/proposals?page=40",
        "/proposals?q=污水": "/proposals?q=污水",
        "/proposals?unit=…": f"/proposals?unit={unit}",
        "/proposals/<year>/<no>": "",  # a public one, from the listing
        "/units": "/units",
    }
    async with client:
        listing = (await client.get("/proposals")).text
        found = re.search(rf'href="/proposals/{YEAR}/(\d+)"', listing)
        pages["/proposals/<year>/<no>"] = f"/proposals/{YEAR}/{found.group(1) if found else 1}"
        for label, path in pages.items():

            async def get(path: str = path) -> None:
                response = await client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            await get()  # templates compiled, the year's index built
            await timer.show(f"page {label}", get, 100)
        for label in ("/", "/proposals"):

            async def first(path: str = label) -> None:
                assert (await client.get(path)).status_code == 200

            await timer.show(f"page {label}, first after a change", first, 100, before=change,
                             n=max(3, timer.repeat // 2))  # fmt: skip


async def export(services: Services, timer: Timer, folder: Path) -> None:
    result: list[Any] = []

    async def run() -> None:
        result.append(await services.export.export(YEAR, folder / "bench.xlsx"))

    await timer.show("导出", run, 5000, n=2)
    r = result[-1]
    print(
        f"  (导出: {r.proposals:,} proposals, {r.opinions:,} leads, {r.topics:,} topics,"
        f" {r.members:,} members; {r.path.stat().st_size / 1e6:.1f} MB)"
    )


async def sweep(services: Services, timer: Timer) -> None:
    reports: list[Any] = []

    async def one() -> None:
        reports.append(await services.reminders.sweep())

    await timer.show("reminder sweep, the first (everything due at once)", one, 5000, n=1)
    first = {k: v for k, v in vars(reports[0]).items() if k != "keys" and v}
    print(f"  (first sweep: {first}; {len(reports[0].keys):,} stages)")
    await timer.show("reminder sweep, steady", one, 200, n=max(3, timer.repeat // 2))


async def bench(args: argparse.Namespace) -> None:
    only = set(filter(None, args.only.split(","))) or {
        "stats",
        "digests",
        "board",
        "export",
        "sweep",
    }
    async with national_database(DATASETS["national"]) as url:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            config = CoreConfig(database_url=url, data_dir=data_dir(tmp / "data"))
            services = Services(config, clock=FakeClock(NOW))
            await services.start()
            try:
                task = services.similarity._build_task
                if task is not None:
                    await task  # not measured: the cold start is bench_cold_start's figure
                timer = Timer(args.repeat, services.db.engine.dialect.name)
                async with services.db.session() as session:
                    some = (await session.exec(select(func.max(Record.id)).where(
                        Record.kind == "proposal", Record.year == YEAR))).one()  # fmt: skip
                change = changer(services, some or 1)
                if "stats" in only:
                    await stats(services, timer, change)
                if "digests" in only:
                    await digests(services, timer, change)
                if "board" in only:
                    await board(services, timer, change)
                if "export" in only:
                    await export(services, timer, tmp)
                if "sweep" in only:
                    await sweep(services, timer)
                print(f"(load average {os.getloadavg()[0]:.1f})")
            finally:
                await services.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
