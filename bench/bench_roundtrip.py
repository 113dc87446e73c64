"""Benchmark what a member feels over a real WebSocket, at national scale: the real bot
(`python -m bot`) on the synthetic national data (bench/synthdata.py), the OneBot simulator as
its QQ client.

1. Round trips: `#提案` (a ~750-character proposal from a different member each time) and
   `帮助`, interleaved in the same run, each timed from the event's send to the reply's
   arrival at the simulator: p50 / p95 / p99, and the ratio of the `#提案` p95 to the `帮助`
   p95. Goals: `#提案` p95 < 30 ms on SQLite, < 45 ms on PostgreSQL; ratio <= 3.
2. Chatter overhead: the same stream of ordinary group chatter (no command, no tag) through the
   real bot and through bare NoneBot with one no-op matcher (bench/bare_nonebot.py: same driver,
   the stock OneBot adapter), alternating rounds in the same run. The cost of a message is the
   receiving process's CPU time (all threads, from /proc) over the stream until it is idle
   again, less its idle rate over the same span: on a shared machine that is what the work
   costs, where wall time is mostly other processes' turns. Goal: bot / bare <= 1.15.

    .venv/bin/python bench/bench_roundtrip.py [--requests 300] [--chatter 2000] [--rounds 3]
        [--only roundtrip|chatter]
    BENCH_DATABASE_URL=postgresql+asyncpg://user:pass@127.0.0.1/postgres ... (PostgreSQL)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cold_start import DATASETS, NOW
from synthdata import national_database

from bot.devtools.botprocess import BotProcess, free_port
from bot.devtools.onebot_sim import OneBotSimulator
from bot.devtools.synth import SynthConfig
from bot.devtools.synth.people import MEMBER_ID_BASE, STAFF_GROUP, WHOLE_GROUP
from bot.devtools.synth.texts import all_matters, make_doc

SELF_ID = 70_001
GROUP = int(WHOLE_GROUP)
MEMBERS = 2_200
GOAL_P95_MS = {"sqlite": 30.0, "postgresql": 45.0}
GOAL_RATIO = 3.0
GOAL_CHATTER = 1.15
TICK = os.sysconf("SC_CLK_TCK")
#: --dataset: the national data, or a small set to try the benchmark out
SETS = {
    "national": DATASETS["national"],
    "small": SynthConfig(proposals=2_000, opinions=500, topics=100, years=2, now=NOW),
}
#: Ordinary chatter: none starts with a command word or a tag (the bot must answer none of it).
CHATTER = (
    "大家早上好", "收到，谢谢", "今天下午的会议改到三点了吗？", "好的，我准时到",
    "辛苦了！", "这个材料我晚上再看一遍", "请问停车场在哪个门", "明天有雨，大家注意出行安全",
    "感谢分享，很有启发", "我们界别下周组织调研，欢迎参加", "已经转给办公室了",
    "上次说的那个问题解决了吗", "👍👍", "会议纪要发群里了，请查收", "哈哈，是的",
    "去年也遇到过类似的情况，当时是和街道一起协调的，效果还不错，可以参考一下",
    "收到", "我在路上，晚十分钟", "麻烦把表格再发一下", "同意楼上的看法",
    "这个周末的培训在几楼？", "老师您好，我想请教一个关于社区养老服务的问题，方便的时候回复我",
)  # fmt: skip


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime, all threads


async def idle(pid: int, *, limit: float = 120.0, window: float = 1.0) -> float:
    """Wait until the process uses under 5 % of a core over ``window`` s (at most ``limit``
    s); its CPU rate then (CPU seconds per second)."""
    deadline, rate = time.monotonic() + limit, 1.0
    while time.monotonic() < deadline:
        before, t = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(window)
        rate = (cpu_seconds(pid) - before) / (time.monotonic() - t)
        if rate < 0.05:
            break
    return rate


async def connect(url: str, token: str) -> OneBotSimulator:
    sim = OneBotSimulator(url, self_id=SELF_ID, access_token=token, heartbeat_interval=None)
    sim.add_group(GROUP, "全体委员群")
    sim.add_group(int(STAFF_GROUP), "机关工作群")
    await sim.connect()
    return sim


async def one_round_trip(sim: OneBotSimulator, user: int, text: str) -> tuple[float, str]:
    started = time.perf_counter()
    mid = await sim.post_group_message(GROUP, user, text)
    reply = await sim.wait_for_sent(lambda m: m.reply_id == mid, timeout=30)
    return (time.perf_counter() - started) * 1000, reply.text


async def cpu_per_request(sim: OneBotSimulator, pid: int, texts: list[str], base: int) -> float:
    """The bot's CPU ms per request over ``texts`` sent one after another (its idle rate
    taken off): what a round trip costs the bot, whatever the machine's load."""
    rate = await idle(pid)
    before, started = cpu_seconds(pid), time.monotonic()
    for n, text in enumerate(texts):
        await one_round_trip(sim, base + n, text)
    await idle(pid, window=0.5)
    spent = cpu_seconds(pid) - before - rate * (time.monotonic() - started)
    return spent * 1000 / len(texts)


async def round_trips(sim: OneBotSimulator, pid: int, requests: int, dialect: str) -> None:
    rng, matters = random.Random(7), all_matters()
    for n in range(20):  # warm-up: both paths once through every cache
        await one_round_trip(sim, MEMBER_ID_BASE + 1000 + n, "帮助")
        doc = make_doc(rng, *rng.choice(matters))
        await one_round_trip(sim, MEMBER_ID_BASE + 1000 + n, f"#提案 {doc.title}\n{doc.body}")
    posts: list[float] = []
    helps: list[float] = []
    accepted = 0
    for n in range(requests):
        user = MEMBER_ID_BASE + n % MEMBERS
        ms, _ = await one_round_trip(sim, user, "帮助")
        helps.append(ms)
        await asyncio.sleep(0.02)
        doc = make_doc(rng, *rng.choice(matters))
        ms, reply = await one_round_trip(sim, user, f"#提案 {doc.title}\n{doc.body}")
        posts.append(ms)
        accepted += reply.startswith("已登记")
        await asyncio.sleep(0.02)
    sim.clear()
    for label, values in (("#提案", posts), ("帮助", helps)):
        print(
            f"round trip {label} [{dialect}] over {len(values)}: p50 {statistics.median(values):.1f}"
            f" ms, p95 {pct(values, 0.95):.1f} ms, p99 {pct(values, 0.99):.1f} ms,"
            f" max {max(values):.1f} ms"
        )
    goal = GOAL_P95_MS[dialect]
    p95, ratio = pct(posts, 0.95), pct(posts, 0.95) / pct(helps, 0.95)
    print(
        f"#提案 p95 {p95:.1f} ms — goal {goal:.0f} ms: {'OK' if p95 < goal else 'OVER THE GOAL'};"
        f" ratio to 帮助 (p95) {ratio:.2f}, p50 {statistics.median(posts) / statistics.median(helps):.2f}"
        f" — goal <= {GOAL_RATIO:.0f}: {'OK' if ratio <= GOAL_RATIO else 'OVER THE GOAL'}"
        f" ({accepted} of {requests} posts registered; load {os.getloadavg()[0]:.1f})"
    )
    count = max(20, requests // 3)
    docs = [make_doc(rng, *rng.choice(matters)) for _ in range(count)]
    help_cpu = await cpu_per_request(sim, pid, ["帮助"] * count, MEMBER_ID_BASE)
    post_cpu = await cpu_per_request(
        sim, pid, [f"#提案 {d.title}\n{d.body}" for d in docs], MEMBER_ID_BASE + count
    )
    sim.clear()
    print(
        f"the bot's CPU a request [{dialect}], {count} of each one after another: #提案"
        f" {post_cpu:.1f} ms, 帮助 {help_cpu:.1f} ms (ratio {post_cpu / help_cpu:.2f})"
    )


async def stream(
    sim: OneBotSimulator, pid: int, count: int, seed: int, mids: set[int] | None = None
) -> float:
    """Post ``count`` chatter messages (their ids into ``mids``); the receiver's CPU ms per
    message."""
    rng = random.Random(seed)
    rate = await idle(pid)
    before, started = cpu_seconds(pid), time.monotonic()
    for n in range(count):
        # the warm-up (seed 0) has each of the 300 senders speak once first
        user = MEMBER_ID_BASE + (n % 300 if seed == 0 else rng.randrange(300))
        mid = await sim.post_group_message(GROUP, user, rng.choice(CHATTER))
        if mids is not None:
            mids.add(mid)
        if n % 50 == 49:
            await asyncio.sleep(0)
    await idle(pid, limit=300, window=0.5)
    spent = cpu_seconds(pid) - before - rate * (time.monotonic() - started)
    return spent * 1000 / count


def start_bare(folder: Path, token: str, matcher: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (folder / f"bare-{matcher}.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("bare_nonebot.py")), "--port", str(port),
         "--token", token, "--log-level", "INFO", "--matcher", matcher],
        stdout=log, stderr=subprocess.STDOUT, cwd=folder,
    )  # fmt: skip
    return proc, f"ws://127.0.0.1:{port}/onebot/v11/ws"


async def connect_when_up(url: str, token: str, limit: float = 60.0) -> OneBotSimulator:
    deadline = time.monotonic() + limit
    while True:
        try:
            return await connect(url, token)
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.3)


async def chatter(bot: OneBotSimulator, bot_pid: int, count: int, rounds: int, tmp: Path) -> None:
    token = "bench-bare"
    bares = {m: start_bare(tmp, token, m) for m in ("handler", "rule", "shape")}
    try:
        sims = {m: await connect_when_up(url, token) for m, (_, url) in bares.items()}
        targets = {"bot": (bot, bot_pid), **{m: (sims[m], p.pid) for m, (p, _) in bares.items()}}
        for sim, pid in targets.values():  # warm-up: every sender seen once, caches filled
            await stream(sim, pid, 600, seed=0)
        mids: set[int] = set()
        costs: dict[str, list[float]] = {name: [] for name in targets}
        for r in range(rounds):
            for name, (sim, pid) in targets.items():
                costs[name].append(await stream(sim, pid, count, seed=r + 1, mids=mids))
        answered = sum(m.reply_id in mids for m in bot.sent)
        for sim in sims.values():
            await sim.close()
    finally:
        for proc, _ in bares.values():
            proc.terminate()
            proc.wait(10)
    bot_ms = statistics.median(costs["bot"])
    shape_ms = statistics.median(costs["shape"])
    print(
        f"chatter: NoneBot with the bot's shape and no work (2 preprocessors, 3 matchers):"
        f" {shape_ms:.3f} ms CPU a message"
    )
    for name, label in (("handler", "a no-op handler"), ("rule", "a rule that says no")):
        bare_ms = statistics.median(costs[name])
        ratio = bot_ms / bare_ms
        print(
            f"chatter: bot {bot_ms:.3f} ms CPU a message, bare NoneBot with {label} "
            f"{bare_ms:.3f} ms (medians of {rounds} rounds of {count:,}): ratio {ratio:.2f} — goal"
            f" <= {GOAL_CHATTER}: {'OK' if ratio <= GOAL_CHATTER else 'OVER THE GOAL'}"
        )
    print(
        "chatter rounds (ms CPU a message): "
        + "; ".join(f"{n} {', '.join(f'{c:.3f}' for c in v)}" for n, v in costs.items())
        + f"; the bot answered {answered} chatter messages (must be 0);"
        f" load {os.getloadavg()[0]:.1f}"
    )


async def bench(args: argparse.Namespace) -> None:
    async with national_database(SETS[args.dataset]) as url:
        dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            # the sweep at start (a week's reminders) runs once; not again during the run
            env = {"REMINDER_SWEEP_MINUTES": "60", "E2E_LOG_LEVEL": "INFO"}
            process = BotProcess(workdir=tmp / "bot", database_url=url, extra_env=env)
            await process.astart(timeout=180)
            try:
                await process.wait_for_log(r"similarity index ready: (\d+)", timeout=300)
                pid = process.proc.pid if process.proc else 0
                sim = await connect(process.ws_url, process.token)
                await idle(pid, limit=180)  # start-up work: the first sweep, digests' catch-up
                if args.only in ("", "roundtrip"):
                    await round_trips(sim, pid, args.requests, dialect)
                if args.only in ("", "chatter"):
                    await chatter(sim, pid, args.chatter, args.rounds, tmp)
                await sim.close()
            finally:
                await process.astop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="of each kind")
    parser.add_argument("--chatter", type=int, default=2000, help="messages a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("", "roundtrip", "chatter"), default="")
    parser.add_argument("--dataset", choices=tuple(SETS), default="national")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
