"""Benchmark resident memory at national scale: the real bot process (`python -m bot`) on the
synthetic national data (bench/synthdata.py), after start-up (similarity index built) and after
1,000 `#提案` posts over the OneBot simulator. Goal: < 200 MB. Also measures what
`jieba.analyse` would add (the bot does not import it: bot/core/text/keywords.py).

    .venv/bin/python bench/bench_memory.py [--posts 1000]
    BENCH_DATABASE_URL=postgresql+asyncpg://user:pass@127.0.0.1/postgres ... (PostgreSQL)
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cold_start import DATASETS
from synthdata import national_database

from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator
from bot.devtools.synth.people import MEMBER_ID_BASE, WHOLE_GROUP
from bot.devtools.synth.texts import all_matters, make_doc

GOAL_MB = 200
SELF_ID = 70_001
JIEBA_PROBE = """
import gc, jieba
from pathlib import Path
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
jieba.setLogLevel(60)
base = rss(); jieba.initialize(); gc.collect(); initialised = rss()
import jieba.analyse
jieba.analyse.extract_tags("我县农村生活污水处理设施覆盖率低，部分乡镇污水管网建设滞后。", 5)
gc.collect(); print(base, initialised, rss())
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def settled(pid: int, *, limit: float = 60.0) -> float:
    """RSS once it stops moving (two looks 3 s apart within 1 MB), at most ``limit`` s."""
    before, deadline = rss_mb(pid), time.monotonic() + limit
    while time.monotonic() < deadline:
        await asyncio.sleep(3)
        now = rss_mb(pid)
        if abs(now - before) < 1.0:
            return now
        before = now
    return before


async def posts(
    sim: OneBotSimulator, count: int, timeout: float, *, one_at_a_time: bool = False
) -> float:
    """``count`` posts from 250 members (a few each: the per-minute allowance); the seconds
    until every one was answered."""
    import random

    rng = random.Random(3)
    matters = all_matters()
    started = time.perf_counter()
    for n in range(count):
        doc = make_doc(rng, *rng.choice(matters))
        user = MEMBER_ID_BASE + n % 250
        await sim.post_group_message(int(WHOLE_GROUP), user, f"#提案 {doc.title}\n{doc.body}")
        while one_at_a_time and len(sim.sent) <= n and time.perf_counter() < started + timeout:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        if n % 20 == 19:
            await asyncio.sleep(0.05)
    deadline = started + timeout
    while len(sim.sent) < count and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    return time.perf_counter() - started


async def bench(count: int, env: dict[str, str], one_at_a_time: bool = False) -> None:
    async with national_database(DATASETS["national"]) as url:
        with tempfile.TemporaryDirectory() as tmp:
            process = BotProcess(workdir=Path(tmp) / "bot", database_url=url, extra_env=env)
            await process.astart(timeout=120)
            try:
                await process.wait_for_log(r"similarity index ready: (\d+)", timeout=120)
                pid = process.proc.pid if process.proc else 0
                ready = rss_mb(pid)
                started = await settled(pid)  # the first reminder sweep, digests' catch-up
                sim = OneBotSimulator(
                    process.ws_url, self_id=SELF_ID, access_token=process.token,
                    heartbeat_interval=None,
                )  # fmt: skip
                sim.add_group(int(WHOLE_GROUP), "全体委员群")
                await sim.connect()
                took = await posts(sim, count, timeout=count * 0.5, one_at_a_time=one_at_a_time)
                answered = len(sim.sent)
                after = await settled(pid, limit=30)
                await sim.close()
            finally:
                await process.astop()
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"resident memory [{dialect}] when the similarity index is ready: {ready:.0f} MB")
    for label, value in (("after start-up", started), (f"after {count:,} posts", after)):
        verdict = "OK" if value < GOAL_MB else "OVER THE GOAL"
        print(f"resident memory [{dialect}] {label}: {value:.0f} MB — goal {GOAL_MB} MB: {verdict}")
    print(f"({answered:,} messages sent back for {count:,} posts in {took:.0f} s)")


def jieba_analyse() -> None:
    out = subprocess.run(
        [sys.executable, "-c", JIEBA_PROBE], check=True, capture_output=True, text=True
    ).stdout.split()
    base, initialised, analysed = map(float, out)
    print(
        f"jieba alone: {initialised - base:.0f} MB initialised; jieba.analyse adds "
        f"{analysed - initialised:.0f} MB more (not imported by the bot)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--one-at-a-time", action="store_true", help="wait for each answer")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    asyncio.run(bench(args.posts, env, args.one_at_a_time))
    jieba_analyse()


if __name__ == "__main__":
    main()
