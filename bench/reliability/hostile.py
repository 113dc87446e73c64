"""Campaign 1: hostile inputs through the real process.

Every registered command word (and alias) and the tags, with hostile arguments, from the
superuser, a staff member, a unit contact, members and strangers, in a bound members' group, the
staff group, a unit group, an unbound group and privately; then malformed WebSocket frames and
events with invalid ids. Counted: the bot's apologies (出错), tracebacks in its log, connection
drops, process exits, stalls (a probe not answered in 120 s), group messages that show a private
record's marker, replies with unclean text, stored rows with unclean text.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from bench.reliability import hostile_inputs as h
from bench.reliability.common import (
    SUPERUSER,
    UNCLEAN,
    Row,
    apologies,
    bot_process,
    create_database,
    drop_database,
    simulator,
    tracebacks,
    unclean_rows,
    until,
)
from bot.devtools.onebot_sim import SimulatorNotConnected

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.botprocess import BotProcess

BATCH = 40
PROBE_TIMEOUT = 120.0


def command_words() -> list[str]:
    """Every word of the command table (names and aliases), read from bot.nb.registry after
    loading the plugins the way the bot does (nothing runs)."""
    import nonebot

    from bot.app import load_project_plugins
    from bot.nb.adapter import Adapter
    from bot.nb.registry import registry

    if not registry.topics():
        nonebot.init(driver="~fastapi", log_level="WARNING")
        nonebot.get_driver().register_adapter(Adapter)
        load_project_plugins()
    words = {
        word
        for topic in registry.topics()
        for command in topic.commands
        for word in (command.name, *command.aliases)
    }
    return sorted(words)


class Fuzz:
    def __init__(self, process: BotProcess, row: Row) -> None:
        self.process = process
        self.row = row
        self.sim = simulator(process, self_id=71_000)
        self.labels: dict[int, str] = {}
        self.rfc_closes = 0

    def build_world(self) -> None:
        sim = self.sim
        sim.add_group(h.G_MEMBERS, "县政协全体委员")
        sim.add_group(h.G_STAFF, "县政协机关")
        sim.add_group(h.G_UNIT, "承办单位")
        sim.add_group(h.G_UNBOUND, "闲聊群")
        people = [(SUPERUSER, "机关-主任"), (h.STAFF, "机关-王五"), (h.CONTACT, "教育局-李四")]
        people += [(m, f"农业界-委员{m}") for m in h.MEMBERS]
        people += [(s, "") for s in h.STRANGERS]
        for group in h.GROUP_OF.values():
            for user, card in people:
                sim.add_member(group, user, card=card)
        for user, _card in people:
            sim.add_friend(user)

    async def say(self, place: str, user: int, message: Any, *, label: str = "") -> int:
        if place == "private":
            mid = await self.sim.post_private_message(user, message)
        else:
            mid = await self.sim.post_group_message(h.GROUP_OF[place], user, message)
        if label:
            self.labels[mid] = label
        return mid

    async def ask(self, place: str, user: int, message: Any, timeout: float = 30) -> str:
        mid = await self.say(place, user, message)
        sent = await self.sim.wait_for_sent(lambda m: m.reply_id == mid, timeout=timeout)
        return sent.text

    async def setup(self) -> None:
        """Bind the groups, appoint staff and a unit contact, post a few clean records."""
        for place, kind in (("members", "全体群"), ("staff", "机关群"), ("unit", "承办单位群")):
            await self.ask(place, SUPERUSER, f"本群 设为 {kind}")
        at = {"type": "at", "data": {"qq": str(h.STAFF)}}
        await self.ask("private", SUPERUSER, [h._text("管理员 添加 "), at])
        contact = {"type": "at", "data": {"qq": str(h.CONTACT)}}
        await self.ask("private", SUPERUSER, [h._text(f"单位 添加 {h.UNIT} "), contact])
        body = "我县农村生活污水处理设施覆盖率低。建议：一是加大财政投入；二是建立长效运维机制。"
        member = h.MEMBERS[0]
        await self.ask("members", member, f"#提案 关于加强农村污水治理的建议\n{body}")
        await self.ask("members", h.MEMBERS[1], f"#社情民意 关于校门口交通拥堵的情况\n{body}")
        await self.ask("members", h.MEMBERS[2], "#议题 农村养老服务")
        await self.ask("private", member, f"#提案 关于{h.MARKER.format(0)}的建议\n{body}")
        await self.ask("staff", SUPERUSER, "立案 1")
        await self.ask("staff", SUPERUSER, f"交办 1 主办 {h.UNIT}")

    async def ensure_up(self) -> None:
        """Restart a process that exited (counted), reconnect a dropped client (counted)."""
        if self.process.proc is not None and self.process.proc.poll() is not None:
            self.row.fault("process exits", example=self.process.current_log()[-300:])
            await self.process.astart()
        if not self.sim.connected:
            self.row.fault("connection drops")
            await self.sim.connect(timeout=30, retry_refused=True)

    async def probe(self) -> None:
        """Wait until a probe sent after the batch is answered (the bot has caught up)."""
        try:
            await self.ask("private", SUPERUSER, "查提案 1", timeout=PROBE_TIMEOUT)
        except TimeoutError:
            self.row.fault("stalls (probe unanswered 120 s)")
        except SimulatorNotConnected:
            pass

    async def messages(self, generator: h.Generator, count: int) -> None:
        for start in range(0, count, BATCH):
            for _ in range(min(BATCH, count - start)):
                message = generator.message()
                try:
                    await self.say(message.place, message.sender, message.segments,
                                   label=message.label)  # fmt: skip
                except SimulatorNotConnected:
                    await self.ensure_up()
            await self.probe()
            await self.ensure_up()
            if start and start % 1000 == 0:
                await self.setup_again()

    async def setup_again(self) -> None:
        """A hostile 本群 取消 or 管理员 移除 may have changed the world: put it back."""
        for place, kind in (("members", "全体群"), ("staff", "机关群"), ("unit", "承办单位群")):
            await self.say(place, SUPERUSER, f"本群 设为 {kind}")
        await self.say("private", SUPERUSER,
                       [h._text("管理员 添加 "), {"type": "at", "data": {"qq": str(h.STAFF)}}])  # fmt: skip

    async def drop_in_flight(self) -> int:
        """Commands in flight when the connection fails (an invalid UTF-8 text frame makes the
        server close it, RFC 6455): after reconnecting, the client re-delivers them, and each
        must be answered exactly once."""
        ids = [await self.say("private", SUPERUSER, "委员 列表") for _ in range(10)]
        ids += [await self.say("staff", h.STAFF, "查提案 1") for _ in range(10)]
        events = [dict(e) for e in self.sim.events[-len(ids) :]]
        await self.sim.send_raw(b'{"post_type": "\xff"}', text=True)
        await until(lambda: not self.sim.connected, timeout=10, step=0.02)
        self.rfc_closes += 1
        await self.sim.connect(timeout=30, retry_refused=True)
        for event in events:
            await self.sim.post_event(event)

        def all_answered() -> bool:
            return {m.reply_id for m in self.sim.sent} >= set(ids)

        await until(all_answered, timeout=60, step=0.1)
        await self.probe()
        answers = Counter(m.reply_id for m in self.sim.sent if m.reply_id in ids)
        for mid in ids:
            if answers[mid] == 0:
                self.row.fault("in-flight commands unanswered after re-delivery")
            elif answers[mid] > 1:
                self.row.fault("in-flight commands answered twice", answers[mid] - 1)
        return len(ids)

    async def frames(self, generator: h.Generator, rounds: int) -> int:
        sent = 0
        for _ in range(rounds):
            sent += await self.drop_in_flight()
            for label, frame, as_text in generator.bad_frames():
                try:
                    await self.sim.send_raw(frame, text=as_text)
                    sent += 1
                except SimulatorNotConnected:
                    pass
                await asyncio.sleep(0.05)
                if as_text and not self.sim.connected:
                    # RFC 6455 8.1: invalid UTF-8 in a text frame fails the connection (1007)
                    self.rfc_closes += 1
                    await self.sim.connect(timeout=30, retry_refused=True)
                elif not self.sim.connected:
                    self.row.fault("connection drops", example=f"after {label}")
                    await self.ensure_up()
            for label, event in generator.bad_events():
                event.setdefault("time", int(time.time()))
                event.setdefault("self_id", self.sim.self_id)
                try:  # as it is: the simulator's own bookkeeping would choke on bad ids
                    await self.sim.send_raw(json.dumps(event))
                    sent += 1
                except SimulatorNotConnected:
                    self.row.fault("connection drops", example=f"after {label}")
                    await self.ensure_up()
            await self.probe()
            await self.ensure_up()
        return sent


async def run(backend: str, folder: Path, *, inputs: int, frame_rounds: int, seed: int) -> Row:
    row = Row("1. hostile inputs", backend)
    row.zero(
        "apologies (出错)", "tracebacks in the log", "connection drops", "process exits",
        "stalls (probe unanswered 120 s)", "private text in a group", "unclean replies",
        "unclean stored values", "in-flight commands unanswered after re-delivery",
        "in-flight commands answered twice",
    )  # fmt: skip
    started = time.monotonic()
    url = await create_database(backend, folder)
    process = bot_process(folder / f"bot-hostile-{backend}", url)
    words = command_words()
    generator = h.Generator(seed, words)
    fuzz = Fuzz(process, row)
    fuzz.build_world()
    try:
        await process.astart()
        await fuzz.sim.connect(timeout=30)
        await fuzz.setup()
        await fuzz.messages(generator, inputs)
        frames = await fuzz.frames(generator, frame_rounds)
        await asyncio.sleep(2.0)
        await fuzz.probe()
        row.tried.update(
            {
                "chat messages": inputs,
                "command words and tags": len(words) + len(h.TAGS),
                "malformed frames and bad-id events": frames,
                "private posts (with a marker)": generator.markers + 1,
            }
        )
        check(fuzz, row)
        await fuzz.sim.close()
        await process.astop()
        for where in await unclean_rows(url):
            row.fault("unclean stored values", example=where)
        row.notes.append(
            f"{fuzz.rfc_closes} connections closed with 1007 after invalid UTF-8 in a text "
            "frame, as RFC 6455 requires; the client reconnected at once"
        )
        row.notes.append(
            f"answered {len({m.reply_id for m in fuzz.sim.sent if m.reply_id})} messages; "
            f"sent {len(fuzz.sim.sent)} in all"
        )
    finally:
        await fuzz.sim.close()
        process.kill()
        await drop_database(url)
    row.seconds = time.monotonic() - started
    return row


def check(fuzz: Fuzz, row: Row) -> None:
    sent = fuzz.sim.sent
    for message in apologies(sent):
        row.fault("apologies (出错)", example=fuzz.labels.get(message.reply_id or 0, message.text))
    for line in tracebacks(fuzz.process.log()):
        if "uvicorn | Invalid UTF-8 sequence received from client" in line:
            # uvicorn's own log of the close RFC 6455 requires (the frame is ours, on purpose)
            row.observed["uvicorn tracebacks for the 1007 close"] += 1
        else:
            row.fault("tracebacks in the log", example=line)
    readers = {h.G_MEMBERS, h.G_UNIT, h.G_UNBOUND}
    for message in sent:
        if message.group_id in readers and re.search(h.MARKER_RE, message.text):
            label = fuzz.labels.get(message.reply_id or 0, "")
            row.fault("private text in a group", example=f"{label} -> {message.text[:200]}")
        if UNCLEAN.search(message.text):
            row.fault("unclean replies", example=message.text[:200])
