"""Benchmark the progress board's pages at national scale.

Fills a fresh database with N proposals of one year (default 60,000, ten times a national
year: a worst case), generated with a seed straight into the tables: a realistic spread of
states (review, 立案, 交办, 答复, 评价, 重新办理, 办结, 并案, 撤回, 不立案), one in ten
submitted privately, 60 units, assignments, answers, evaluations and the timeline rows each
step writes. Then asks the real app (NoneBot's FastAPI app with the board plugin, in-process,
over httpx's ASGI transport: routing, the read model, Jinja2) for each page `--repeat` times
and reports p50 / p95 / max; and the read model alone for the home page (where its time goes).

    .venv/bin/python bench/bench_board.py [--proposals 60000] [--repeat 30] [--seed 12]
        [--database-url sqlite+aiosqlite:////tmp/board.db | postgresql+asyncpg://...]

Goal (issue 12): each page under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bot.core.clock import local_date, utcnow
from bot.core.models import (
    Answer,
    Assignment,
    Evaluation,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.services import CoreConfig, Services
from bot.core.workflow.common import load_category_names
from bot.settings import DEFAULT_DATA_DIR

S = RecordStatus
#: (status, share of the year's proposals)
SPREAD: list[tuple[RecordStatus, float]] = [
    (S.SUBMITTED, 0.04),
    (S.WITHDRAWN, 0.02),
    (S.REJECTED, 0.05),
    (S.MERGED, 0.03),
    (S.ACCEPTED, 0.06),
    (S.ASSIGNED, 0.10),
    (S.IN_PROGRESS, 0.12),
    (S.ANSWERED, 0.12),
    (S.EVALUATED, 0.10),
    (S.REHANDLING, 0.02),
    (S.CONCLUDED, 0.34),
]
HANDLED = {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.EVALUATED, S.REHANDLING, S.CONCLUDED}
ANSWERED = {S.ANSWERED, S.EVALUATED, S.REHANDLING, S.CONCLUDED}
EVALUATED = {S.EVALUATED, S.REHANDLING, S.CONCLUDED}
WORDS = "农村 污水 治理 教育 医疗 养老 交通 安全 文化 旅游 产业 就业 生态 水利 住房 食品 校园 社区".split()


def pct(values: list[float]) -> str:
    q = statistics.quantiles(sorted(values), n=20, method="inclusive")
    return (
        f"p50 {statistics.median(values):6.1f} ms   p95 {q[18]:6.1f} ms   max {max(values):6.1f} ms"
    )


class Rows:
    """The generated rows, per table, as dicts for Core executemany inserts."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []
        self.assignments: list[dict[str, Any]] = []
        self.answers: list[dict[str, Any]] = []
        self.evaluations: list[dict[str, Any]] = []


def generate(n: int, year: int, units: list[int], sectors: list[str], seed: int) -> Rows:
    rnd = random.Random(seed)
    categories = list(load_category_names(DEFAULT_DATA_DIR)) or ["其他"]
    statuses = rnd.choices([s for s, _ in SPREAD], weights=[w for _, w in SPREAD], k=n)
    start = utcnow() - timedelta(days=300)
    rows = Rows()
    for i, status in enumerate(statuses, start=1):
        at = start + timedelta(minutes=7 * i)
        rows.records.append(
            {
                "id": i,
                "kind": "proposal",
                "year": year,
                "number": i,
                "status": status.value,
                "platform": "qq",
                "proposer_user_id": str(30_000 + i % 800),
                "proposer_name": f"委员{i % 800}",
                "proposer_sector": rnd.choice(sectors),
                "source_kind": "private" if rnd.random() < 0.1 else "group",
                "title": f"关于{rnd.choice(WORDS)}{rnd.choice(WORDS)}工作的建议（{i}）",
                "body": "情况……分析……建议：……",
                "content_hash": "",
                "has_suggestion": True,
                "category": rnd.choice(categories),
                "keywords": "",
                "attachments": [],
                "is_key": rnd.random() < 0.015,
                "round": 2 if status == S.REHANDLING else 1,
                "merged_into_id": max(1, i - 1) if status == S.MERGED else None,
                "created_at": at,
                "updated_at": at,
            }
        )
        _steps(rows, rnd, i, status, at, units)
    return rows


def _steps(
    rows: Rows, rnd: random.Random, rid: int, status: RecordStatus, at: Any, units: list[int]
) -> None:
    """The assignment, answer, evaluation and timeline rows the workflow would have written."""

    def step(action: str, when: Any, detail: str = "", public: bool = True) -> None:
        rows.timeline.append(
            {
                "record_id": rid,
                "at": when,
                "actor_user_id": "30001",
                "actor_name": "王秘书",
                "action": action,
                "detail": detail,
                "public": public,
                "source": "system",
            }
        )

    step("submit", at)
    if status in (S.WITHDRAWN, S.REJECTED, S.MERGED):
        step({S.WITHDRAWN: "withdraw", S.REJECTED: "reject", S.MERGED: "merge"}[status], at)
        return
    if status == S.SUBMITTED:
        return
    step("accept", at + timedelta(days=3), "类别：社会建设")
    if status not in HANDLED:
        return
    assigned = at + timedelta(days=7)
    unit = rnd.choice(units)
    rows.assignments.append(
        {
            "record_id": rid,
            "round": 1,
            "unit_id": unit,
            "role": "lead",
            "due_date": local_date(assigned) + timedelta(days=rnd.randint(30, 200)),
            "deadline_reason": "",
            "assigned_at": assigned,
            "assigned_by": "30001",
            "answered_at": assigned + timedelta(days=40) if status in ANSWERED else None,
        }
    )
    step("assign", assigned, "主办：某单位；答复时限：……")
    if status == S.IN_PROGRESS:
        step("progress", assigned + timedelta(days=10), "已到现场调研")
        step("assist_opinion", assigned + timedelta(days=11), "会办意见", public=False)
    if status not in ANSWERED:
        return
    answered = assigned + timedelta(days=40)
    rows.answers.append(
        {
            "record_id": rid,
            "round": 1,
            "unit_id": unit,
            "category": rnd.choice("AAABBBBCC"),
            "content": "答复内容……",
            "answered_at": answered,
            "answered_by": "40001",
            "evaluation_due": local_date(answered) + timedelta(days=21),
        }
    )
    step("answer", answered, "某单位答复：……")
    if status not in EVALUATED:
        return
    result = (
        "unsatisfied"
        if status == S.REHANDLING
        else rnd.choice(["satisfied"] * 8 + ["basically_satisfied"])
    )
    rows.evaluations.append(
        {
            "record_id": rid,
            "round": 1,
            "result": result,
            "opinion": "",
            "user_id": "30001",
            "evaluated_at": answered + timedelta(days=5),
        }
    )
    step("evaluate", answered + timedelta(days=5), "提案人评价：……")
    if status == S.CONCLUDED:
        step("conclude", answered + timedelta(days=8), "办结")


async def fill(services: Services, rows: Rows) -> None:
    async with services.db.session() as session:
        for model, batch in (
            (Record, rows.records),
            (TimelineEntry, rows.timeline),
            (Assignment, rows.assignments),
            (Answer, rows.answers),
            (Evaluation, rows.evaluations),
        ):
            for start in range(0, len(batch), 5000):
                await session.exec(insert(model), params=batch[start : start + 5000])  # type: ignore[call-overload]
        await session.commit()
    if not services.db.is_sqlite:  # ids were given: move the sequence past them
        async with services.db.session() as session:
            from sqlalchemy import text

            await session.execute(
                text("SELECT setval('record_id_seq', (SELECT max(id) FROM record))")
            )
            await session.commit()


async def populate(services: Services, args: argparse.Namespace, year: int) -> None:
    units = []
    for k in range(60):
        unit, _ = await services.units.add(f"县第{k}局")
        units.append(unit.id or 0)
    t = time.perf_counter()
    rows = generate(args.proposals, year, units, services.sectors.names() or ["农业界"], args.seed)
    await fill(services, rows)
    print(
        f"{args.proposals} proposals, {len(rows.timeline)} timeline rows, "
        f"{len(rows.assignments)} assignments, {len(rows.answers)} answers: "
        f"generated and inserted in {time.perf_counter() - t:.1f} s "
        f"({'SQLite' if services.db.is_sqlite else 'PostgreSQL'})"
    )


async def timed(repeat: int, call: Any) -> list[float]:
    await call()  # warm (template compiled, statements cached)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        await call()
        times.append((time.perf_counter() - t) * 1000)
    return times


async def run(args: argparse.Namespace) -> None:
    import httpx
    import nonebot

    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/board.db"
    services = Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR))
    await services.start()
    year = services.board.current_year()
    stats = await services.stats.proposals(year)
    if stats.received + stats.withdrawn:  # a database filled by an earlier run (--database-url)
        print(f"{stats.received + stats.withdrawn} proposals already in {url}: not generated again")
    else:
        await populate(services, args, year)
    nonebot.init(driver="~fastapi", log_level="WARNING")
    from bot.nb import runtime

    runtime.set_services(services)
    nonebot.load_plugin("bot.plugins.board")
    transport = httpx.ASGITransport(app=nonebot.get_app())
    some_unit = "县第7局"
    pages = {
        "/ (home)": "/",
        "/proposals": "/proposals",
        "/proposals page 1000": "/proposals?page=1000",
        "/proposals?unit=…": f"/proposals?unit={some_unit}",
        "/proposals?q=污水": "/proposals?q=污水",
        "/proposals?status=concluded&category=…&page=3": "/proposals?status=concluded&category=社会建设&page=3",
        "/proposals/<year>/<no>": f"/proposals/{year}/{args.proposals // 2 + 11}",
    }
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for label, path in pages.items():

            async def get(path: str = path) -> None:
                response = await client.get(path)
                assert response.status_code in (200, 404), (path, response.status_code)

            print(f"{label:50s} {pct(await timed(args.repeat, get))}")
        print("after each change (one record moved on, as by a staff step): the first request")
        rid = args.proposals // 3

        async def change() -> None:
            async with services.db.session() as session:
                session.add(
                    TimelineEntry(record_id=rid, at=utcnow(), action="progress", detail="……")
                )
                await session.commit()

        for label, path in (("/ (home)", "/"), ("/proposals", "/proposals")):

            async def changed_get(path: str = path) -> None:
                await change()
                response = await client.get(path)
                assert response.status_code == 200

            print(f"{label:50s} {pct(await timed(max(3, args.repeat // 3), changed_get))}")
    print("read model alone:")
    print(
        f"{'  services.board.overview(year)':50s} {pct(await timed(args.repeat, lambda: services.board.overview(year)))}"
    )
    print(
        f"{'  services.stats.proposals(year)':50s} {pct(await timed(args.repeat, lambda: services.stats.proposals(year)))}"
    )
    today = local_date(utcnow())
    print(
        f"{'  services.stats.overdue(today)':50s} {pct(await timed(args.repeat, lambda: services.stats.overdue(today)))}"
    )
    await services.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--database-url", default="")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
