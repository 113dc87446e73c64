"""Benchmark the reminder sweep at national scale: 60,000 proposals.

Builds a database (SQLite in a temporary folder, or BENCH_DATABASE_URL, e.g. a PostgreSQL
database you created for it) with 60,000 proposals over one year in realistic states: most
concluded, a share still being handled with deadlines spread over the next and past months (some
overdue, some key proposals), answers awaiting evaluation, pending co-sign invitations. Then, on a
working day at 10:00 (FakeClock):

- the *first* sweep after a long outage, which queues every reminder that is due (~14,000:
  deadline, overdue, evaluation and co-sign reminders and overdue items escalated; their
  transactions batched, bot/core/schedule/reminders/stages.py): the goal is < 5 s;
- that it does not send faster than the rate limit: the real OutboxSender drains the queued
  reminders for a few seconds at the production spacing (1.5 s + up to 0.3 s jitter) through a
  transport that only notes the time of each call;
- the *steady-state* sweep, run every few minutes in production, when those stages were already
  handled: the goal is < 200 ms.

Wall time and the process's CPU time are both shown (the machine is shared: when it is busy,
CPU time says what the sweep itself costs).

    .venv/bin/python bench/bench_reminders.py [--proposals 60000] [--runs 7]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from typing import TYPE_CHECKING

from sqlalchemy import insert

from bot.core.clock import FakeClock, as_utc, local_zone
from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.models import (
    Answer,
    Assignment,
    ChannelKind,
    Cosign,
    Record,
    RecordStatus,
    Unit,
    UnitContact,
)
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR

if TYPE_CHECKING:
    from bot.core.delivery.chunks import Chunk
    from bot.core.delivery.claims import QueuedMessage

NOW_LOCAL = datetime(2026, 11, 25, 10, 0, tzinfo=local_zone())  # a Wednesday, a working day
UNITS = 120


async def build(services: Services, proposals: int, rng: random.Random) -> dict[str, int]:
    now = as_utc(NOW_LOCAL)
    today = NOW_LOCAL.date()
    async with services.db.engine.begin() as conn:
        await conn.execute(
            insert(Unit),
            [{"id": i, "name": f"单位{i}", "aliases": "", "active": True, "created_at": now}
             for i in range(1, UNITS + 1)],
        )  # fmt: skip
        await conn.execute(
            insert(UnitContact),
            [{"unit_id": i, "platform": "qq", "user_id": str(500000 + i), "name": f"联系人{i}",
              "created_at": now} for i in range(1, UNITS + 1)],
        )  # fmt: skip
    counts = {"handling": 0, "answered": 0, "pending_cosign": 0}
    records, assignments, answers, cosigns = [], [], [], []
    for n in range(1, proposals + 1):
        created = now - timedelta(days=rng.uniform(1, 320))
        roll = rng.random()
        if roll < 0.60:
            status = RecordStatus.CONCLUDED
        elif roll < 0.80:
            status = rng.choice([RecordStatus.ASSIGNED, RecordStatus.IN_PROGRESS])
        elif roll < 0.88:
            status = RecordStatus.ANSWERED
        elif roll < 0.94:
            status = RecordStatus.SUBMITTED
        else:
            status = rng.choice([RecordStatus.REJECTED, RecordStatus.WITHDRAWN])
        records.append(
            {"id": n, "kind": "proposal", "year": 2026, "number": n, "status": status,
             "platform": "qq", "proposer_user_id": str(100000 + n % 2200),
             "proposer_name": f"委员{n % 2200}", "proposer_sector": "农业界",
             "source_kind": "group", "source_group_id": "900001", "source_message_id": None,
             "title": f"关于第{n}件事的建议", "body": "", "content_hash": "",
             "has_suggestion": True, "category": None, "keywords": "", "attachments": [],
             "is_key": rng.random() < 0.05, "round": 1, "merged_into_id": None,
             "linked_record_id": None, "created_at": created, "updated_at": created}
        )  # fmt: skip
        if status in (
            RecordStatus.CONCLUDED,
            RecordStatus.ASSIGNED,
            RecordStatus.IN_PROGRESS,
            RecordStatus.ANSWERED,
        ):
            open_ = status in (RecordStatus.ASSIGNED, RecordStatus.IN_PROGRESS)
            due = (
                today + timedelta(days=rng.randint(-40, 90))
                if open_
                else today - timedelta(days=rng.randint(1, 200))
            )
            answered = None if open_ else now - timedelta(days=rng.uniform(0.5, 30))
            assignments.append(
                {"record_id": n, "round": 1, "unit_id": rng.randint(1, UNITS), "role": "lead",
                 "due_date": due, "deadline_reason": "",
                 "assigned_at": now - timedelta(days=rng.randint(95, 120)), "assigned_by": "",
                 "answered_at": answered}
            )  # fmt: skip
            counts["handling"] += open_
            if answered is not None:
                answers.append(
                    {"record_id": n, "round": 1, "unit_id": rng.randint(1, UNITS),
                     "category": rng.choice("ABC"), "content": "", "answered_at": answered,
                     "answered_by": "", "evaluation_due": None}
                )  # fmt: skip
                counts["answered"] += status == RecordStatus.ANSWERED
        if status == RecordStatus.SUBMITTED and rng.random() < 0.3:
            cosigns.append(
                {"record_id": n, "platform": "qq", "user_id": str(300000 + n),
                 "name": f"受邀{n}", "status": "pending", "invited": True,
                 "created_at": now - timedelta(hours=rng.uniform(1, 60)), "confirmed_at": None}
            )  # fmt: skip
            counts["pending_cosign"] += 1
    async with services.db.engine.begin() as conn:
        for table, rows in ((Record, records), (Assignment, assignments), (Answer, answers),
                            (Cosign, cosigns)):  # fmt: skip
            for i in range(0, len(rows), 2000):
                await conn.execute(insert(table), rows[i : i + 2000])
    return counts


class NotingTransport:
    """Notes when each call is made; delivers everything."""

    account = "bench"
    platform = "qq"

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def send(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        self.calls.append(time.monotonic())
        return str(len(self.calls))


async def drain_for_a_while(services: Services, seconds: float) -> None:
    """The real sender at the production rate limit, for ``seconds``: how many calls, and the
    shortest spacing between two (goal: never under the interval)."""
    transport = NotingTransport()
    sender = OutboxSender(
        services.db,
        services.clock,
        transport,
        RateLimiter(services.config.outbox_interval, services.config.outbox_jitter),
    )
    services.outbox.on_enqueue(sender.wake)
    task = asyncio.create_task(sender.run())
    await asyncio.sleep(seconds)
    sender.stop()
    await task
    await sender.claims.connection.close()
    calls = transport.calls
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    interval = services.config.outbox_interval
    shortest = min(gaps) if gaps else float("nan")
    verdict = "OK" if gaps and shortest >= interval else "FASTER THAN THE RATE LIMIT"
    print(
        f"sending them: {len(calls)} calls in {seconds:.0f} s through one account, shortest "
        f"spacing {shortest:.2f} s (limit {interval:.1f} s + jitter) — {verdict}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drain-seconds", type=float, default=8.0)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        clock = FakeClock(as_utc(NOW_LOCAL))
        services = Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR), clock=clock)
        await services.start()
        try:
            await services.channels.bind("900004", ChannelKind.STAFF, sector=None, bound_by="1")
            t = time.perf_counter()
            counts = await build(services, args.proposals, random.Random(7))
            print(
                f"database: {args.proposals:,} proposals ({counts['handling']:,} being handled, "
                f"{counts['answered']:,} awaiting evaluation, {counts['pending_cosign']:,} pending "
                f"co-sign invitations) on {services.db.engine.dialect.name}, built in "
                f"{time.perf_counter() - t:.1f} s"
            )
            t, cpu = time.perf_counter(), time.process_time()
            first = await services.reminders.sweep()
            first_ms = (time.perf_counter() - t) * 1000
            first_cpu = (time.process_time() - cpu) * 1000
            verdict = "OK" if first_ms < 5000 else "SLOWER THAN THE 5 s GOAL"
            load = os.getloadavg()[0]
            print(
                f"first sweep after an outage: {first.total:,} due, {first_ms:,.0f} ms "
                f"(CPU {first_cpu:,.0f} ms, load average {load:.1f}) — {verdict}; queued {first.deadline:,} "
                f"deadline/overdue reminders, {first.evaluation:,} evaluation reminders, "
                f"{first.cosign_reminded:,} co-sign reminders, {first.cosign_lapsed:,} lapsed "
                f"invitations, {first.escalated:,} overdue items escalated"
            )
            await drain_for_a_while(services, args.drain_seconds)
            times = []
            queued = 0
            for _ in range(args.runs):
                clock.advance(timedelta(minutes=5))  # invitations cross the 1-day mark meanwhile
                t = time.perf_counter()
                report = await services.reminders.sweep()
                times.append((time.perf_counter() - t) * 1000)
                queued += report.total
            median = statistics.median(times)
            verdict = "OK" if median < 200 else "SLOWER THAN THE 200 ms GOAL"
            print(
                f"steady-state sweep (every stage already handled): median {median:.0f} ms, "
                f"min {min(times):.0f} ms, max {max(times):.0f} ms over {args.runs} runs "
                f"({queued} new reminders came due meanwhile) — {verdict}"
            )
        finally:
            await services.stop()


if __name__ == "__main__":
    asyncio.run(main())
