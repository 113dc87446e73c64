"""A discussion end to end, over the simulator against the real `python -m bot`: four members,
relayed to exactly the others, one leaves, one is not a friend (one group @), it ends by time
with a summary in the origin group, and becomes a joint proposal with the right co-signers."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update

from bot.core.clock import utcnow
from bot.core.db import Database
from bot.core.models import Discussion
from tests.e2e.conftest import FAST_OUTBOX, SUPERUSER, BotFactory, simulator_for

if TYPE_CHECKING:
    from bot.devtools.onebot_sim import OneBotSimulator

GROUP = 557001
ZHANG, LI, WANG, ZHAO = 20001, 20002, 20003, 20004
CARDS = {ZHANG: "农业界-张三", LI: "教育界-李四", WANG: "经济界-王五", ZHAO: "医药卫生界-赵六"}
TOPIC = "农村污水治理"
HEADER = f"【D1 {TOPIC}】"


def private_to(user_id: int, starts: str = HEADER):  # type: ignore[no-untyped-def]
    return lambda m: (
        m.message_type == "private" and m.user_id == user_id and m.text.startswith(starts)
    )


async def setup(sim: OneBotSimulator) -> None:
    sim.add_group(GROUP, "县政协全体委员")
    for user_id, card in CARDS.items():
        sim.add_member(GROUP, user_id, card=card)
    for user_id in (ZHANG, LI, WANG):
        sim.add_friend(user_id)
    sim.refuse_temp_sessions(ZHAO)  # not a friend, and NapCat refuses temporary sessions
    bind = await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    await sim.wait_for_sent(lambda m: m.reply_id == bind, timeout=15)
    for user_id in CARDS:  # each speaks once: on the roster from their card
        asked = await sim.post_group_message(GROUP, user_id, "讨论")
        await sim.wait_for_sent(lambda m, a=asked: m.reply_id == a, timeout=15)


async def time_runs_out(database_url: str) -> None:
    """The discussion's end moves into the past (as if its hours had gone by)."""
    db = Database(database_url)
    try:
        async with db.session() as session:
            await session.exec(  # type: ignore[call-overload]
                update(Discussion).values(ends_at=utcnow() - timedelta(minutes=1))
            )
            await session.commit()
    finally:
        await db.dispose()


async def test_a_discussion_from_start_to_proposal(new_bot: BotFactory) -> None:
    process = await new_bot(extra_env={**FAST_OUTBOX, "DISCUSSION_SWEEP_SECONDS": "1"})
    async with simulator_for(process) as sim:
        await setup(sim)
        create = [
            {"type": "text", "data": {"text": f"#讨论 {TOPIC} "}},
            *({"type": "at", "data": {"qq": str(uid)}} for uid in (LI, WANG, ZHAO)),
            {"type": "text", "data": {"text": " 2小时"}},
        ]
        created_id = await sim.post_group_message(GROUP, ZHANG, create)
        created = await sim.wait_for_sent(lambda m: m.reply_id == created_id, timeout=15)
        assert created.text.startswith(
            f"已建立临时讨论组D1“{TOPIC}”，参加者：张三、李四、王五、赵六"
        )
        for user_id in (LI, WANG):
            invitation = await sim.wait_for_sent(private_to(user_id), timeout=15)
            assert "张三邀请您参加临时讨论组D1" in invitation.text

        # Zhao cannot be reached: one @ in the origin group, never the content; Zhang is told
        asked = await sim.wait_for_sent(
            lambda m: m.group_id == GROUP and m.has_at(ZHAO), timeout=30
        )
        assert "请先加机器人为好友，才能收到讨论组消息" in asked.text
        told = await sim.wait_for_sent(
            private_to(ZHANG, f"{HEADER}赵六不是机器人的好友"), timeout=15
        )
        assert "讨论照常进行" in told.text

        # Li's message reaches exactly Zhang and Wang
        await sim.post_private_message(LI, "污水管网覆盖率太低，很多村没有管网")
        line = f"{HEADER}李四：污水管网覆盖率太低，很多村没有管网"
        for user_id in (ZHANG, WANG):
            relayed = await sim.wait_for_sent(private_to(user_id, HEADER + "李四"), timeout=15)
            assert relayed.text == line

        # Wang leaves and stops receiving
        left_id = await sim.post_private_message(WANG, "退出 D1")
        await sim.wait_for_sent(lambda m: m.reply_id == left_id, timeout=15)
        await sim.post_private_message(ZHANG, "建议统筹规划，分年度推进管网建设")
        await sim.wait_for_sent(private_to(LI, HEADER + "张三"), timeout=15)

        # time runs out: the summary goes to the origin group (and each participant)
        await time_runs_out(process.database_url)
        summary = await sim.wait_for_sent(
            lambda m: m.group_id == GROUP and m.text.startswith("【讨论小结】D1"), timeout=30
        )
        assert "到时自动结束" in summary.text
        assert "参加者：张三、李四、赵六（3人）" in summary.text
        assert "消息：2条" in summary.text
        await sim.wait_for_sent(private_to(LI, "【讨论小结】D1"), timeout=15)

        # the creator turns it into a joint proposal: Li and Zhao invited, Wang (left) not
        convert_id = await sim.post_private_message(ZHANG, "讨论转提案 D1")
        converted = await sim.wait_for_sent(lambda m: m.reply_id == convert_id, timeout=30)
        assert converted.text.startswith(
            f"讨论D1已转为提案。\n已登记：提案第1号《关于{TOPIC}的建议》"
        )
        assert "联名：李四（待确认）、赵六（待确认）" in converted.text
        invited = await sim.wait_for_sent(
            lambda m: m.user_id == LI and f"关于{TOPIC}的建议" in m.text, timeout=15
        )
        assert "附议 1" in invited.text
        cosign_id = await sim.post_private_message(LI, "附议 1")
        cosigned = await sim.wait_for_sent(lambda m: m.reply_id == cosign_id, timeout=15)
        assert cosigned.text.startswith("已确认联名提案第1号")

        assert not [m for m in sim.sent if m.user_id == WANG and "张三：建议" in m.text]
        ats = [m for m in sim.sent if m.group_id == GROUP and m.has_at(ZHAO)]
        assert len(ats) == 1
        group_texts = [m.text for m in sim.sent if m.message_type == "group"]
        assert not any("很多村没有管网" in t for t in group_texts if "【讨论小结】" not in t)
