"""Run the demo: a temporary SQLite database and data folder, the roster imported, the real bot
(`python -m bot`) started under a faked clock, the OneBot simulator connected over a real
WebSocket, the day played (bot/devtools/demo/day.py), then the figures, the export, the board."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.devtools.botprocess import LIBFAKETIME, BotProcess
from bot.devtools.demo import day
from bot.devtools.demo.cast import CLERK, DIRECTOR, SELF_ID, STAFF, WHOLE, populate, write_roster
from bot.devtools.demo.stage import DemoError, Stage, Step
from bot.devtools.onebot_sim import OneBotSimulator
from bot.settings import DEFAULT_DATA_DIR

if TYPE_CHECKING:
    from bot.devtools.demo.transcript import Transcript

#: Tuesday 1 December 2026, 08:30 in Beijing (UTC+8): the day's work, before the 09:00 digest.
TUESDAY = "2026-12-01 00:30:00"
#: Wednesday 08:59:45: the start-up sweep sends the deadline reminder, 09:00 the daily digest.
WEDNESDAY = "2026-12-02 00:59:45"
#: Messages the bot starts are sent without QQ's spacing (1.5 s), so the day fits a minute.
FAST = {"OUTBOX_INTERVAL": "0", "OUTBOX_JITTER": "0", "OUTBOX_POLL": "0.5"}
TOKEN = "demo-token"


@dataclass
class DemoResult:
    transcript: Transcript
    steps: list[Step]
    figures: str = ""
    export_path: str = ""
    board_url: str = ""
    faked_clock: bool = False
    workdir: Path = field(default_factory=Path)


def prepare(workdir: Path) -> tuple[str, Path]:
    """The database URL and the data folder (a copy of the project's configuration files)."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    if not data.exists():
        ignore = shutil.ignore_patterns("*.db", "*.db-*", "cache", "exports", "backups")
        shutil.copytree(DEFAULT_DATA_DIR, data, ignore=ignore)
    return f"sqlite+aiosqlite:///{workdir / 'demo.db'}", data


def import_roster(process: BotProcess, stage: Stage) -> None:
    """The office imports its roster from a spreadsheet (`python -m bot members import`)."""
    process.workdir.mkdir(parents=True, exist_ok=True)
    roster = write_roster(process.workdir.parent / "委员名单.csv")
    command = [sys.executable, "-m", "bot", "members", "import", str(roster)]
    stage.scene("开始之前 · 机关导入委员名单")
    stage.transcript.said(
        "服务器", DIRECTOR.name, DIRECTOR.role, f"python -m bot members import {roster.name}"
    )
    done = subprocess.run(
        command, env=process.environment(), cwd=process.workdir, capture_output=True, text=True
    )
    output = (done.stdout + done.stderr).strip()
    stage.transcript.said("服务器", "python -m bot", "机器人", output)
    stage.steps.append(Step("导入委员名单", "导入完成", output))
    if done.returncode != 0 or "导入完成" not in output:
        raise DemoError(f"roster import failed:\n{output}")


def simulator(process: BotProcess) -> OneBotSimulator:
    sim = OneBotSimulator(
        process.ws_url, self_id=SELF_ID, access_token=process.token, heartbeat_interval=None
    )
    populate(sim)
    return sim


async def tuesday(stage: Stage) -> None:
    await day.set_up(stage)
    await day.members_post(stage)
    await day.staff_handle(stage)
    await day.unit_answers(stage)
    await day.discussion(stage)


async def wednesday_without_faketime(stage: Stage) -> None:
    stage.note(
        "本机没有 libfaketime（Debian/Ubuntu：apt-get install faketime），不能把机器人的时钟拨到"
        "第二天早上：日报用“推送 立即 日报”马上发出，期限提醒略过"
    )
    await stage.say(CLERK, STAFF, "推送 立即 日报", "日报")
    await stage.told("日报发到全体群", WHOLE, "日报")


async def play(workdir: Path, transcript: Transcript, keep: bool = False) -> DemoResult:
    """Play the day; with `keep`, leave the bot running until Ctrl-C before stopping it."""
    url, data = prepare(workdir)
    faked = LIBFAKETIME is not None
    process = BotProcess(
        workdir=workdir / "bot",
        database_url=url,
        token=TOKEN,
        superusers=(str(DIRECTOR.qq),),
        extra_env={**FAST, "DATA_DIR": str(data), "LOG_LEVEL": "INFO"},
        fake_start=TUESDAY if faked else None,
    )
    result = DemoResult(transcript, [], faked_clock=faked, workdir=workdir)
    stage = Stage(simulator(process), transcript, result.steps)
    import_roster(process, stage)
    await process.astart()
    try:
        async with stage.sim:
            await tuesday(stage)
            if not faked:
                await wednesday_without_faketime(stage)
                await finish(stage, process, result, keep)
                return result
        await process.astop()
        process.fake_start = WEDNESDAY
        await process.astart()
        stage.restart(simulator(process))
        async with stage.sim:
            await day.next_morning(stage)
            await finish(stage, process, result, keep)
    finally:
        await process.astop()
    return result


async def finish(stage: Stage, process: BotProcess, result: DemoResult, keep: bool) -> None:
    result.figures, _ = await day.close_the_day(stage)
    result.export_path = await export_path(stage)
    result.board_url = f"{process.http_url}/"
    if keep:
        await keep_running(stage, process, result)


async def export_path(stage: Stage) -> str:
    call = await stage.sim.wait_for_call("upload_group_file", timeout=30)
    stage.flush()
    return str(call.params.get("file", ""))


async def keep_running(stage: Stage, process: BotProcess, result: DemoResult) -> None:
    """KEEP=1: the bot stays up (the board can be browsed) until Ctrl-C."""
    print(report(result), flush=True)
    print(f"\n机器人继续运行，可以打开 {result.board_url} 。按 Ctrl-C 结束。", flush=True)
    try:
        while process.proc is not None and process.proc.poll() is None:
            await asyncio.sleep(1)
            stage.flush()
    except asyncio.CancelledError:
        pass


def report(result: DemoResult) -> str:
    """What follows the transcript: the figures, the export's path, the board's address."""
    lines = ["", "══ 今日数字（统计） ══", result.figures, "", "══ 导出 ══", result.export_path]
    lines += ["", "══ 办理进度公开网页 ══", result.board_url]
    lines.append(f"（临时数据库和文件都在 {result.workdir}）")
    return "\n".join(lines)
