"""One topic through the annual consultation plan, over the simulator and the real bot process:
#议题 posted → 附议 by another member → 列入计划 → 活动 → 成果 (with a file) → 批示 → 落实 →
办结, with the proposer's and the supporter's one-to-one notices when the topic enters the plan
and when it is closed, and the responsible unit's contact told of the plan item."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.devtools.onebot_sim import OneBotSimulator
from tests.e2e.conftest import SUPERUSER
from tests.e2e.test_workflow_e2e import at, in_group, privately, text, told

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.devtools.botprocess import BotProcess

MEMBER_GROUP = 558001
STAFF_GROUP = 558002
STAFF = 30001
PROPOSER = 20001
SUPPORTER = 20002
CONTACT = 40001
SELF_ID = 73_002
TOPIC = "关于推进农村人居环境整治的协商议题"


@pytest.fixture
def bot(fast_bot_process: BotProcess) -> BotProcess:
    return fast_bot_process


@pytest.fixture
async def sim(bot: BotProcess) -> AsyncIterator[OneBotSimulator]:
    simulator = OneBotSimulator(
        bot.ws_url, self_id=SELF_ID, access_token=bot.token, heartbeat_interval=None
    )
    simulator.add_group(MEMBER_GROUP, "县政协全体委员")
    simulator.add_group(STAFF_GROUP, "县政协机关")
    simulator.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    simulator.add_member(MEMBER_GROUP, SUPPORTER, nickname="李四", card="教育界-李四")
    simulator.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    simulator.add_member(STAFF_GROUP, CONTACT, nickname="小刘", card="教育局小刘")
    for user_id, name in ((PROPOSER, "张三"), (SUPPORTER, "李四"), (CONTACT, "小刘")):
        simulator.add_friend(user_id, name)
    await simulator.connect(timeout=20)
    yield simulator
    await simulator.close()


async def setup(sim: OneBotSimulator) -> None:
    await in_group(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, [text("管理员 添加 "), at(STAFF)])
    await in_group(sim, STAFF_GROUP, STAFF, [text("单位 添加 县教育局 "), at(CONTACT)])
    await told(sim, CONTACT, "您已被设为县教育局的承办单位联系人")


async def test_topic_through_the_plan(sim: OneBotSimulator) -> None:
    await setup(sim)
    posted = await in_group(sim, MEMBER_GROUP, PROPOSER, f"#议题 {TOPIC}，建议围绕垃圾分类协商")
    assert "议题第1号" in posted.text
    supported = await in_group(sim, MEMBER_GROUP, SUPPORTER, "附议 议题 1")
    assert "议题第1号" in supported.text
    pool = await in_group(sim, MEMBER_GROUP, PROPOSER, "议题")
    assert "支持 1 人" in pool.text

    planned = await in_group(
        sim,
        STAFF_GROUP,
        STAFF,
        "列入计划 1 专题协商 牵头 李副主席 责任 县教育局 时限 2027-06-30",
    )
    assert planned.text.endswith("已通知提出人和1位附议委员。")
    assert "2027年度协商计划专题协商第1项" in planned.text
    await told(sim, PROPOSER, "您提出的议题第1号")
    await told(sim, SUPPORTER, "您支持的议题第1号")
    await told(sim, CONTACT, "【协商计划】议题第1号")

    steps = [
        ("议题 活动 1 调研 2027-03-15 参加 张三、李四", "已记录协商活动：调研（2027年3月15日）"),
        ("议题 批示 1 过早的批示", "不能批示"),  # 批示 is on a result: none yet
    ]
    for command, expected in steps:
        assert expected in (await in_group(sim, STAFF_GROUP, STAFF, command)).text
    result = await in_group(
        sim,
        STAFF_GROUP,
        STAFF,
        [
            text("议题 成果 1 建议案 关于改善农村人居环境的建议案"),
            {"type": "file", "data": {"name": "建议案.docx", "url": "http://files.example/1"}},
        ],
    )
    assert result.text.endswith("已记录协商成果：建议案（附件1个）。")
    for command, expected in (
        ("议题 批示 1 县委书记批示：请抓好落实", "已记录领导批示。"),
        ("议题 落实 1 县教育局已出台实施方案", "已记录落实情况。"),
        ("议题 办结 1 反馈问效良好", "已办结。已通知提出人和1位附议委员。"),
    ):
        assert (await in_group(sim, STAFF_GROUP, STAFF, command)).text.endswith(expected)
    await told(sim, PROPOSER, "已办结：反馈问效良好")
    await told(sim, SUPPORTER, "已办结：反馈问效良好")

    listing = await in_group(sim, MEMBER_GROUP, PROPOSER, "协商计划 2027")
    assert listing.text.startswith("2027年度协商计划（1类1项，已办结1项）")
    detail = await privately(sim, PROPOSER, "查议题 1")
    assert "状态：已办结" in detail.text
    assert "列入协商计划" in detail.text
