"""python -m bot.devtools.synth: fill an empty database with national-scale synthetic data.

    python -m bot.devtools.synth [--database-url URL] [--seed N] [--proposals 60000] ...

The database is DATABASE_URL (or --database-url; SQLite or PostgreSQL), upgraded first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime

from bot.devtools.synth.load import SynthConfig, SynthError, load


def _parser() -> argparse.ArgumentParser:
    defaults = SynthConfig()
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.synth", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seed", type=int, default=defaults.seed)
    for name in ("members", "staff", "proposals", "opinions", "topics", "years"):
        parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
    parser.add_argument(
        "--no-terms",
        action="store_true",
        help="do not store the records' term weights (the bot's first start then computes them)",
    )
    parser.add_argument(
        "--now",
        help="the data's present, ISO 8601 in UTC (default: now); with the seed it fixes the data",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.database_url:
        print("请用 --database-url 或 DATABASE_URL 指定数据库。", file=sys.stderr)
        return 2
    now = datetime.fromisoformat(args.now).replace(tzinfo=UTC) if args.now else None
    config = SynthConfig(
        seed=args.seed,
        members=args.members,
        staff=args.staff,
        proposals=args.proposals,
        opinions=args.opinions,
        topics=args.topics,
        years=args.years,
        terms=not args.no_terms,
        now=now,
    )
    try:
        summary = asyncio.run(load(args.database_url, config, progress=print))
    except SynthError as exc:
        print(exc, file=sys.stderr)
        return 1
    rows = ", ".join(f"{table} {count:,}" for table, count in summary.rows.items())
    print(f"loaded in {summary.seconds:.1f} s: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
