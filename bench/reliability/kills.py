"""Campaign 2: kill -9 in the middle of a burst, restart, re-deliver every event.

Each run has a fresh database with 70 proposals: 1-20 submitted (立案 in the burst, three
ranges and five singles), 21-40 accepted (交办 in the burst, ten singles and one range of ten),
41-60 assigned (答复 by the unit contact in the burst, one each), 61-70 submitted (附议 targets).
The burst, shuffled with the run's seed, adds 40 posts and 40 co-signs. The bot is killed when a
seeded share of the burst has been answered (every third run is killed a second time during the
re-delivery), restarted, and the client re-delivers every event it ever posted, with the same
ids. Then the database must hold every post once, numbered without gaps, every co-sign once,
every step applied once with one timeline entry and exactly one notice, and an outbox with
nothing stuck.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import select

from bench.reliability.common import (
    SUPERUSER,
    Row,
    apologies,
    bot_process,
    create_database,
    drop_database,
    simulator,
    tracebacks,
    until,
)
from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.core.models import (
    Cosign,
    CosignStatus,
    OutboxMessage,
    OutboxStatus,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.records.service import Actor, RecordService
from bot.core.workflow import states

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.botprocess import BotProcess
    from bot.devtools.onebot_sim import OneBotSimulator

G_MEMBERS, G_STAFF, G_UNIT = 620_001, 620_002, 620_003
CONTACT = 20_003
UNIT = "县教育局"
SEEDED = 70
ACCEPT, ASSIGN, ANSWER, COSIGN_TARGETS = range(1, 21), range(21, 41), range(41, 61), range(61, 71)
POSTERS = range(20_200, 20_240)
BODY = "我县情况如下，亟待改进。建议：一是统筹规划，分年度实施；二是加大财政投入，建立长效机制。"


def proposer(n: int) -> int:
    return 20_100 + n


def title(user: int) -> str:
    return f"关于第{user}项民生实事的建议"


@dataclass
class Burst:
    events: list[tuple[str, int, str]] = field(default_factory=list)  # (place, user, text)

    @classmethod
    def build(cls, rng: random.Random) -> Burst:
        events: list[tuple[str, int, str]] = []
        for user in POSTERS:
            events.append(("members", user, f"#提案 {title(user)}\n{BODY}"))
            target = COSIGN_TARGETS[(user - POSTERS[0]) % len(COSIGN_TARGETS)]
            events.append(("members", user, f"附议 {target}"))
        events += [("staff", SUPERUSER, f"立案 {a}-{a + 4}") for a in (1, 6, 11)]
        events += [("staff", SUPERUSER, f"立案 {n}") for n in range(16, 21)]
        events += [("staff", SUPERUSER, f"交办 {n} 主办 {UNIT}") for n in range(21, 31)]
        events.append(("private", SUPERUSER, f"交办 31-40 主办 {UNIT}"))
        events += [("private", CONTACT, f"答复 {n} A 已按建议办理，资金已落实") for n in ANSWER]
        rng.shuffle(events)
        return cls(events)


class Run:
    def __init__(self, process: BotProcess, rng: random.Random) -> None:
        self.process = process
        self.rng = rng
        self.sim = simulator(process, self_id=72_000)
        self.burst_ids: dict[int, str] = {}  # message id -> text
        self.kills = 0
        world(self.sim)

    async def connect(self) -> None:
        await self.sim.connect(timeout=30, retry_refused=True)

    async def say(self, place: str, user: int, text: str) -> int:
        if place == "private":
            return await self.sim.post_private_message(user, text)
        group = {"members": G_MEMBERS, "staff": G_STAFF, "unit": G_UNIT}[place]
        return await self.sim.post_group_message(group, user, text)

    async def ask(self, place: str, user: int, text: str, timeout: float = 60) -> str:
        mid = await self.say(place, user, text)
        return (await self.sim.wait_for_sent(lambda m: m.reply_id == mid, timeout=timeout)).text

    async def prepare(self) -> None:
        for place, kind in (("members", "全体群"), ("staff", "机关群"), ("unit", "承办单位群")):
            await self.ask(place, SUPERUSER, f"本群 设为 {kind}")
        contact = [
            {"type": "text", "data": {"text": f"单位 添加 {UNIT} "}},
            {"type": "at", "data": {"qq": str(CONTACT)}},
        ]
        mid = await self.sim.post_private_message(SUPERUSER, contact)
        await self.sim.wait_for_sent(lambda m: m.reply_id == mid, timeout=30)
        await seed(self.process.database_url)
        await self.ask("staff", SUPERUSER, f"立案 {ASSIGN[0]}-{ANSWER[-1]}", timeout=120)
        await self.ask(
            "staff", SUPERUSER, f"交办 {ANSWER[0]}-{ANSWER[-1]} 主办 {UNIT}", timeout=120
        )

    def answered(self) -> int:
        return len({m.reply_id for m in self.sim.sent if m.reply_id in self.burst_ids})

    async def kill_after(self, share: float, total: int) -> None:
        """kill -9 once `share` of `total` burst messages have been answered."""
        target = max(1, int(share * total))
        await until(lambda: self.answered() >= target, timeout=120, step=0.01)
        self.process.kill()
        self.kills += 1
        await self.sim.close()

    async def restart_and_redeliver(self) -> None:
        await self.process.astart()
        await self.connect()
        for event in list(self.sim.events):
            await self.sim.post_event(dict(event))


def world(sim: OneBotSimulator) -> None:
    sim.add_group(G_MEMBERS, "县政协全体委员")
    sim.add_group(G_STAFF, "县政协机关")
    sim.add_group(G_UNIT, "承办单位")
    people = [(SUPERUSER, "机关-主任"), (CONTACT, "教育局-李四")]
    people += [(u, f"农业界-委员{u}") for u in POSTERS]
    people += [(proposer(n), f"农业界-提案人{n}") for n in range(1, SEEDED + 1)]
    for group in (G_MEMBERS, G_STAFF, G_UNIT):
        for user, card in people:
            sim.add_member(group, user, card=card)
    for user, _card in people:
        sim.add_friend(user)


async def seed(url: str) -> None:
    """SEEDED submitted proposals, written by this (other) process as intake would."""
    db = Database(url)
    try:
        records = RecordService(db, SystemClock(), states)
        for n in range(1, SEEDED + 1):
            await records.create(
                Record(
                    kind="proposal", year=0, number=0, proposer_user_id=str(proposer(n)),
                    proposer_name=f"提案人{n}", source_group_id=str(G_MEMBERS),
                    title=f"关于第{n}件实事的建议", body=BODY,
                ),
                actor=Actor(str(proposer(n)), f"提案人{n}", f"group:{G_MEMBERS}"),
            )  # fmt: skip
    finally:
        await db.dispose()


@dataclass
class State:
    records: list[Record]
    cosigns: list[Cosign]
    timeline: list[TimelineEntry]
    outbox: list[OutboxMessage]

    @classmethod
    async def read(cls, url: str) -> State:
        db = Database(url)
        try:
            async with db.session() as session:
                return cls(
                    list((await session.exec(select(Record).order_by(Record.id))).all()),
                    list((await session.exec(select(Cosign))).all()),
                    list((await session.exec(select(TimelineEntry).order_by(TimelineEntry.id))).all()),
                    list((await session.exec(select(OutboxMessage))).all()),
                )  # fmt: skip
        finally:
            await db.dispose()

    def status(self, number: int) -> str | None:
        return next((r.status for r in self.records if r.number == number), None)

    def done(self) -> bool:
        titles = {r.title for r in self.records}
        confirmed = sum(c.status == CosignStatus.CONFIRMED for c in self.cosigns)
        return (
            all(title(u) in titles for u in POSTERS)
            and confirmed >= len(POSTERS)
            and all(self.status(n) == RecordStatus.ACCEPTED for n in ACCEPT)
            and all(self.status(n) == RecordStatus.ASSIGNED for n in ASSIGN)
            and all(self.status(n) == RecordStatus.ANSWERED for n in ANSWER)
        )

    def drained(self) -> bool:
        busy = {OutboxStatus.PENDING, OutboxStatus.SENDING}
        return not [m for m in self.outbox if m.status in busy]


def check(state: State, sim: OneBotSimulator, row: Row) -> None:
    """Add this run's faults to the row."""
    by_number = {r.number: r for r in state.records}
    titles = Counter(r.title for r in state.records)
    for user in POSTERS:
        if titles[title(user)] == 0:
            row.fault("posts lost", example=title(user))
        elif titles[title(user)] > 1:
            row.fault("posts duplicated", titles[title(user)] - 1, example=title(user))
    numbers = sorted(by_number)
    row.fault("number gaps", len(set(range(1, len(state.records) + 1)) - set(numbers)))
    row.fault("number duplicates", len(state.records) - len(set(numbers)))
    pairs = Counter(
        (c.record_id, c.user_id) for c in state.cosigns if c.status == CosignStatus.CONFIRMED
    )
    for user in POSTERS:
        target = by_number[COSIGN_TARGETS[(user - POSTERS[0]) % len(COSIGN_TARGETS)]]
        seen = pairs[(target.id, str(user))]
        if seen == 0:
            row.fault("changes lost", example=f"附议 {target.number} by {user}")
        elif seen > 1:
            row.fault("changes applied twice", seen - 1, example=f"附议 {target.number}")
    steps = {"accept": ACCEPT, "assign": ASSIGN, "answer": ANSWER}
    wanted = {"accept": RecordStatus.ACCEPTED, "assign": RecordStatus.ASSIGNED,
              "answer": RecordStatus.ANSWERED}  # fmt: skip
    actions = Counter((e.record_id, e.action) for e in state.timeline)
    for action, numbers_ in steps.items():
        for n in numbers_:
            record = by_number[n]
            if record.status != wanted[action]:
                row.fault("changes lost", example=f"{action} {n}: {record.status}")
            applied = actions[(record.id, action)] + actions[(record.id, f"re{action}")]
            if applied > 1:  # (交办 on an assigned record is 交办调整, "reassign")
                row.fault("changes applied twice", applied - 1, example=f"{action} {n}")
            notices = member_notices(state.outbox, record, action)
            if len(notices) == 0 and record.status == wanted[action]:
                row.fault("notices missing", example=f"{action} {n}")
            elif len(notices) > 1:
                row.fault("notices doubled", len(notices) - 1, example=f"{action} {n}")
    check_half_written(state, row)
    check_outbox(state, sim, row)


def member_notices(outbox: list[OutboxMessage], record: Record, action: str) -> list[str]:
    """The dedup keys of the notices telling the proposer about `action` on `record`."""
    keys = [m.dedup_key or "" for m in outbox if m.record_id == record.id]
    mine = [m.dedup_key or "" for m in outbox if m.record_id == record.id
            and m.target_type == "private" and m.target_id == record.proposer_user_id]  # fmt: skip
    if action == "accept":
        return [k for k in keys if k == f"accept:{record.id}"]
    if action == "answer":
        return [k for k in keys if k == f"answer:{record.id}:r1"]
    return [k for k in mine if k.startswith(f"assign:{record.id}:r1:")]


def check_half_written(state: State, row: Row) -> None:
    last: dict[int, str] = {}
    submits: Counter[int] = Counter()
    for entry in state.timeline:
        if entry.to_status:
            last[entry.record_id] = entry.to_status
        submits[entry.record_id] += entry.action == "submit"
    for record in state.records:
        if last.get(record.id or 0) != record.status:
            row.fault("half-written records", example=f"{record.number} {record.status} "
                      f"(timeline says {last.get(record.id or 0)})")  # fmt: skip
        if submits[record.id or 0] != 1:
            row.fault("half-written records", example=f"{record.number}: {submits[record.id or 0]} submit entries")  # fmt: skip


def check_outbox(state: State, sim: OneBotSimulator, row: Row) -> None:
    delivered = {str(m.message_id) for m in sim.sent}
    for message in state.outbox:
        if message.status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            row.fault(
                "outbox rows stuck", example=f"{message.id} {message.status} {message.dedup_key}"
            )
        elif message.status == OutboxStatus.FAILED:
            row.fault("outbox rows failed", example=f"{message.id} {message.last_error[:100]}")
        elif message.status == OutboxStatus.SENT and message.sent_message_id not in delivered:
            row.fault("outbox rows lost (sent, never delivered)", example=str(message.id))
        elif message.status == OutboxStatus.UNCERTAIN:
            text = "".join(str(p.get("text", "")) for p in message.parts).strip()[:30]
            arrived = any(
                str(m.group_id or m.user_id) == message.target_id and text in m.text
                for m in sim.sent
            )
            key = "delivered before the kill" if arrived else "never delivered"
            row.observed[f"uncertain (group message in flight at a kill), {key}"] += 1
    texts = Counter((m.group_id, m.user_id, m.text) for m in sim.sent if not m.reply_id)
    for (group, user, text), count in texts.items():
        if count > 1 and "补发" not in text:
            row.fault("notices delivered twice", count - 1, example=f"{group or user}: {text[:80]}")
    row.observed["补发 (one-to-one notice in flight at a kill, sent once more)"] += sum(
        "补发" in m.text for m in sim.sent
    )


async def one_run(backend: str, folder: Path, index: int, seed: int, row: Row) -> None:
    rng = random.Random(seed * 1000 + index)
    url = await create_database(backend, folder)
    process = bot_process(folder / f"bot-kill-{backend}-{index}", url)
    run = Run(process, rng)
    try:
        await process.astart()
        await run.connect()
        await run.prepare()
        burst = Burst.build(rng)
        for place, user, text in burst.events:
            run.burst_ids[await run.say(place, user, text)] = text
        share = rng.uniform(0.03, 0.85)
        await run.kill_after(share, len(burst.events))
        before = await State.read(url)
        row.observed["runs killed before the burst was done"] += not before.done()
        await run.restart_and_redeliver()
        if index % 3 == 2:  # a second kill, during the re-delivery
            await asyncio.sleep(rng.uniform(0.05, 2.0))
            run.process.kill()
            run.kills += 1
            await run.sim.close()
            await run.restart_and_redeliver()
        state = await until(lambda: _done(url), timeout=180, step=0.5)
        if not state:
            state = await State.read(url)
        state = await until(lambda: _drained(url), timeout=60, step=0.5) or await State.read(url)
        check(state, run.sim, row)
        for message in apologies(run.sim.sent):
            row.fault("apologies (出错)", example=message.text[:100])
        for line in tracebacks(process.log()):
            row.fault("tracebacks in the log", example=line)
        row.tried["kills"] += run.kills
        row.tried["events delivered (with re-deliveries)"] += len(run.sim.events)
        row.tried["posts (burst)"] += len(POSTERS)
        row.tried["co-signs (burst)"] += len(POSTERS)
        row.tried["workflow steps (burst)"] += len(ACCEPT) + len(ASSIGN) + len(ANSWER)
        answered = {m.reply_id for m in run.sim.sent}
        confirmed = "\n".join(m.text for m in run.sim.sent if "已登记" in m.text)
        for mid, text in run.burst_ids.items():
            if text.startswith("#提案"):  # answered directly, or queued again (补发)
                heading = text.splitlines()[0].removeprefix("#提案 ")
                if f"《{heading}》" not in confirmed:
                    row.fault("posts never confirmed", example=heading)
            elif mid not in answered:
                row.observed["command replies lost in a kill (the change itself applied)"] += 1
    finally:
        await run.sim.close()
        process.kill()
        await drop_database(url)


async def _done(url: str) -> State | None:
    state = await State.read(url)
    return state if state.done() else None


async def _drained(url: str) -> State | None:
    state = await State.read(url)
    return state if state.drained() else None


async def run(backend: str, folder: Path, *, runs: int, seed: int) -> Row:
    row = Row("2. kill -9 runs", backend)
    row.zero(
        "posts lost", "posts duplicated", "number gaps", "number duplicates", "changes lost",
        "changes applied twice", "notices missing", "notices doubled", "half-written records",
        "outbox rows stuck", "outbox rows failed", "outbox rows lost (sent, never delivered)",
        "notices delivered twice", "posts never confirmed", "apologies (出错)", "tracebacks in the log",
    )  # fmt: skip
    started = time.monotonic()
    for index in range(runs):
        await one_run(backend, folder, index, seed, row)
        print(
            f"  kill run {backend} {index + 1}/{runs}: {dict(row.faults + Counter())}", flush=True
        )
    row.seconds = time.monotonic() - started
    return row
