"""统计, 履职 and 导出 over the simulator against the real bot process: a filed and assigned
proposal counted, the member's points privately, the workbook uploaded to the staff group, and
where the file is when the client refuses files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from bot.devtools.onebot_sim import OneBotSimulator
from tests.e2e.conftest import SUPERUSER
from tests.e2e.test_workflow_e2e import at, in_group, privately, text

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.devtools.botprocess import BotProcess

MEMBER_GROUP = 558001
STAFF_GROUP = 558002
STAFF = 30001
PROPOSER = 20001
SELF_ID = 73_101
TIMEOUT = 15


@pytest.fixture
async def sim(fast_bot_process: BotProcess) -> AsyncIterator[OneBotSimulator]:
    bot = fast_bot_process
    simulator = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    simulator.add_group(MEMBER_GROUP, "县政协全体委员")
    simulator.add_group(STAFF_GROUP, "县政协机关")
    simulator.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    simulator.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    simulator.add_friend(PROPOSER, "张三")
    simulator.add_friend(STAFF, "王秘书")
    await simulator.connect(timeout=20)
    yield simulator
    await simulator.close()


async def test_figures_points_and_export(sim: OneBotSimulator) -> None:
    await in_group(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, [text("管理员 添加 "), at(STAFF)])
    await in_group(sim, STAFF_GROUP, STAFF, "单位 添加 县教育局")
    posted = await in_group(
        sim,
        MEMBER_GROUP,
        PROPOSER,
        "#提案 关于加快推进农村生活污水治理的建议\n我县农村污水处理设施覆盖率低。\n"
        "建议：一是统筹规划；二是加大投入。",
    )
    assert "第1号" in posted.text
    await in_group(sim, STAFF_GROUP, STAFF, "立案 1")
    await in_group(sim, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")

    figures = await in_group(sim, STAFF_GROUP, STAFF, "统计")
    assert (
        "收到提案 1 件（不含撤回 0 件）：立案 1 件（含并案 0 件），立案率 100.0%（1/1）"
        in figures.text
    )
    assert "交办 1 件：已答复 0 件" in figures.text
    public = await in_group(sim, MEMBER_GROUP, PROPOSER, "统计")
    assert "立案 1 件（立案率 100.0%）" in public.text

    refused_in_group = await in_group(sim, MEMBER_GROUP, PROPOSER, "履职")
    assert refused_in_group.text == "履职积分只私聊告诉本人：请私聊机器人发送“履职”。"
    points = await privately(sim, PROPOSER, "履职")
    assert "共 25 分" in points.text  # 提交提案 10 + 立案 15

    exported = await in_group(sim, STAFF_GROUP, STAFF, "导出")
    assert "正在上传到本群文件" in exported.text
    upload = await sim.wait_for_call("upload_group_file", timeout=TIMEOUT)
    assert upload.params["group_id"] == STAFF_GROUP
    written = Path(str(upload.params["file"]))
    book = load_workbook(written)
    row = next(book["提案办理情况汇总"].iter_rows(min_row=2, values_only=True))
    assert row[:3] == (1, "关于加快推进农村生活污水治理的建议", "张三")
    assert row[6:8] == ("已交办", "主办：县教育局")

    sim.fail_next("upload_private_file", retcode=1404, message="不支持的Api")
    await privately(sim, STAFF, "导出")
    fallback = await sim.wait_for_sent(
        lambda m: m.user_id == STAFF and m.reply_id is None and "文件已保存在服务器" in m.text,
        timeout=TIMEOUT,
    )
    where = re.search(r"文件已保存在服务器：(\S+\.xlsx)", fallback.text)
    assert where is not None
    # the bot writes under its DATA_DIR (the repository's data/exports here): leave nothing
    for path in (written, Path(where.group(1))):
        path.unlink()
