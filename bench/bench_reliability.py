"""Reliability campaigns against the real `python -m bot` through the OneBot simulator.

    .venv/bin/python bench/bench_reliability.py [--campaigns hostile,kill,http,instances]
        [--backends sqlite,postgres] [--inputs 4500] [--kills 10] [--seed 17] [--json FILE]

1. hostile: --inputs chat messages per backend (every command word and tag, hostile arguments,
   five kinds of sender, five places), then malformed frames and events with invalid ids.
2. kill: --kills kill -9 runs per backend, each a seeded burst of posts, co-signs and workflow
   steps killed at a seeded moment, restarted, every event re-delivered with the same ids.
3. http: every HTTP event route x credential variant x account, without and with a secret.
4. instances: two processes on one PostgreSQL (simultaneous starts, bindings seen across
   processes, concurrent posts through both).
Each campaign prints what it tried and what went wrong; every fault column should be 0. The
figures go into docs/RELIABILITY.md. PostgreSQL: BENCH_PG_URL (default the local test server);
databases are created and dropped. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reliability.common import Row, postgres_reachable, render

CAMPAIGNS = ("hostile", "kill", "http", "instances")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", default=",".join(CAMPAIGNS))
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--inputs", type=int, default=4500, help="chat messages per backend")
    parser.add_argument("--frame-rounds", type=int, default=3, help="rounds of bad frames/events")
    parser.add_argument("--kills", type=int, default=10, help="kill -9 runs per backend")
    parser.add_argument("--starts", type=int, default=5, help="simultaneous double starts")
    parser.add_argument("--posts", type=int, default=600, help="concurrent posts, two instances")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--workdir", type=Path, help="keep databases and bot logs here")
    return parser.parse_args()


async def main() -> int:
    args = parse()
    campaigns = [c for c in args.campaigns.split(",") if c]
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(campaigns) - set(CAMPAIGNS) or set(backends) - {"sqlite", "postgres"}
    if unknown:
        print(f"unknown: {sorted(unknown)}", file=sys.stderr)
        return 2
    if "postgres" in backends and not await postgres_reachable():
        print("PostgreSQL is not reachable (BENCH_PG_URL): skipped", file=sys.stderr)
        backends.remove("postgres")
    rows: list[Row] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        folder = args.workdir or Path(tmp)
        for campaign in campaigns:
            rows.extend(await run_campaign(campaign, backends, folder, args))
            print(render(rows[-len(backends):] if campaign != "instances" else rows[-1:]),
                  flush=True)  # fmt: skip
    print(f"\n{platform.platform()}, Python {platform.python_version()}; "
          f"{time.monotonic() - started:.0f} s in all")  # fmt: skip
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
    return 1 if any(sum(r.faults.values()) for r in rows) else 0


async def run_campaign(
    campaign: str, backends: list[str], folder: Path, args: argparse.Namespace
) -> list[Row]:
    if campaign == "hostile":
        from bench.reliability import hostile

        return [
            await hostile.run(b, folder, inputs=args.inputs, frame_rounds=args.frame_rounds,
                              seed=args.seed)
            for b in backends
        ]  # fmt: skip
    if campaign == "kill":
        from bench.reliability import kills

        return [await kills.run(b, folder, runs=args.kills, seed=args.seed) for b in backends]
    if campaign == "http":
        from bench.reliability import http_events

        return [await http_events.run(b, folder) for b in backends]
    from bench.reliability import instances

    if "postgres" not in backends:
        return []
    return [await instances.run(folder, starts=args.starts, posts=args.posts, seed=args.seed)]


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
