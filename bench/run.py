"""`make bench`: every bench/bench_*.py in turn, with the arguments that keep the whole run
within 15 minutes on a 2-core machine (the long campaigns' full runs are in each one's
docstring), each printing its figures; then how long each took.

    .venv/bin/python bench/run.py [--only NAME,...] [--postgres postgresql+asyncpg://u:p@host/postgres]

bench_board and bench_stats (one-year worst cases of their own) run only when named in --only.

With --postgres (a server URL), the benchmarks run on PostgreSQL instead of SQLite: each gets a
fresh database of its own (dropped afterwards), or the server URL for those that make their own.
The national data (bench/synthdata.py) and two similarity snapshots are generated on the first
run (20-30 minutes on a busy 2-core machine) and reused afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

HERE = Path(__file__).resolve().parent
#: name -> arguments for `make bench`
ARGUMENTS: dict[str, list[str]] = {
    "bench_cold_start": [],
    # the similarity indexes these two build by cutting 60,000 texts (~2-5 min each) are kept in
    # bench/.cache after the first run (cold starts are bench_cold_start's figure)
    "bench_intake": [
        "--queries",
        "300",
        "--posts",
        "200",
        "--snapshot",
        str(HERE / ".cache" / "intake.idx"),
    ],
    "bench_memory": ["--posts", "1000"],
    "bench_outbox": ["--messages", "5000"],
    "bench_reliability": [
        "--campaigns",
        "hostile,kill",
        "--inputs",
        "300",
        "--kills",
        "2",
        "--frame-rounds",
        "1",
    ],
    "bench_reminders": ["--runs", "5"],
    "bench_roundtrip": ["--requests", "300", "--chatter", "2000", "--rounds", "3"],
    "bench_national": ["--repeat", "7"],
    "bench_similarity": [
        "--queries",
        "300",
        "--recall-sample",
        "20",
        "--reuse",
        str(HERE / ".cache" / "similarity.idx"),
    ],
}
#: Not run by `make bench` (to keep it within 15 minutes); run them with --only. Their figures at
#: national scale are bench_national's (统计, the board's pages, the export, on the national data,
#: both databases); these two build their own one-year worst case (60,000 proposals in a year).
BY_HAND = {"bench_board", "bench_stats"}
#: How each benchmark is pointed at PostgreSQL: "server" (makes its own databases from the
#: server URL), "empty" (wants an empty database), or a command-line option for an empty one.
POSTGRES = {
    "bench_cold_start": "server",
    "bench_memory": "server",
    "bench_outbox": "empty",
    "bench_reminders": "empty",
    "bench_intake": "--database-url",
    "bench_reliability": "--backends",
    "bench_roundtrip": "server",
    "bench_national": "server",
    "bench_board": "--database-url",
    "bench_stats": "empty",
    "bench_discussion": "empty",
}


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def run(name: str, postgres: str | None) -> tuple[int, float]:
    args, env = list(ARGUMENTS.get(name, [])), dict(os.environ)
    database = None
    how = POSTGRES.get(name)
    if postgres and how == "server":
        env["BENCH_DATABASE_URL"] = postgres
    elif how == "--backends":
        args += ["--backends", "postgres" if postgres else "sqlite"]
        if postgres:
            env["BENCH_PG_URL"] = postgres
    elif postgres and how is not None:
        database = f"bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(postgres, f'CREATE DATABASE "{database}"'))
        url = make_url(postgres).set(database=database).render_as_string(hide_password=False)
        if how == "empty":
            env["BENCH_DATABASE_URL"] = url
        else:
            args += [how, url]
    elif postgres:
        print(f"(no PostgreSQL variant: {name} runs in memory)")
    print(f"== {name} {' '.join(args)}", flush=True)
    started = time.perf_counter()
    try:
        code = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *args], env=env).returncode
    finally:
        if database:
            asyncio.run(
                _admin(postgres or "", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            )
    return code, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    options = parser.parse_args()
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if options.only:
        names = [n for n in names if n in options.only.split(",")]
    else:
        names = [n for n in names if n not in BY_HAND]
    took: list[tuple[str, int, float]] = []
    for name in names:
        code, seconds = run(name, options.postgres or None)
        took.append((name, code, seconds))
    print("== make bench:", "PostgreSQL" if options.postgres else "SQLite")
    for name, code, seconds in took:
        print(f"  {name}: {seconds:.0f} s{'' if code == 0 else f' (FAILED, exit {code})'}")
    print(f"  total {sum(s for _, _, s in took) / 60:.1f} min")
    return max((code for _, code, _ in took), default=0)


if __name__ == "__main__":
    sys.exit(main())
