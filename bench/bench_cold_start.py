"""Benchmark the cold start: how long a fresh process takes from Services.start() until the
similarity index is ready, at national scale, without and with a snapshot.

Two data sets (bot.devtools.synth, cached by bench/synthdata.py):
- national: 60,000 proposals over ten years, 30,000 opinion leads, 3,000 topics (the index
  holds this year's and last year's: ~19,000 records);
- all-indexed: 60,000 proposals, all in this year and last (the worst case: every one indexed).

Each start runs in a new process (jieba's dictionary loaded, nothing cached in memory). The
records' term weights are stored with them (record_terms, written when a record is written), so
a build reads them and cuts nothing; ``--tokenize N`` also times the old way (cutting every
record again) on N records, for the per-record figure. Goals: without a snapshot under 10 s,
with one under 3 s.

    .venv/bin/python bench/bench_cold_start.py [--only national|all-indexed] [--tokenize 2000]
    BENCH_DATABASE_URL=postgresql+asyncpg://user:pass@127.0.0.1/postgres ... (PostgreSQL)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthdata import data_dir, national_database

from bot.devtools.synth import SynthConfig

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
DATASETS = {
    "national": SynthConfig(now=NOW),
    "all-indexed": SynthConfig(proposals=60_000, opinions=0, topics=0, years=2, now=NOW),
}
GOALS = {False: 10.0, True: 3.0}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_start(url: str, data: Path) -> dict[str, float]:
    """In the child process: start the services, wait for the index."""
    from bot.core.clock import FakeClock
    from bot.core.services import CoreConfig, Services

    started, cpu = time.perf_counter(), time.process_time()
    services = Services(CoreConfig(database_url=url, data_dir=data), clock=FakeClock(NOW))
    await services.start()
    services_up = time.perf_counter() - started
    task = services.similarity._build_task
    assert task is not None
    await task
    ready = time.perf_counter() - started
    result = {"ready": ready, "services": services_up, "docs": len(services.similarity.index)}
    result["cpu"] = time.process_time() - cpu
    result["load"] = os.getloadavg()[0]
    result["rss_mb"] = rss_mb()
    await services.stop()
    return result


def start_in_a_new_process(url: str, data: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", url, str(data)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def tokenize_figure(records: int) -> float:
    """ms per record to cut it again (what every start paid before the weights were stored)."""
    import random

    from bot.core.text import init_text_engine
    from bot.core.text.weights import term_weights
    from bot.devtools.synth.texts import all_matters, make_doc

    init_text_engine(None, Path(tempfile.mkdtemp()))
    rng = random.Random(1)
    docs = [make_doc(rng, *rng.choice(all_matters())) for _ in range(records)]
    started = time.perf_counter()
    for doc in docs:
        term_weights(doc.body, doc.title)
    return (time.perf_counter() - started) / records * 1000


async def bench(name: str, config: SynthConfig) -> None:
    async with national_database(config) as url:
        dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        with tempfile.TemporaryDirectory() as folder:
            data = data_dir(Path(folder) / "data")
            for snapshot in (False, True):
                label = "with a snapshot" if snapshot else "no snapshot"
                result = start_in_a_new_process(url, data)
                verdict = "OK" if result["ready"] < GOALS[snapshot] else "OVER THE GOAL"
                print(
                    f"cold start [{name}, {dialect}], {label}: ready in {result['ready']:.2f} s "
                    f"(CPU {result['cpu']:.2f} s, load average {result['load']:.1f}; services up "
                    f"{result['services']:.2f} s), {int(result['docs']):,} records "
                    f"indexed, RSS {result['rss_mb']:.0f} MB — goal {GOALS[snapshot]:.0f} s: "
                    f"{verdict}"
                )
                snap = data / "cache" / "similarity.idx"
                assert snap.exists(), "the first start saves a snapshot"


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(asyncio.run(one_start(sys.argv[2], Path(sys.argv[3])))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(DATASETS))
    parser.add_argument("--tokenize", type=int, default=0, metavar="N")
    args = parser.parse_args()
    for name, config in DATASETS.items():
        if args.only in (None, name):
            asyncio.run(bench(name, config))
    if args.tokenize:
        per = tokenize_figure(args.tokenize)
        print(
            f"cutting a record again (before): {per:.2f} ms a record, "
            f"{per * 60:.0f} s for 60,000 records"
        )


if __name__ == "__main__":
    main()
