"""Benchmark the discussion relay: one message to a discussion of 30 participants.

Each relay is ONE transaction (the transcript row, the message count and 29 outbox rows, one
per other participant), not 29. This counts the commits and the rows of every relay and times
it (p50 / p95 over --messages relays). Unit test of the row count and the single transaction:
tests/core/discussions/test_relay.py.

    .venv/bin/python bench/bench_discussion.py [--messages 300] [--database-url URL]

SQLite in a temporary folder by default (or BENCH_DATABASE_URL / --database-url for an empty
PostgreSQL database).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from bot.core.discussions.rooms import Draft
from bot.core.models import ChannelKind, OutboxMessage
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR

PARTICIPANTS = 30
GROUP = "700001"


async def setup(services: Services) -> tuple[object, list[str]]:
    await services.channels.bind(GROUP, ChannelKind.WHOLE, sector=None, bound_by="10001")
    ids = [str(21_000 + n) for n in range(PARTICIPANTS)]
    for user_id in ids:
        await services.members.register_from_card(user_id, f"农业界-委员{user_id[-2:]}")
    creator = await services.members.identify(ids[0])
    room = await services.discussions.rooms.create(
        creator, Draft("压测讨论", ids[1:]), origin_group_id=GROUP
    )
    return room, ids


async def outbox_count(services: Services) -> int:
    async with services.db.session() as session:
        return int((await session.exec(select(func.count()).select_from(OutboxMessage))).one()[0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-discussion-"))
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    services = Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR))
    await services.db.upgrade()
    await services.sectors.seed()
    await services.channels.load()
    room, ids = await setup(services)
    print(f"database: {url.split('@')[-1]}; {PARTICIPANTS} participants")
    commits: list[int] = []
    event.listen(Session, "after_commit", lambda _s: commits.append(1))
    timings: list[float] = []
    rows_per_relay: set[int] = set()
    commits_per_relay: set[int] = set()
    for n in range(args.messages):
        before_rows, before_commits = await outbox_count(services), len(commits)
        parts = [{"type": "text", "text": f"第{n}条意见：建议统筹规划污水管网建设。"}]
        t = time.perf_counter()
        await services.discussions.relay.relay(room, ids[n % PARTICIPANTS], parts)  # type: ignore[arg-type]
        timings.append((time.perf_counter() - t) * 1000)
        commits_per_relay.add(len(commits) - before_commits)
        rows_per_relay.add(await outbox_count(services) - before_rows)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"relay of one message: p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms "
        f"({args.messages} relays)"
    )
    print(
        f"outbox rows per relay: {sorted(rows_per_relay)}; commits per relay: {sorted(commits_per_relay)}"
    )
    await services.db.dispose()
    if rows_per_relay != {PARTICIPANTS - 1} or commits_per_relay != {1}:
        raise SystemExit("expected 29 outbox rows in one transaction per relay")


if __name__ == "__main__":
    asyncio.run(main())
