"""Starting and stopping the real bot: Ctrl-C (SIGINT) at start-up and while serving ends it with
a short line, never a KeyboardInterrupt traceback; HOST=localhost without a token starts."""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING

from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator
from tests import dbutil
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from pathlib import Path


async def wait_for_log(process: BotProcess, text: str, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in process.log():
        assert process.proc is not None, process.log()
        assert process.proc.poll() is None, process.log()
        assert loop.time() < deadline, f"{text!r} never logged:\n{process.log()}"
        await asyncio.sleep(0.02)


async def test_ctrl_c_during_start_up_is_quiet(tmp_path: Path) -> None:
    url = await dbutil.create_database(tmp_path)
    process = BotProcess(workdir=tmp_path / "bot", database_url=url)
    try:
        process.spawn()
        await wait_for_log(process, "NoneBot is initializing")  # plugins load next
        assert process.proc is not None
        process.proc.send_signal(signal.SIGINT)
        code = await asyncio.to_thread(process.proc.wait, 30)
        log = process.log()
        assert "Traceback" not in log, log
        assert "KeyboardInterrupt" not in log, log
        assert "已中断，机器人未启动" in log or "机器人已停止" in log
        assert code in (130, 0)
    finally:
        process.kill()
        await dbutil.drop_database(url)


async def test_ctrl_c_while_serving_shuts_down_cleanly(bot_process: BotProcess) -> None:
    sim = OneBotSimulator(
        bot_process.ws_url, self_id=76_001, access_token=bot_process.token, heartbeat_interval=None
    )
    await sim.connect(timeout=20)
    sim.add_group(561_001)
    await sim.post_group_message(561_001, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(timeout=15)
    assert await bot_process.astop() == 0  # SIGINT, as Ctrl-C
    await sim.close()
    log = bot_process.log()
    assert "Traceback" not in log, log
    assert "KeyboardInterrupt" not in log, log
    assert "Application shutdown complete" in log
    assert "机器人已停止。Bot stopped." in log


async def test_localhost_without_a_token_starts(tmp_path: Path) -> None:
    url = await dbutil.create_database(tmp_path)
    process = BotProcess(
        workdir=tmp_path / "bot",
        database_url=url,
        token="",
        superusers=(str(SUPERUSER),),
        extra_env={"HOST": "localhost"},
    )
    await process.astart()  # NoneBot refused "localhost" with a pydantic traceback
    try:
        sim = OneBotSimulator(process.ws_url, self_id=76_002, heartbeat_interval=None)
        await sim.connect(timeout=20)
        sim.add_group(561_002)
        await sim.post_group_message(561_002, SUPERUSER, "本群 设为 全体群")
        answer = await sim.wait_for_sent(timeout=15)
        assert "已将本群设为全体群" in answer.text
        await sim.close()
    finally:
        await process.astop()
        await dbutil.drop_database(url)
