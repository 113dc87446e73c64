"""Intake over a real WebSocket: numbering, re-delivery, 附议 by reply, privacy, CQ-code safety."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from bot.devtools.onebot_sim import OneBotSimulator

GROUP = 556001
ZHANG = 20001
LI = 20002
TITLE = "关于加快推进农村生活污水治理的建议"
BODY = (
    "我县农村生活污水处理设施覆盖率低，部分乡镇污水管网建设滞后，生活污水直排河道现象仍然存在。"
    "建议：一是加大财政投入，分年度推进污水管网建设；二是建立长效运维机制，将运维经费纳入财政预算。"
)


async def bind_whole_group(sim: OneBotSimulator) -> None:
    sim.add_group(GROUP, "县政协全体委员")
    sim.add_member(GROUP, ZHANG, card="农业界-张三")
    sim.add_member(GROUP, LI, card="教育界-李四")
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 全体群")
    answer = await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=15)
    assert "已将本群设为全体群" in answer.text


async def test_post_is_numbered_once_and_cosigned_by_reply(sim: OneBotSimulator) -> None:
    await bind_whole_group(sim)
    post_id = await sim.post_group_message(GROUP, ZHANG, f"#提案 {TITLE}\n{BODY}")
    confirmation = await sim.wait_for_sent(lambda m: m.reply_id == post_id, timeout=30)
    assert confirmation.text.startswith(f"已登记：提案第1号《{TITLE}》")
    assert "提出人：张三（农业界）" in confirmation.text

    # the client delivers the same post again: no second record, no second reply
    event = next(e for e in sim.events if e.get("message_id") == post_id)
    await sim.post_event(dict(event))

    cosign_id = await sim.post_group_message(GROUP, LI, "附议", reply_to=confirmation.message_id)
    cosigned = await sim.wait_for_sent(lambda m: m.reply_id == cosign_id, timeout=15)
    assert cosigned.text == f"已附议提案第1号《{TITLE}》，您已列为联名人，目前联名1人。"

    mine_id = await sim.post_group_message(GROUP, ZHANG, "我的")
    mine = await sim.wait_for_sent(lambda m: m.reply_id == mine_id, timeout=15)
    assert f"· 提案第1号《{TITLE}》已提交" in mine.text
    assert "提案第2号" not in mine.text
    assert len([m for m in sim.sent if m.reply_id == post_id]) == 1

    query_id = await sim.post_group_message(GROUP, LI, "查提案 1")
    shown = await sim.wait_for_sent(lambda m: m.reply_id == query_id, timeout=15)
    assert "联名（1人）：李四" in shown.text


async def test_private_post_is_not_echoed_to_any_group(sim: OneBotSimulator) -> None:
    await bind_whole_group(sim)
    # speaking once in the member group puts Zhang on the roster (the reply proves it is done)
    hello = await sim.post_group_message(GROUP, ZHANG, "本群")
    await sim.wait_for_sent(lambda m: m.reply_id == hello, timeout=15)

    post_id = await sim.post_private_message(ZHANG, f"#提案 {TITLE}\n{BODY}")
    confirmation = await sim.wait_for_sent(lambda m: m.reply_id == post_id, timeout=30)
    assert confirmation.message_type == "private"
    assert confirmation.user_id == ZHANG
    assert confirmation.text.startswith(f"已登记：提案第1号《{TITLE}》")
    assert "私聊提交的内容不会发到群里" in confirmation.text

    query_id = await sim.post_group_message(GROUP, LI, "查提案 1")
    shown = await sim.wait_for_sent(lambda m: m.reply_id == query_id, timeout=15)
    assert shown.text == "提案第1号是私聊提交的，不在群里显示。请私聊机器人发送“查提案 1”查看。"
    search_id = await sim.post_group_message(GROUP, LI, "搜索 污水")
    found = await sim.wait_for_sent(lambda m: m.reply_id == search_id, timeout=15)
    assert found.text.startswith("没有找到含“污水”的")
    group_texts = [m.text for m in sim.sent if m.message_type == "group"]
    assert not any(TITLE in text or "污水管网" in text for text in group_texts)


async def test_cq_code_in_a_title_stays_text(sim: OneBotSimulator) -> None:
    await bind_whole_group(sim)
    title = "[CQ:at,qq=all]关于农村道路安全的建议"
    message = [
        {
            "type": "text",
            "data": {"text": f"#提案 {title}\n村道缺少护栏和警示标志，建议增设护栏。\n"},
        },
        {"type": "at", "data": {"qq": "all"}},
    ]
    post_id = await sim.post_group_message(GROUP, ZHANG, message)
    confirmation = await sim.wait_for_sent(lambda m: m.reply_id == post_id, timeout=30)
    assert confirmation.text.startswith(f"已登记：提案第1号《{title}》")
    assert [seg["type"] for seg in confirmation.message] == ["reply", "text"]
    assert not confirmation.at_all
    assert not any(m.at_all for m in sim.sent)
