"""Campaign 3: OneBot events POSTed over HTTP, on every route, with every kind of credential.

Two bots: one without ONEBOT_SECRET (every HTTP event must be refused) and one with it (only a
valid X-Signature may pass). Each POST is an event that would change something if executed:
bind a group as the superuser, appoint a stranger as staff, file a post, 立案 it. Counted:
answers other than 403, and executed events (any binding, staff member, record or outbox row
the POSTs asked for, any message the simulator received; redirects, e.g. /onebot/v11 to
/onebot/v11/, are followed as a client would). Validly signed events are the control:
they must be executed.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import TYPE_CHECKING, Any

import httpx
from sqlmodel import select

from bench.reliability.common import (
    SUPERUSER,
    Row,
    bot_process,
    create_database,
    drop_database,
    simulator,
    tracebacks,
)
from bot.core.db import Database
from bot.core.models import ChannelBinding, Member, OutboxMessage, Record

if TYPE_CHECKING:
    from pathlib import Path

    from bot.devtools.botprocess import BotProcess

ROUTES = ("/onebot/v11/", "/onebot/v11/http", "/onebot/v11/http/", "/onebot/v11")
STRANGER = 66_666
MEMBER = 20_001
UNKNOWN_ACCOUNT = 99_999
SECRET = "s3cret-for-signatures"
_ids = itertools.count(900_000)


def _text(value: str) -> dict[str, Any]:
    return {"type": "text", "data": {"text": value}}


def event(self_id: int, user_id: int, segments: list[dict[str, Any]], group: int | None) -> bytes:
    payload: dict[str, Any] = {
        "time": int(time.time()), "self_id": self_id, "post_type": "message",
        "message_type": "group" if group else "private",
        "sub_type": "normal" if group else "friend", "message_id": next(_ids),
        "user_id": user_id, "message": segments, "raw_message": "", "font": 0,
        "sender": {"user_id": user_id, "nickname": "某人", "card": "农业界-某人"},
    }  # fmt: skip
    if group:
        payload["group_id"] = group
    return json.dumps(payload, ensure_ascii=False).encode()


def hostile(self_id: int, group: int) -> list[bytes]:
    at = {"type": "at", "data": {"qq": str(STRANGER)}}
    post = "#提案 关于加强校园食品安全监管的建议\n建议：一是每月抽检。二是公开结果。"
    return [
        event(self_id, SUPERUSER, [_text("本群 设为 全体群")], group),
        event(self_id, SUPERUSER, [_text("管理员 添加 "), at], None),
        event(self_id, MEMBER, [_text(post)], None),
        event(self_id, SUPERUSER, [_text("立案 1")], None),
        json.dumps({"time": int(time.time()), "self_id": self_id, "post_type": "meta_event",
                    "meta_event_type": "lifecycle", "sub_type": "connect"}).encode(),
    ]  # fmt: skip


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def credentials(process: BotProcess) -> list[tuple[str, dict[str, str], str]]:
    token = process.token
    return [
        ("no token", {}, ""),
        ("wrong token", {"Authorization": "Bearer wrong"}, ""),
        ("right token", {"Authorization": f"Bearer {token}"}, ""),
        ("token as Token", {"Authorization": f"Token {token}"}, ""),
        ("token in query", {}, f"?access_token={token}"),
        ("wrong token in query", {}, "?access_token=wrong"),
    ]


def signatures(body: bytes) -> list[str | None]:
    return [None, "", "sha1=0000", sign(b"another body"), sign(body, "wrong secret"),
            sign(body).upper(), "md5=" + sign(body)[5:]]  # fmt: skip


async def world(url: str) -> dict[str, list[str]]:
    db = Database(url)
    try:
        async with db.session() as session:
            return {
                "bindings": sorted(b.group_id for b in (await session.exec(select(ChannelBinding))).all()),
                "staff": sorted(m.user_id for m in (await session.exec(select(Member).where(Member.is_staff))).all()),
                "records": sorted(r.title for r in (await session.exec(select(Record))).all()),
                "outbox": sorted(str(m.parts) for m in (await session.exec(select(OutboxMessage))).all()),
            }  # fmt: skip
    finally:
        await db.dispose()


async def campaign(process: BotProcess, row: Row, *, with_secret: bool) -> None:
    sim = simulator(process)
    await sim.connect(timeout=30)
    before = await world(process.database_url)
    group = 630_001
    async with httpx.AsyncClient(trust_env=False, timeout=15, follow_redirects=True) as http:
        for route in ROUTES:
            for label, headers, query in credentials(process):
                for self_id in (sim.self_id, UNKNOWN_ACCOUNT, 0):
                    for body in hostile(self_id, group):
                        for signature in signatures(body) if with_secret else [None]:
                            extra = {"X-Self-ID": str(self_id)}
                            if signature is not None:
                                extra["X-Signature"] = signature
                            response = await http.post(
                                f"{process.http_url}{route}{query}", content=body,
                                headers={**headers, **extra},
                            )  # fmt: skip
                            row.tried["POSTs"] += 1
                            if response.status_code != 403:
                                row.fault("answered other than 403",
                                          example=f"{route} {label} {response.status_code}")  # fmt: skip
                    group += 1
        after = await world(process.database_url)
        for key in before:
            for item in set(after[key]) - set(before[key]):
                row.fault("events executed", example=f"{key}: {item[:100]}")
        row.fault("events executed", len(sim.sent), example=None)
        if with_secret:
            await control(process, sim, http, row)
    await sim.close()


async def control(process: BotProcess, sim: Any, http: httpx.AsyncClient, row: Row) -> None:
    """Validly signed events: they must be executed (else the test above proves nothing)."""
    for index, route in enumerate(ROUTES):
        group = 631_000 + index
        sim.add_group(group)
        body = event(sim.self_id, SUPERUSER, [_text("本群 设为 全体群")], group)
        response = await http.post(
            f"{process.http_url}{route}", content=body,
            headers={"X-Self-ID": str(sim.self_id), "X-Signature": sign(body)},
        )  # fmt: skip
        row.tried["validly signed control POSTs"] += 1
        try:
            answer = await sim.wait_for_sent(lambda m, g=group: m.group_id == g, timeout=20)
            ok = response.status_code == 204 and "已将本群设为全体群" in answer.text
        except TimeoutError:
            ok = False
        if not ok:
            row.fault(
                "signed control events not executed", example=f"{route} {response.status_code}"
            )


async def run(backend: str, folder: Path) -> Row:
    row = Row("3. HTTP event POSTs", backend)
    row.zero("answered other than 403", "events executed", "signed control events not executed",
             "tracebacks in the log")  # fmt: skip
    started = time.monotonic()
    for with_secret in (False, True):
        url = await create_database(backend, folder)
        extra = {"ONEBOT_SECRET": SECRET} if with_secret else {}
        name = "secret" if with_secret else "plain"
        process = bot_process(folder / f"bot-http-{backend}-{name}", url, **extra)
        try:
            await process.astart()
            await campaign(process, row, with_secret=with_secret)
            for line in tracebacks(process.log()):
                row.fault("tracebacks in the log", example=line)
        finally:
            await process.astop()
            await drop_database(url)
    row.seconds = time.monotonic() - started
    return row
