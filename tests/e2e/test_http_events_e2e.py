"""The HTTP event routes of the real bot: they refuse every event unless ONEBOT_SECRET is set,
and then only take events with a valid X-Signature. The access token guards the WebSocket only:
the stock adapter ran POSTed events (bind a group as the superuser, appoint staff, file posts,
create bot accounts) for anyone who could reach the port."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from sqlmodel import select

from bot.core.db import Database
from bot.core.models import ChannelBinding, Member, OutboxMessage, Record
from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator
from tests import dbutil
from tests.e2e.conftest import SUPERUSER, SimFactory

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

ROUTES = ("/onebot/v11/", "/onebot/v11/http", "/onebot/v11/http/")
STRANGER = 66666
MEMBER = 20001
UNKNOWN_ACCOUNT = 99_999
SECRET = "s3cret-for-signatures"
_ids = itertools.count(900_000)


def group_event(self_id: int, group_id: int, user_id: int, segments: list[dict[str, Any]]) -> bytes:
    payload = {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "message",
        "message_type": "group",
        "sub_type": "normal",
        "message_id": next(_ids),
        "group_id": group_id,
        "user_id": user_id,
        "message": segments,
        "raw_message": "",
        "font": 0,
        "sender": {"user_id": user_id, "nickname": "某人", "card": "农业界-某人"},
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def private_event(self_id: int, user_id: int, segments: list[dict[str, Any]]) -> bytes:
    payload = {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "message",
        "message_type": "private",
        "sub_type": "friend",
        "message_id": next(_ids),
        "user_id": user_id,
        "message": segments,
        "raw_message": "",
        "font": 0,
        "sender": {"user_id": user_id, "nickname": "某人"},
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "data": {"text": value}}


def hostile_events(self_id: int, group_id: int) -> list[bytes]:
    """What an attacker posts: bind a group as the superuser, appoint a stranger, file a post."""
    return [
        group_event(self_id, group_id, SUPERUSER, [text("本群 设为 全体群")]),
        private_event(
            self_id,
            SUPERUSER,
            [text("管理员 添加 "), {"type": "at", "data": {"qq": str(STRANGER)}}],
        ),
        private_event(
            self_id,
            MEMBER,
            [text("#提案 关于加强校园食品安全监管的建议\n建议：一是每月抽检。二是公开结果。")],
        ),
        private_event(self_id, SUPERUSER, [text("立案 1")]),
    ]


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


async def world(url: str) -> dict[str, list[str]]:
    """What the posts would have changed."""
    db = Database(url)
    try:
        async with db.session() as session:
            bindings = (await session.exec(select(ChannelBinding))).all()
            staff = (await session.exec(select(Member).where(Member.is_staff))).all()
            records = (await session.exec(select(Record))).all()
            outbox = (await session.exec(select(OutboxMessage))).all()
        return {
            "bindings": sorted(b.group_id for b in bindings),
            "staff": sorted(m.user_id for m in staff),
            "records": sorted(r.title for r in records),
            "outbox": sorted(str(m.parts) for m in outbox),
        }
    finally:
        await db.dispose()


def header_variants(process: BotProcess) -> list[tuple[str, dict[str, str], str]]:
    """(label, headers, query) for no token, a wrong one, and the right one both ways."""
    return [
        ("no token", {}, ""),
        ("wrong token", {"Authorization": "Bearer wrong"}, ""),
        ("right token", {"Authorization": f"Bearer {process.token}"}, ""),
        ("token in query", {}, f"?access_token={process.token}"),
    ]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        yield client


async def assert_alive_and_untouched(process: BotProcess, sim: OneBotSimulator) -> None:
    """The bot still works over its WebSocket, and nothing any POST asked for happened."""
    sim.add_group(558_999)
    await sim.post_group_message(558_999, SUPERUSER, "本群 设为 机关群")
    answer = await sim.wait_for_sent(timeout=15)
    assert "已将本群设为机关群" in answer.text
    assert await world(process.database_url) == {
        "bindings": ["558999"],
        "staff": [],
        "records": [],
        "outbox": [],
    }
    assert [m.group_id for m in sim.sent] == [558_999]
    # No bot account was created for the unknown X-Self-ID: it can still connect.
    late = OneBotSimulator(
        process.ws_url, self_id=UNKNOWN_ACCOUNT, access_token=process.token, heartbeat_interval=None
    )
    await late.connect()
    await late.close()


async def test_every_http_event_is_refused_without_a_secret(
    bot_process: BotProcess, connect_sim: SimFactory, http: httpx.AsyncClient
) -> None:
    sim = await connect_sim()
    group = 558_001
    for route in ROUTES:
        for label, headers, query in header_variants(bot_process):
            for self_id in (sim.self_id, UNKNOWN_ACCOUNT):
                for body in hostile_events(self_id, group):
                    response = await http.post(
                        f"{bot_process.http_url}{route}{query}",
                        content=body,
                        headers={**headers, "X-Self-ID": str(self_id)},
                    )
                    assert response.status_code == 403, (route, label, self_id)
                group += 1
    await assert_alive_and_untouched(bot_process, sim)
    log = bot_process.log()
    assert "HTTP 事件上报已关闭" in log  # said at start-up


@pytest.fixture
async def signed_bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    url = await dbutil.create_database(tmp_path)
    process = BotProcess(
        workdir=tmp_path / "bot",
        database_url=url,
        superusers=(str(SUPERUSER),),
        extra_env={"ONEBOT_SECRET": SECRET},
    )
    await process.astart()
    yield process
    await process.astop()
    await dbutil.drop_database(url)


async def test_with_a_secret_only_signed_events_are_taken(
    signed_bot: BotProcess, http: httpx.AsyncClient
) -> None:
    sim = OneBotSimulator(
        signed_bot.ws_url, self_id=74_501, access_token=signed_bot.token, heartbeat_interval=None
    )
    await sim.connect(timeout=20)
    try:
        group = 558_101
        for route in ROUTES:
            for label, headers, query in header_variants(signed_bot):
                for sign in ("", "sha1=0000", signature(b"another body"), signature(b"", "x")):
                    for self_id in (sim.self_id, UNKNOWN_ACCOUNT):
                        for body in hostile_events(self_id, group):
                            response = await http.post(
                                f"{signed_bot.http_url}{route}{query}",
                                content=body,
                                headers={**headers, "X-Self-ID": str(self_id), "X-Signature": sign},
                            )
                            assert response.status_code == 403, (route, label, sign)
        await assert_alive_and_untouched(signed_bot, sim)
        assert "X-Signature" in signed_bot.log()  # said at start-up

        # A validly signed event is taken, on every route.
        bound = ["558999"]
        for index, route in enumerate(ROUTES):
            group_id = 558_200 + index
            sim.add_group(group_id)
            body = group_event(sim.self_id, group_id, SUPERUSER, [text("本群 设为 全体群")])
            response = await http.post(
                f"{signed_bot.http_url}{route}",
                content=body,
                headers={"X-Self-ID": str(sim.self_id), "X-Signature": signature(body)},
            )
            assert response.status_code == 204
            answer = await sim.wait_for_sent(lambda m, g=group_id: m.group_id == g, timeout=15)
            assert "已将本群设为全体群" in answer.text
            bound.append(str(group_id))
        assert (await world(signed_bot.database_url))["bindings"] == sorted(bound)
    finally:
        await sim.close()
