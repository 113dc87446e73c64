"""Campaign 4: two `python -m bot` processes on one PostgreSQL database.

(a) started at the same moment on an empty database, `starts` times: both must come up (no
exit, no traceback in the schema upgrade) and answer; (b) what one process sets up (a group
binding, a staff member, a unit with its contact; a binding cancelled) is used through the
other: the delay until the other acts on it is measured; (c) `posts` posts at both processes at
once: every post registered, numbers distinct and consecutive.

Both processes serve the same QQ account (a standby, or a second client); each simulator uses
its own range of message ids, so that no post of one looks like a re-delivery to the other.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import re
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from bench.reliability.common import (
    SUPERUSER,
    Row,
    bot_process,
    create_database,
    drop_database,
    tracebacks,
    until,
)
from bot.devtools.onebot_sim import OneBotSimulator

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.botprocess import BotProcess

SELF_ID = 73_001
G_MEMBERS, G_STAFF, G_UNIT = 640_001, 640_002, 640_003
STAFF, CONTACT = 30_001, 30_003
POSTERS = range(21_000, 21_060)
BODY = "我县农村生活污水处理设施覆盖率低。建议：一是统筹规划；二是加大投入；三是建立长效运维机制。"
SEEN_WITHIN = 10.0  # seconds another process may take to act on a change (it checks every 2 s)


class Client:
    """A simulator with message ids of its own."""

    def __init__(self, process: BotProcess, first_id: int) -> None:
        self.sim = OneBotSimulator(
            process.ws_url, self_id=SELF_ID, access_token=process.token, heartbeat_interval=None
        )
        self.ids = itertools.count(first_id)
        for group, name in ((G_MEMBERS, "全体委员"), (G_STAFF, "机关"), (G_UNIT, "承办单位")):
            self.sim.add_group(group, name)
            self.sim.add_member(group, STAFF, card="机关-王秘书")
            self.sim.add_member(group, CONTACT, card="教育局-李四")
        for user in POSTERS:
            self.sim.add_member(G_MEMBERS, user, card=f"农业界-委员{user}")
        for user in (SUPERUSER, STAFF, CONTACT, *POSTERS):
            self.sim.add_friend(user)

    async def post(self, group: int, user: int, message: str | list[dict[str, Any]]) -> int:
        return await self.sim.post_group_message(group, user, message, message_id=next(self.ids))

    async def ask(self, group: int, user: int, message: Any, timeout: float = 30) -> str:
        mid = await self.post(group, user, message)
        try:
            found = await self.sim.wait_for_sent(lambda m: m.reply_id == mid, timeout=timeout)
        except TimeoutError:
            return ""
        return found.text


def pair(folder: Path, url: str, tag: str) -> list[BotProcess]:
    return [
        bot_process(folder / f"bot-two-{tag}-{n}", url, INTAKE_RATE_PER_MINUTE="100")
        for n in range(2)
    ]


async def start_together(bots: list[BotProcess]) -> list[str]:
    """Spawn both at once; the errors of those that did not come up."""
    for bot in bots:
        bot.spawn()
    errors: list[str] = []
    for bot in bots:
        try:
            await asyncio.to_thread(bot.wait_listening, 120)
        except RuntimeError as exc:
            errors.append(str(exc).splitlines()[0][:200])
    return errors


async def simultaneous_starts(folder: Path, starts: int, row: Row) -> None:
    for round_ in range(starts):
        url = await create_database("postgres", folder)
        bots = pair(folder, url, f"start{round_}")
        try:
            for error in await start_together(bots):
                row.fault("failed starts", example=error)
            for n, bot in enumerate(bots):
                row.tried["processes started at once on an empty database"] += 1
                if bot.proc is None or bot.proc.poll() is not None:
                    continue
                client = Client(bot, 1_000_000 * (n + 1))
                await client.sim.connect(timeout=30)
                answer = await client.ask(G_STAFF + 10 * n, SUPERUSER, "本群 设为 机关群")
                await client.sim.close()
                if "已将本群设为机关群" not in answer:
                    row.fault("failed starts", example=f"round {round_}: {answer[:100]!r}")
                for line in tracebacks(bot.log()):
                    row.fault("tracebacks in the log", example=line)
        finally:
            for bot in bots:
                await bot.astop()
            await drop_database(url)


async def seen_through(other: Client, check: Any, row: Row, what: str) -> None:
    """Poll the other process with `check()` (an async probe) until it is true; the delay."""
    started = time.monotonic()
    ok = await until(check, timeout=SEEN_WITHIN, step=0.25)
    delay = time.monotonic() - started
    row.tried["changes made through one process, used through the other"] += 1
    key = f"tenths of a second until seen: {what}"
    row.observed[key] = max(row.observed.get(key, 0), round(delay * 10))
    if not ok:
        row.fault(f"changes not seen within {SEEN_WITHIN:g} s", example=what)


async def visibility(first: Client, second: Client, row: Row) -> None:
    """Each change through `first`, then probed through `second` until it acts on it."""
    await first.ask(G_MEMBERS, SUPERUSER, "本群 设为 全体群")

    async def member_group_bound() -> bool:
        return "本群是全体群" in await second.ask(G_MEMBERS, SUPERUSER, "本群", timeout=1)

    await seen_through(second, member_group_bound, row, "binding")
    await first.ask(G_STAFF, SUPERUSER, "本群 设为 机关群")
    at = {"type": "at", "data": {"qq": str(STAFF)}}
    await first.ask(G_STAFF, SUPERUSER, [{"type": "text", "data": {"text": "管理员 添加 "}}, at])

    async def staff_known() -> bool:
        answer = await second.ask(G_STAFF, STAFF, "委员 列表", timeout=1)
        return bool(answer) and "仅限" not in answer  # (not refused as for a member)

    await seen_through(second, staff_known, row, "staff member")
    at = {"type": "at", "data": {"qq": str(CONTACT)}}
    await first.ask(G_STAFF, STAFF, [{"type": "text", "data": {"text": "单位 添加 县教育局 "}}, at])
    await first.ask(G_UNIT, SUPERUSER, "本群 设为 承办单位群")

    async def contact_known() -> bool:
        answer = await second.ask(G_UNIT, CONTACT, "进展 999 已调研", timeout=1)
        return bool(answer) and "仅限" not in answer

    await seen_through(second, contact_known, row, "unit contact")
    await first.ask(G_UNIT, SUPERUSER, "本群 取消")

    async def unbound() -> bool:
        return "尚未绑定" in await second.ask(G_UNIT, SUPERUSER, "本群", timeout=1)

    await seen_through(second, unbound, row, "binding cancelled")


async def concurrent_posts(first: Client, second: Client, posts: int, seed: int, row: Row) -> None:
    rng = random.Random(seed)
    sent: dict[tuple[int, int], str] = {}  # (client, message id) -> title
    plan = [(rng.choice((0, 1)), n) for n in range(posts)]
    for which, n in plan:
        client = (first, second)[which]
        title = f"关于第{n}件民生实事的建议"
        mid = await client.post(
            G_MEMBERS, POSTERS[n % len(POSTERS)], f"#提案 {title}\n第{n}稿。{BODY}"
        )
        sent[(which, mid)] = title
    row.tried["concurrent posts through both processes"] += posts
    row.observed["posts through the first process"] = sum(w == 0 for w, _ in plan)

    def answered() -> bool:
        got = {(w, m.reply_id) for w, c in enumerate((first, second)) for m in c.sim.sent}
        return set(sent) <= got

    await until(answered, timeout=180, step=0.5)
    numbers: list[int] = []
    for which, client in enumerate((first, second)):
        replies = {m.reply_id: m.text for m in client.sim.sent if m.reply_id}
        for (w, mid), title in sent.items():
            if w != which:
                continue
            text = replies.get(mid, "")
            found = re.match(r"已登记：提案第(\d+)号《(.*?)》", text)
            if found is None or found.group(2) != title:
                row.fault("failed posts", example=text[:120] or f"no answer to {title}")
                continue
            numbers.append(int(found.group(1)))
    counts = Counter(numbers)
    row.fault("duplicate numbers", sum(c - 1 for c in counts.values() if c > 1))
    if numbers:
        row.fault("number gaps", len(set(range(1, max(numbers) + 1)) - set(numbers)))


async def run(folder: Path, *, starts: int, posts: int, seed: int) -> Row:
    row = Row("4. two instances on one PostgreSQL", "postgres")
    row.zero("failed starts", f"changes not seen within {SEEN_WITHIN:g} s", "failed posts",
             "duplicate numbers", "number gaps", "tracebacks in the log")  # fmt: skip
    started = time.monotonic()
    await simultaneous_starts(folder, starts, row)
    url = await create_database("postgres", folder)
    bots = pair(folder, url, "shared")
    try:
        for error in await start_together(bots):
            row.fault("failed starts", example=error)
        first, second = Client(bots[0], 1_000_000), Client(bots[1], 2_000_000)
        await first.sim.connect(timeout=30)
        await second.sim.connect(timeout=30)
        await visibility(first, second, row)
        await first.ask(G_MEMBERS, SUPERUSER, "本群 设为 全体群")
        await asyncio.sleep(2.5)
        await concurrent_posts(first, second, posts, seed, row)
        for client in (first, second):
            await client.sim.close()
        for bot in bots:
            for line in tracebacks(bot.log()):
                row.fault("tracebacks in the log", example=line)
    finally:
        for bot in bots:
            await bot.astop()
        await drop_database(url)
    row.seconds = time.monotonic() - started
    return row
