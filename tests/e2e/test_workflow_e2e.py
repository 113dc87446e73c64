"""One proposal through the whole handling workflow, over the simulator and the real bot process:
#提案 → 立案 → 交办 → 答复 B → 评价 不满意 → 重新办理 (交办 again) → 答复 A → 评价 满意 → 办结,
with the proposer's one-to-one messages arriving (through the outbox) at the right steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from bot.devtools.onebot_sim import OneBotSimulator, SentMessage
from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.devtools.botprocess import BotProcess

MEMBER_GROUP = 557001
STAFF_GROUP = 557002
STAFF = 30001
PROPOSER = 20001
CONTACT = 40001
SELF_ID = 73_001
TIMEOUT = 15


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
    simulator.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    simulator.add_member(STAFF_GROUP, CONTACT, nickname="小刘", card="教育局小刘")
    simulator.add_friend(PROPOSER, "张三")
    simulator.add_friend(CONTACT, "小刘")
    await simulator.connect(timeout=20)
    yield simulator
    await simulator.close()


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "data": {"text": value}}


def at(user_id: int) -> dict[str, Any]:
    return {"type": "at", "data": {"qq": str(user_id)}}


async def in_group(
    sim: OneBotSimulator, group_id: int, user_id: int, message: str | list[dict[str, Any]]
) -> SentMessage:
    """Post in a group; the bot's reply quoting it."""
    message_id = await sim.post_group_message(group_id, user_id, message)
    return await sim.wait_for_sent(lambda m: m.reply_id == message_id, timeout=TIMEOUT)


async def privately(sim: OneBotSimulator, user_id: int, message: str) -> SentMessage:
    message_id = await sim.post_private_message(user_id, message)
    return await sim.wait_for_sent(lambda m: m.reply_id == message_id, timeout=TIMEOUT)


async def told(sim: OneBotSimulator, user_id: int, fragment: str) -> SentMessage:
    """A one-to-one message the bot started (not a reply) to `user_id` containing `fragment`."""
    return await sim.wait_for_sent(
        lambda m: (
            m.message_type == "private"
            and m.user_id == user_id
            and m.reply_id is None
            and fragment in m.text
        ),
        timeout=TIMEOUT,
    )


async def staff_group_told(sim: OneBotSimulator, fragment: str) -> SentMessage:
    return await sim.wait_for_sent(
        lambda m: m.group_id == STAFF_GROUP and m.reply_id is None and fragment in m.text,
        timeout=TIMEOUT,
    )


async def test_proposal_round_trip_with_rehandling(sim: OneBotSimulator) -> None:
    # set-up: groups, a staff member, a unit with its contact
    assert (
        "已将本群设为全体群"
        in (await in_group(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")).text
    )
    assert (
        "已将本群设为机关群"
        in (await in_group(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")).text
    )
    added = await in_group(sim, STAFF_GROUP, SUPERUSER, [text("管理员 添加 "), at(STAFF)])
    assert added.text == "已将 王秘书 设为机关工作人员。"
    unit = await in_group(sim, STAFF_GROUP, STAFF, [text("单位 添加 县教育局 "), at(CONTACT)])
    assert (
        unit.text == "已添加承办单位：县教育局。已设 教育局小刘 为县教育局的联系人，并已私信告知。"
    )
    await told(sim, CONTACT, "您已被设为县教育局的承办单位联系人")

    # the member posts a proposal in the whole-body group
    posted = await in_group(
        sim,
        MEMBER_GROUP,
        PROPOSER,
        "#提案 关于加快推进农村生活污水治理的建议\n"
        "我县农村生活污水处理设施覆盖率低，部分已建设施运行不正常。\n"
        "建议：一是统筹规划农村污水治理；二是加大财政投入；三是建立长效运维机制。",
    )
    assert "第1号" in posted.text

    # 立案
    accepted = await in_group(sim, STAFF_GROUP, STAFF, "立案 1")
    assert accepted.text.startswith("已立案：提案第1号《关于加快推进农村生活污水治理的建议》")
    await told(sim, PROPOSER, "已立案")

    # 交办 (the answer is due in three months: 2027 holidays are not in the data yet)
    assigned = await in_group(sim, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")
    assert assigned.text.startswith("已交办提案第1号")
    assert "主办：县教育局" in assigned.text
    assert "已通知承办单位联系人和提案人" in assigned.text
    notice = await told(sim, CONTACT, "【提案交办】提案第1号")
    assert "答复 1 A|B|C" in notice.text
    await told(sim, PROPOSER, "已交办：主办：县教育局")

    # 答复 B, by the unit's contact, privately
    answer = await privately(sim, CONTACT, "答复 1 B 已列入明年城乡建设计划")
    assert answer.text.startswith("已记录提案第1号的答复：B类")
    first_answer = await told(sim, PROPOSER, "收到县教育局的答复")
    assert "答复类别：B类（正在解决或列入计划解决）" in first_answer.text
    assert "评价 1 不满意 您的意见" in first_answer.text
    await staff_group_told(sim, "县教育局已答复提案第1号")

    # 评价 不满意 → 重新办理, the staff group is told
    unsatisfied = await privately(sim, PROPOSER, "评价 1 不满意 没有回应第三条建议")
    assert "提案将重新办理" in unsatisfied.text
    await staff_group_told(sim, "【不满意】张三对提案第1号")

    # 交办 again: the second round goes to the same unit
    again = await in_group(sim, STAFF_GROUP, STAFF, "交办 1")
    assert again.text.startswith("已交办（重新办理）提案第1号")
    await told(sim, CONTACT, "【提案交办（重新办理）】提案第1号")
    await told(sim, PROPOSER, "已交办（重新办理）")

    # 答复 A, 评价 满意, 办结
    answer2 = await privately(sim, CONTACT, "答复 1 A 已建成3座污水处理站")
    assert answer2.text.startswith("已记录提案第1号的答复（第2轮）：A类")
    second_answer = await told(sim, PROPOSER, "收到县教育局的答复（第2轮）")
    assert "答复内容：已建成3座污水处理站" in second_answer.text
    satisfied = await privately(sim, PROPOSER, "评价 1 满意")
    assert satisfied.text == "已记录您对提案第1号的评价：满意。感谢您的履职！"
    await staff_group_told(sim, "可以办结：办结 1")
    concluded = await in_group(sim, STAFF_GROUP, STAFF, "办结 1")
    assert concluded.text.startswith("已办结提案第1号")
    await told(sim, PROPOSER, "已办结")

    # the proposer got the workflow's one-to-one messages in this order
    steps = [
        "已立案",
        "已交办：",
        "收到县教育局的答复：",
        "已交办（重新办理）",
        "答复（第2轮）",
        "已办结",
    ]
    to_proposer = [
        m.text
        for m in sim.sent
        if m.message_type == "private" and m.user_id == PROPOSER and m.reply_id is None
    ]
    found = [next(i for i, t in enumerate(to_proposer) if step in t) for step in steps]
    assert found == sorted(found)
    # nothing the bot told the proposer privately went to a group
    assert not [
        m for m in sim.sent if m.group_id == MEMBER_GROUP and "收到县教育局的答复" in m.text
    ]

    # 查提案 shows the whole way
    shown = await in_group(sim, MEMBER_GROUP, PROPOSER, "查提案 1")
    assert "状态：已办结" in shown.text
    for fragment in ("立案", "交办", "答复", "评价", "办结", "第2轮"):
        assert fragment in shown.text
