"""The real bot over a real WebSocket: tokens, binding, unbound silence, restart persistence."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.devtools.onebot_sim import OneBotSimulator, SimulatorRefused
from tests.e2e.conftest import SUPERUSER, SimFactory

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess

GROUP = 555001
MEMBER = 20001


async def test_wrong_token_is_refused(connect_sim: SimFactory) -> None:
    with pytest.raises(SimulatorRefused) as info:
        await connect_sim(token="not-the-token")
    assert info.value.status == 403


async def test_bind_group_and_survive_restart(
    bot_process: BotProcess, connect_sim: SimFactory
) -> None:
    sim = await connect_sim(self_id=71_001)
    sim.add_group(GROUP, "县政协全体委员")
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    answer = await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
    assert "已将本群设为全体群" in answer.text
    assert answer.reply_id is not None

    await sim.close()
    await bot_process.astop()
    await bot_process.astart()
    sim2 = await connect_sim(self_id=71_001)
    sim2.add_group(GROUP, "县政协全体委员")
    # a new simulator counts message ids from 1 again: use fresh ids (the old ones are "seen")
    await sim2.post_group_message(GROUP, MEMBER, "本群", card="农业界-张三", message_id=5000)
    shown = await sim2.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
    assert shown.text.startswith("本群是全体群")


async def test_unbound_group_gets_no_reply(sim: OneBotSimulator) -> None:
    sim.add_group(GROUP)
    await sim.post_group_message(GROUP, MEMBER, "帮助", at=[sim.self_id])
    await sim.post_group_message(GROUP, MEMBER, "本群 设为 全体群")
    # a bound group proves the bot is alive and handled everything before it
    other = GROUP + 1
    sim.add_group(other)
    await sim.post_group_message(other, SUPERUSER, "本群 设为 机关群")
    answer = await sim.wait_for_sent(timeout=10)
    assert answer.group_id == other
    await asyncio.sleep(0.3)
    assert [m for m in sim.sent if m.group_id == GROUP] == []


async def test_redelivered_message_is_handled_once(sim: OneBotSimulator) -> None:
    sim.add_group(GROUP)
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(timeout=10)
    message_id = await sim.post_group_message(GROUP, MEMBER, "帮助", card="张三")
    await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=10)
    event = next(e for e in sim.events if e.get("message_id") == message_id)
    await sim.post_event(dict(event))
    await sim.post_group_message(GROUP, SUPERUSER, "本群")
    last = await sim.wait_for_sent(timeout=10)
    assert last.text.startswith("本群是全体群")
    replies = [m for m in sim.sent if m.reply_id == message_id]
    assert len(replies) == 1
    assert "可用命令" in replies[0].text
