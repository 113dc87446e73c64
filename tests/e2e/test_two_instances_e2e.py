"""Two real `python -m bot` processes on one database (PostgreSQL in CI; SQLite files too).

(a) started at the same moment on an empty database, both upgrade the schema and come up;
(b) a group bound, a staff member and a unit added through one are used through the other;
(c) posts arriving at both at once all get distinct, consecutive numbers and none fails.

Both processes serve the same QQ account (as a standby or a second client would); each
simulator uses its own range of message ids, so no post of one looks re-delivered to the other.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from bot.core.changes import CHECK_SECONDS
from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator, SentMessage
from tests import dbutil
from tests.e2e.conftest import SUPERUSER
from tests.intake_helpers import SEWAGE, SEWAGE_REWORDED, SEWAGE_REWORDED_TITLE, SEWAGE_TITLE

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

SELF_ID = 74_001
MEMBER_GROUP = 558001
STAFF_GROUP = 558002
STAFF = 30001
PROPOSER = 20001
# a wait, not a timed assertion: 400 posts at once on a loaded 2-core machine take minutes
TIMEOUT = 180
START_ROUNDS = 3
POSTERS = 60
POSTS_PER_PROCESS = 200
BODY = "我县农村生活污水处理设施覆盖率低。建议：一是统筹规划；二是加大投入；三是建立长效运维机制。"


def processes(tmp_path: Path, url: str, count: int = 2) -> list[BotProcess]:
    return [
        BotProcess(
            workdir=tmp_path / f"bot{n}",
            database_url=url,
            superusers=(str(SUPERUSER),),
            extra_env={"INTAKE_RATE_PER_MINUTE": "100"},
        )
        for n in range(count)
    ]


async def start_together(bots: list[BotProcess]) -> None:
    await asyncio.gather(*(bot.astart(timeout=120) for bot in bots))


async def stop_all(bots: list[BotProcess]) -> None:
    await asyncio.gather(*(bot.astop() for bot in bots))


@dataclass
class Client:
    """A simulator with message ids of its own (the other process's simulator counts from 1
    too: the same id would look like a re-delivery of the same event)."""

    sim: OneBotSimulator
    message_ids: Iterator[int]


def simulator(bot: BotProcess, first_message_id: int) -> Client:
    sim = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    sim.add_group(MEMBER_GROUP, "县政协全体委员")
    sim.add_group(STAFF_GROUP, "县政协机关")
    sim.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    sim.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    for n in range(POSTERS):
        sim.add_member(MEMBER_GROUP, 21000 + n, card=f"农业界-委员{n}")
    return Client(sim, itertools.count(first_message_id))


async def in_group(
    client: Client, group_id: int, user_id: int, message: str | list[dict[str, Any]]
) -> SentMessage:
    """Post in a group; the bot's reply quoting it."""
    message_id = await client.sim.post_group_message(
        group_id, user_id, message, message_id=next(client.message_ids)
    )
    return await client.sim.wait_for_sent(lambda m: m.reply_id == message_id, timeout=TIMEOUT)


@pytest.fixture
async def shared_url(tmp_path: Path) -> AsyncIterator[str]:
    url = await dbutil.create_database(tmp_path)
    yield url
    await dbutil.drop_database(url)


@pytest.fixture
async def two_bots(tmp_path: Path, shared_url: str) -> AsyncIterator[list[BotProcess]]:
    bots = processes(tmp_path, shared_url)
    try:
        await start_together(bots)
        yield bots
    finally:
        await stop_all(bots)


@pytest.fixture
async def clients(two_bots: list[BotProcess]) -> AsyncIterator[list[Client]]:
    made = [simulator(bot, 1_000_000 * (n + 1)) for n, bot in enumerate(two_bots)]
    for client in made:
        await client.sim.connect(timeout=30)
    yield made
    for client in made:
        await client.sim.close()


def migration_failures(log: str) -> list[str]:
    return [line for line in log.splitlines() if "Error" in line or "Traceback" in line]


async def test_two_processes_started_at_once_on_an_empty_database_both_come_up(
    tmp_path: Path,
) -> None:
    for round_ in range(START_ROUNDS):
        url = await dbutil.create_database(tmp_path / f"round{round_}")
        bots = processes(tmp_path / f"round{round_}", url)
        try:
            await start_together(bots)
            for n, bot in enumerate(bots):
                client = simulator(bot, 1_000_000 * (n + 1))
                await client.sim.connect(timeout=30)
                try:
                    answer = await in_group(client, STAFF_GROUP + n, SUPERUSER, "本群 设为 机关群")
                finally:
                    await client.sim.close()
                assert "已将本群设为机关群" in answer.text
                assert migration_failures(bot.log()) == []
        finally:
            await stop_all(bots)
            await dbutil.drop_database(url)


async def test_what_one_process_sets_up_the_other_uses_within_seconds(
    clients: list[Client],
) -> None:
    first, second = clients
    bound = await in_group(first, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    assert "已将本群设为全体群" in bound.text
    assert (
        "已将本群设为机关群"
        in (await in_group(first, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")).text
    )
    added = await in_group(
        first,
        STAFF_GROUP,
        SUPERUSER,
        [
            {"type": "text", "data": {"text": "管理员 添加 "}},
            {"type": "at", "data": {"qq": str(STAFF)}},
        ],
    )
    assert added.text == "已将 王秘书 设为机关工作人员。"
    unit = await in_group(first, STAFF_GROUP, STAFF, "单位 添加 县教育局")
    assert unit.text.startswith("已添加承办单位：县教育局")

    await asyncio.sleep(CHECK_SECONDS + 0.5)  # the longest another process may go unaware
    posted = await in_group(second, MEMBER_GROUP, PROPOSER, f"#提案 {SEWAGE_TITLE}\n{SEWAGE}")
    assert posted.text.startswith(f"已登记：提案第1号《{SEWAGE_TITLE}》")
    accepted = await in_group(second, STAFF_GROUP, STAFF, "立案 1")
    assert accepted.text.startswith("已立案：提案第1号")
    assigned = await in_group(second, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")
    assert assigned.text.startswith("已交办提案第1号")
    assert "主办：县教育局" in assigned.text

    # and the first process compares a new post with the proposal the second one stored
    similar = await in_group(
        first, MEMBER_GROUP, 21000, f"#提案 {SEWAGE_REWORDED_TITLE}\n{SEWAGE_REWORDED}"
    )
    assert similar.text.startswith("已登记：提案第2号")
    assert f"第1号《{SEWAGE_TITLE}》" in similar.text


async def test_posts_at_both_processes_at_once_get_consecutive_numbers(
    clients: list[Client],
) -> None:
    first, second = clients
    assert (
        "已将本群设为全体群"
        in (await in_group(first, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")).text
    )
    await asyncio.sleep(CHECK_SECONDS + 0.5)  # the second process sees the binding

    async def post(client: Client, n: int) -> SentMessage:
        return await in_group(
            client, MEMBER_GROUP, 21000 + n % POSTERS, f"#提案 关于第{n}件事的建议\n第{n}稿。{BODY}"
        )

    # a burst at both processes at once, every post a different text
    replies = await asyncio.gather(
        *(
            post(client, 2 * n + k)
            for n in range(POSTS_PER_PROCESS)
            for k, client in enumerate((first, second))
        ),
        return_exceptions=True,
    )
    failed = [r for r in replies if not isinstance(r, SentMessage)]
    assert failed == []
    texts = [r.text for r in replies if isinstance(r, SentMessage)]
    assert [t for t in texts if not t.startswith("已登记：提案第")] == []
    numbers = sorted(int(re.match(r"已登记：提案第(\d+)号", t).group(1)) for t in texts)  # type: ignore[union-attr]
    assert numbers == list(range(1, 2 * POSTS_PER_PROCESS + 1))
