"""Benchmark the outbox drain rate: the real bot process, the OneBot simulator, rate limit off.

Starts `python -m bot` (BotProcess) with OUTBOX_INTERVAL=0, writes N messages into its outbox
(as another process would: straight into its database), connects the simulator and measures how
fast they arrive — every one a claim, a WebSocket call and a settle, each committed. Goal:
>= 1,000 messages/s. Also checks that each message arrived exactly once and in order.

    .venv/bin/python bench/bench_outbox.py [--messages 5000]

SQLite in a temporary folder by default; set BENCH_DATABASE_URL to an (empty) PostgreSQL database
to measure that instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.core.models import OutboxMessage, OutboxStatus
from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator

GROUP = 700001


async def queue(url: str, count: int) -> None:
    db = Database(url)
    await db.upgrade()
    now = SystemClock().now()
    rows = [
        {"platform": "qq", "target_type": "group", "target_id": str(GROUP),
         "parts": [{"type": "text", "text": f"压测消息 {n}"}], "as_forward": False,
         "purpose": "bench", "status": OutboxStatus.PENDING, "attempts": 0,
         "next_attempt_at": now, "last_error": "", "created_at": now, "chunks_sent": 0,
         "timeouts": 0}
        for n in range(count)
    ]  # fmt: skip
    async with db.engine.begin() as conn:
        for i in range(0, count, 2000):
            await conn.execute(insert(OutboxMessage), rows[i : i + 2000])
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--settle", type=float, default=8.0, help="seconds to wait after start")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        process = BotProcess(
            workdir=Path(tmp) / "bot",
            database_url=url,
            extra_env={
                "OUTBOX_INTERVAL": "0",
                "OUTBOX_JITTER": "0",
                "LOG_LEVEL": "WARNING",
                "E2E_LOG_LEVEL": "WARNING",
            },
        )
        await process.astart()
        try:
            await queue(url, args.messages)
            # let start-up work finish (jieba, the similarity index, the first sweep): the drain
            # rate is measured, not the start-up
            await asyncio.sleep(args.settle)
            sim = OneBotSimulator(
                process.ws_url, self_id=70_999, access_token=process.token, heartbeat_interval=None
            )
            sim.add_group(GROUP, "压测群")
            started = time.perf_counter()
            await sim.connect()
            deadline = started + 600
            # (wait_for_sent per message would rescan the list: poll the count instead)
            while len(sim.sent) < args.messages and time.perf_counter() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            texts = [m.text for m in sim.sent]
            await sim.close()
        finally:
            await process.astop()
        if len(texts) < args.messages:
            print(f"only {len(texts):,} of {args.messages:,} messages arrived in time")
            sys.exit(1)
        first, last = sim.sent[0].time, sim.sent[-1].time
        steady = (len(texts) - 1) / (last - first) if last > first else float("inf")
        in_order = texts == [f"压测消息 {n}" for n in range(args.messages)]
        print(
            f"outbox drain, rate limit off, real bot process + simulator over WebSocket "
            f"({'PostgreSQL' if 'postgresql' in url else 'SQLite'}): {args.messages:,} messages in "
            f"{elapsed:.2f} s from connect = {args.messages / elapsed:,.0f} msg/s "
            f"({steady:,.0f} msg/s between first and last); each exactly once, in order: {in_order}"
        )
        verdict = "OK" if args.messages / elapsed >= 1000 else "SLOWER THAN THE 1,000 msg/s GOAL"
        print(verdict)


if __name__ == "__main__":
    asyncio.run(main())
