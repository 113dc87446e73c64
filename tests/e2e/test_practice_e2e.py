"""Handling practice end to end, over the simulator and the real bot process (issue 14):
交办 → 沟通 → 答复 B → 评价 (已沟通) → the yearly 回头看 (the next January, after a restart)
→ 已解决, with the one-to-one messages to the proposer and the unit at the right moments.

The bot's clock is faked (libfaketime): December 2025 for the handling, the first working week
of 2026 for the look-back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import FAST_OUTBOX, SUPERUSER, BotFactory, simulator_for
from tests.e2e.test_schedule_e2e import needs_faketime

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess
    from bot.devtools.onebot_sim import OneBotSimulator, SentMessage

MEMBER_GROUP = 558001
STAFF_GROUP = 558002
STAFF = 30001
PROPOSER = 20001
CONTACT = 40001
SELF_ID = 74_001
TIMEOUT = 20

#: Monday 1 December 2025, 09:30 in Beijing; Monday 5 January 2026, 09:30 (the look-back day
#: of 2026 is Sunday 4 January, the 调休 working day after 元旦: the start catches up).
HANDLING_START = "2025-12-01 01:30:00"
LOOKBACK_START = "2026-01-05 01:30:00"


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "data": {"text": value}}


def at(user_id: int) -> dict[str, Any]:
    return {"type": "at", "data": {"qq": str(user_id)}}


def world(sim: OneBotSimulator) -> OneBotSimulator:
    sim.add_group(MEMBER_GROUP, "县政协全体委员")
    sim.add_group(STAFF_GROUP, "县政协机关")
    sim.add_member(MEMBER_GROUP, PROPOSER, nickname="张三", card="农业界-张三")
    sim.add_member(STAFF_GROUP, STAFF, nickname="王秘书", card="王秘书")
    sim.add_member(STAFF_GROUP, CONTACT, nickname="小刘", card="教育局小刘")
    sim.add_friend(PROPOSER, "张三")
    sim.add_friend(CONTACT, "小刘")
    return sim


async def in_group(
    sim: OneBotSimulator, group_id: int, user_id: int, message: str | list[dict[str, Any]]
) -> SentMessage:
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


def to_proposer(sim: OneBotSimulator) -> list[str]:
    return [
        m.text
        for m in sim.sent
        if m.message_type == "private" and m.user_id == PROPOSER and m.reply_id is None
    ]


async def set_up(sim: OneBotSimulator) -> None:
    await in_group(sim, MEMBER_GROUP, SUPERUSER, "本群 设为 全体群")
    await in_group(sim, STAFF_GROUP, SUPERUSER, "本群 设为 机关群")
    added = await in_group(sim, STAFF_GROUP, SUPERUSER, [text("管理员 添加 "), at(STAFF)])
    assert added.text == "已将 王秘书 设为机关工作人员。"
    await in_group(sim, STAFF_GROUP, STAFF, [text("单位 添加 县教育局 "), at(CONTACT)])
    await told(sim, CONTACT, "您已被设为县教育局的承办单位联系人")


async def handle_in_december(sim: OneBotSimulator) -> None:
    """#提案 → 立案 → 交办 → 沟通 → 答复 B → 评价 满意 已沟通."""
    posted = await in_group(
        sim,
        MEMBER_GROUP,
        PROPOSER,
        "#提案 关于加快推进农村生活污水治理的建议\n"
        "我县农村生活污水处理设施覆盖率低，部分已建设施运行不正常。\n"
        "建议：一是统筹规划农村污水治理；二是加大财政投入；三是建立长效运维机制。",
    )
    assert "第1号" in posted.text
    await in_group(sim, STAFF_GROUP, STAFF, "立案 1")
    await told(sim, PROPOSER, "已立案")
    assigned = await in_group(sim, STAFF_GROUP, STAFF, "交办 1 主办 县教育局")
    assert assigned.text.startswith("已交办提案第1号")
    await told(sim, CONTACT, "【提案交办】提案第1号")
    await told(sim, PROPOSER, "已交办：主办：县教育局")

    consulted = await privately(sim, CONTACT, "沟通 1 面商 今天 到提案人单位当面听取意见")
    assert consulted.text.startswith(
        "已记录县教育局与提案人张三就提案第1号的沟通（面商，2025年12月1日）"
    )
    notice = await told(sim, PROPOSER, "【办理协商】县教育局记录了与您就提案第1号")
    assert "到提案人单位当面听取意见" in notice.text

    answer = await privately(sim, CONTACT, "答复 1 B 已列入2026年城乡建设计划")
    assert answer.text.startswith("已记录提案第1号的答复：B类")
    assert "没有记录与提案人的沟通" not in answer.text
    asked = await told(sim, PROPOSER, "收到县教育局的答复")
    assert "评价 1 满意 已沟通" in asked.text
    await staff_group_told(sim, "县教育局已答复提案第1号")

    evaluated = await privately(sim, PROPOSER, "评价 1 满意 已沟通")
    assert evaluated.text == "已记录您对提案第1号的评价：满意。感谢您的履职！"
    staff_told = await staff_group_told(
        sim, "对提案第1号《关于加快推进农村生活污水治理的建议》的答复评价为"
    )
    assert staff_told.text.endswith("（提案人表示：承办单位已与其沟通）")


async def look_back_in_january(sim: OneBotSimulator) -> None:
    """The yearly 回头看 asks the unit; its answer reaches the proposer and the staff group."""
    asked = await told(sim, CONTACT, "【回头看】县教育局：提案2025年第1号")
    assert "于2025年12月1日答复为B类" in asked.text
    assert "当时答复：已列入2026年城乡建设计划" in asked.text
    listed = await staff_group_told(sim, "【回头看】已请承办单位回头看2025年答复为B类的提案 1 件")
    assert "提案2025年第1号《关于加快推进农村生活污水治理的建议》：县教育局" in listed.text

    done = await privately(sim, CONTACT, "回头看 2025-1 已解决 3座污水处理站已建成运行")
    assert done.text == "已记录提案2025年第1号的回头看：已解决，已一对一告知提案人张三。"
    outcome = await told(sim, PROPOSER, "【回头看】您的提案2025年第1号")
    assert "县教育局回头看的落实情况：已解决。3座污水处理站已建成运行" in outcome.text
    await staff_group_told(sim, "【回头看】县教育局回复提案2025年第1号")
    listing = await in_group(sim, STAFF_GROUP, STAFF, "回头看 列表")
    assert listing.text.startswith("2026年回头看（上一年B类答复）共1件，未回复0件：")
    assert "（县教育局）：已解决" in listing.text


@needs_faketime
async def test_consultation_answer_b_and_next_years_lookback(new_bot: BotFactory) -> None:
    process: BotProcess = await new_bot(fake_start=HANDLING_START, extra_env=FAST_OUTBOX)
    async with world(simulator_for(process, SELF_ID)) as sim:
        await set_up(sim)
        await handle_in_december(sim)
        december = to_proposer(sim)
    steps = ["已立案", "已交办：", "【办理协商】", "收到县教育局的答复："]
    found = [next(i for i, t in enumerate(december) if step in t) for step in steps]
    assert found == sorted(found)
    assert not [t for t in december if "【回头看】" in t]  # not before the look-back day
    await process.astop()

    process.fake_start = LOOKBACK_START
    await process.astart()
    sim = world(simulator_for(process, SELF_ID))
    sim.world.take_message_id(50_000)  # fresh ids: those of December are "seen"
    async with sim:
        await look_back_in_january(sim)
        january = to_proposer(sim)
    assert [t for t in january if "【回头看】" in t] == [january[-1]]
