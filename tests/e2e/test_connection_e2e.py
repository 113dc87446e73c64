"""The OneBot connection of the real bot at its edge: the handshake (X-Self-ID, the token in the
URL), events with ids that are no QQ numbers, malformed frames, and two accounts in one group."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from bot.core.db import Database
from bot.core.models import Member
from bot.devtools.onebot_sim import OneBotSimulator, SimulatorRefused
from tests.e2e.conftest import SUPERUSER, SimFactory

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess

GROUP = 559_001
MEMBER = 20001
POST = "#提案 关于{n}号路口加装红绿灯的建议\n建议：一是尽快加装。二是设置限速。"


async def bind(sim: OneBotSimulator, group: int = GROUP) -> None:
    sim.add_group(group, "县政协全体委员")
    await sim.post_group_message(group, SUPERUSER, "本群 设为 全体群")
    answer = await sim.wait_for_sent(lambda m: m.group_id == group, timeout=15)
    assert "已将本群设为全体群" in answer.text


async def still_answers(sim: OneBotSimulator, group: int = GROUP) -> None:
    await sim.post_group_message(group, SUPERUSER, "本群")
    answer = await sim.wait_for_sent(lambda m: m.group_id == group, timeout=15)
    assert answer.text.startswith("本群是全体群")


async def members(url: str) -> list[str]:
    db = Database(url)
    try:
        async with db.session() as session:
            return sorted(m.user_id for m in (await session.exec(select(Member))).all())
    finally:
        await db.dispose()


async def test_token_in_the_url_is_accepted(connect_sim: SimFactory) -> None:
    sim = await connect_sim(token_in_query=True)
    await bind(sim)
    with pytest.raises(SimulatorRefused) as info:
        await connect_sim(token="wrong", token_in_query=True)
    assert info.value.status == 403


@pytest.mark.parametrize("self_id", ["abc", "-1", "0", "1234", "1" * 25, "1e5"])
async def test_x_self_id_that_is_no_qq_number_is_refused(
    bot_process: BotProcess, self_id: str
) -> None:
    headers = {"X-Self-ID": self_id, "Authorization": f"Bearer {bot_process.token}"}
    with pytest.raises(InvalidStatus) as info:
        async with connect(bot_process.ws_url, additional_headers=headers, proxy=None):
            pass
    assert info.value.response.status_code == 403


async def test_events_with_ids_that_are_no_qq_numbers_are_dropped(
    bot_process: BotProcess, sim: OneBotSimulator
) -> None:
    await bind(sim)
    await sim.post_group_message(GROUP, -5, "帮助", card="农业界-坏人")
    await sim.post_group_message(GROUP, 12, "帮助", card="农业界-短号")
    await sim.post_private_message(-7, "帮助")
    await sim.post_group_message(-3, SUPERUSER, "本群 设为 全体群")
    await sim.post_group_message(GROUP, MEMBER, "帮助", card="农业界-张三")
    answer = await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=15)
    assert "可用命令" in answer.text
    await still_answers(sim)
    assert [m.user_id or m.group_id for m in sim.sent] == [GROUP, GROUP, GROUP]
    assert await members(bot_process.database_url) == [str(MEMBER)]


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


BAD_FRAMES: list[tuple[str, str | bytes]] = [
    ("not JSON", "hello, bot"),
    ("truncated", '{"post_type": "message", "message_type": "gro'),
    ("bad UTF-8 in a binary frame", b'{"post_type": "\xff\xfe"}'),
    ("binary garbage", bytes(range(256))),
    ("nested too deep", _deep(100_000)),
    ("nested object too deep", '{"a":' * 50_000 + "1" + "}" * 50_000),
    ("not an object", '"just a string"'),
    ("an event that does not validate", '{"post_type": "message", "message_type": "group"}'),
    ("an answer nobody asked for", '{"status": "ok", "retcode": 0, "echo": "424242"}'),
]


async def test_a_malformed_frame_does_not_close_the_connection(
    bot_process: BotProcess, sim: OneBotSimulator
) -> None:
    await bind(sim)
    for label, frame in BAD_FRAMES:
        await sim.send_raw(frame)
        assert sim.connected, label
        await still_answers(sim)
    log = bot_process.log()
    assert "skipped a frame that is not JSON" in log
    assert "'hello, bot'" in log  # the frame's first bytes are shown


async def test_invalid_utf8_in_a_text_frame_closes_only_that_connection(
    connect_sim: SimFactory,
) -> None:
    # RFC 6455 makes the server fail the connection (1007): the client reconnects at once.
    sim = await connect_sim()
    await bind(sim)
    await sim.send_raw(b'{"post_type": "\xff"}', text=True)
    assert await sim.wait_closed(timeout=10) == 1007
    await sim.connect(retry_refused=False)
    await still_answers(sim)


async def post_everywhere(sims: list[OneBotSimulator], user_id: int, text: str) -> None:
    """The same group message as every client in the group reports it."""
    for sim in sims:
        await sim.post_group_message(GROUP, user_id, text, card="农业界-张三")


async def settle(sims: list[OneBotSimulator]) -> None:
    """Two round trips through whichever account answers: everything before is handled."""
    for _ in range(2):
        await post_everywhere(sims, SUPERUSER, "本群")
        found = False
        for sim in sims:
            try:
                await sim.wait_for_sent(lambda m: m.text.startswith("本群是全体群"), timeout=3)
                found = True
            except TimeoutError:
                continue
        assert found, [(s.self_id, m.text[:30]) for s in sims for m in s.sent]


async def test_two_accounts_in_one_group_answer_once(connect_sim: SimFactory) -> None:
    first = await connect_sim(self_id=74_001)
    second = await connect_sim(self_id=74_002)
    sims = [first, second]
    for sim in sims:
        sim.add_group(GROUP, "县政协全体委员")
    await post_everywhere(sims, SUPERUSER, "本群 设为 全体群")
    waits = [asyncio.create_task(sim.wait_for_sent(timeout=15)) for sim in sims]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for wait in waits:
        wait.cancel()
    for n in range(1, 6):
        await post_everywhere(sims, MEMBER, POST.format(n=n))
    # One account hears the other's messages as a member's: never answered.
    await first.post_group_message(GROUP, second.self_id, "帮助", card="政协履职助手")
    await settle(sims)
    sent = [m for sim in sims for m in sim.sent]
    assert sum("已将本群设为全体群" in m.text for m in sent) == 1
    assert sum("已登记" in m.text for m in sent) == 5
    assert not any("可用命令" in m.text or "已提交过" in m.text for m in sent)
    # Every answer came from one account. (Messages the bot starts, such as a 09:00 日报 that
    # falls due while this runs, go through the outbox, which either account may drain.)
    answers = [m for m in sent if m.reply_id is not None]
    answering = first if any(m in first.sent for m in answers) else second
    assert answers
    assert all(m in answering.sent for m in answers)

    # The answering account goes away: the other takes over the group.
    other = second if answering is first else first
    await answering.close()
    await other.post_group_message(GROUP, MEMBER, POST.format(n=6), card="农业界-张三")
    answer = await other.wait_for_sent(lambda m: "已登记" in m.text, timeout=15)
    assert "第6号" in answer.text
