"""Tests of the OneBot V11 simulator: against a real NoneBot, and against a hand-driven fake."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.devtools.onebot_sim import (
    OneBotSimulator,
    SentMessage,
    SimulatorNotConnected,
    SimulatorRefused,
    escape_cq,
    parse_cq,
    segments_to_cq,
    unescape_cq,
)

from .conftest import TOKEN, FakeBot, MakeSim, NoneBotApp

GROUP = 7001
ALICE = 123456


def _in_group(message: SentMessage) -> bool:
    return message.group_id == GROUP


# --------------------------------------------------------------------------- real NoneBot


async def test_right_token_connects_and_echo_round_trips(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_group(GROUP, "测试群")
    sim.add_member(GROUP, ALICE, nickname="张委员")

    await sim.post_group_message(GROUP, ALICE, "你好")
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "echo: 你好"
    assert reply.action == "send_msg"
    assert reply.message_type == "group"
    assert reply.group_id == GROUP
    assert reply.message == [{"type": "text", "data": {"text": "echo: 你好"}}]


async def test_private_echo_round_trips(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_friend(ALICE, "张委员")

    await sim.post_private_message(ALICE, "在吗")
    reply = await sim.wait_for_sent()

    assert (reply.message_type, reply.user_id, reply.text) == ("private", ALICE, "echo: 在吗")


async def test_wrong_token_is_refused_with_403(nonebot_app: NoneBotApp) -> None:
    sim = OneBotSimulator(nonebot_app.url, self_id=880_999, access_token="wrong")
    with pytest.raises(SimulatorRefused) as info:
        await sim.connect(timeout=5)
    assert info.value.status == 403
    assert not sim.connected


async def test_missing_token_is_refused_with_403(nonebot_app: NoneBotApp) -> None:
    sim = OneBotSimulator(nonebot_app.url, self_id=880_998)
    with pytest.raises(SimulatorRefused) as info:
        await sim.connect(timeout=5)
    assert info.value.status == 403


async def test_reply_to_a_member_message_fills_event_reply(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_member(GROUP, ALICE, nickname="张委员")
    original = await sim.post_group_message(GROUP, ALICE, "原来的话")
    await sim.wait_for_sent(_in_group)  # its echo

    await sim.post_group_message(GROUP, ALICE, "看这条", reply_to=original)
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "quoted: 原来的话 | 看这条 | to_me=False"
    get_msg = await sim.wait_for_call("get_msg")
    assert int(get_msg.params["message_id"]) == original
    assert sim.events[-1]["message"][0] == {"type": "reply", "data": {"id": str(original)}}


async def test_reply_to_the_bot_strips_quote_and_at_and_is_to_me(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_member(GROUP, ALICE)
    await sim.post_group_message(GROUP, ALICE, "提案")
    bot_message = await sim.wait_for_sent(_in_group)

    await sim.post_group_message(GROUP, ALICE, "附议", reply_to=bot_message.message_id)
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "quoted: echo: 提案 | 附议 | to_me=True"
    posted = sim.events[-1]["message"]
    assert posted[:2] == [
        {"type": "reply", "data": {"id": str(bot_message.message_id)}},
        {"type": "at", "data": {"qq": str(sim.self_id)}},
    ]


async def test_fail_next_raises_action_failed_in_the_bot(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_group(GROUP)
    sim.fail_next("send_msg", retcode=100)

    await sim.post_group_message(GROUP, ALICE, "fail")
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "failed 100"
    assert [m.text for m in sim.sent] == ["failed 100"]
    assert [c.action for c in sim.calls] == ["send_msg", "send_msg"]


async def test_fail_next_with_deliver_records_the_message_anyway(make_sim: MakeSim) -> None:
    sim = await make_sim()
    sim.add_group(GROUP)
    sim.fail_next("send_msg", retcode=1200, deliver=True)

    await sim.post_group_message(GROUP, ALICE, "fail")
    await sim.wait_for_sent(lambda m: m.text == "failed 1200")

    assert [m.text for m in sim.sent] == ["should fail", "failed 1200"]


async def test_group_member_list_comes_from_the_world_model(make_sim: MakeSim) -> None:
    sim = await make_sim()
    for user_id in (1, 2, 3):
        sim.add_member(GROUP, user_id, nickname=f"委员{user_id}")

    await sim.post_group_message(GROUP, 1, "members")
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "members: 4"  # three members and the bot itself


async def test_cq_looking_text_stays_literal(make_sim: MakeSim) -> None:
    sim = await make_sim()
    literal = "[CQ:face,id=1] a&b,c [x]"

    await sim.post_group_message(GROUP, ALICE, literal)
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == f"echo: {literal}"
    assert [seg["type"] for seg in reply.message] == ["text"]
    assert sim.events[-1]["raw_message"] == "&#91;CQ:face,id=1&#93; a&amp;b,c &#91;x&#93;"


async def test_cq_string_sent_by_the_bot_is_parsed_and_unescaped(make_sim: MakeSim) -> None:
    sim = await make_sim()

    await sim.post_group_message(GROUP, ALICE, "raw")
    sent = await sim.wait_for_sent(_in_group)

    assert sent.action == "send_group_msg"
    assert sent.message == [
        {"type": "at", "data": {"qq": "4242"}},
        {"type": "text", "data": {"text": " a[b]&c,d"}},
    ]
    assert sent.has_at(4242)
    assert not sent.at_all


async def test_reconnect_after_abrupt_disconnect(make_sim: MakeSim) -> None:
    sim = await make_sim()
    await sim.disconnect_abruptly()
    assert not sim.connected
    with pytest.raises(SimulatorNotConnected):
        await sim.post_group_message(GROUP, ALICE, "lost")
    assert sim.events == []

    await sim.connect(retry_refused=True)  # NoneBot may still hold the old X-Self-ID briefly
    await sim.post_group_message(GROUP, ALICE, "again")
    reply = await sim.wait_for_sent(_in_group)

    assert reply.text == "echo: again"


# --------------------------------------------------------------------------- fake bot side


async def test_handshake_headers_and_lifecycle_event(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    event = await fake_bot.next_event()

    assert event["post_type"] == "meta_event"
    assert (event["meta_event_type"], event["sub_type"]) == ("lifecycle", "connect")
    headers = {k.lower(): v for k, v in fake_bot.headers[-1].items()}
    assert headers["x-self-id"] == "10000"
    assert headers["x-client-role"] == "Universal"
    assert headers["authorization"] == f"Bearer {TOKEN}"


async def test_refusal_carries_status_and_body(fake_bot: FakeBot) -> None:
    sim = OneBotSimulator(fake_bot.url, access_token="nope")
    with pytest.raises(SimulatorRefused) as info:
        await sim.connect(timeout=2)
    assert info.value.status == 403
    assert "invalid" in info.value.body


async def test_connect_times_out_when_nothing_listens() -> None:
    from .conftest import free_port

    sim = OneBotSimulator(f"ws://127.0.0.1:{free_port()}/onebot/v11/ws")
    with pytest.raises(TimeoutError):
        await sim.connect(timeout=0.3)


async def test_heartbeat_is_sent(fake_bot: FakeBot) -> None:
    sim = OneBotSimulator(fake_bot.url, access_token=TOKEN, heartbeat_interval=0.05)
    async with sim:
        event = await fake_bot.next_event(meta_event_type="heartbeat")
    assert event["status"] == {"online": True, "good": True}
    assert event["interval"] == 50


async def test_account_and_world_queries(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_group(GROUP, "政协委员群")
    fake_sim.add_member(GROUP, ALICE, nickname="张三", card="张委员", role="admin")
    fake_sim.add_friend(555, "李四")

    login = await fake_bot.call("get_login_info")
    assert login["data"] == {"user_id": 10000, "nickname": "政协履职助手"}
    assert login["status"] == "ok"
    assert login["retcode"] == 0
    assert login["echo"] == "1"
    assert (await fake_bot.call("get_status"))["data"]["online"] is True
    assert (await fake_bot.call("get_version_info"))["data"]["protocol_version"] == "v11"
    friends = (await fake_bot.call("get_friend_list"))["data"]
    assert friends == [{"user_id": 555, "nickname": "李四", "remark": ""}]
    stranger = (await fake_bot.call("get_stranger_info", user_id=ALICE))["data"]
    assert stranger["nickname"] == "张三"
    groups = (await fake_bot.call("get_group_list"))["data"]
    assert [(g["group_id"], g["group_name"], g["member_count"]) for g in groups] == [
        (GROUP, "政协委员群", 2)
    ]
    info = (await fake_bot.call("get_group_info", group_id=GROUP))["data"]
    assert info["group_name"] == "政协委员群"
    members = (await fake_bot.call("get_group_member_list", group_id=GROUP))["data"]
    assert {m["user_id"] for m in members} == {10000, ALICE}
    member = (await fake_bot.call("get_group_member_info", group_id=GROUP, user_id=ALICE))["data"]
    assert (member["card"], member["role"]) == ("张委员", "admin")

    assert (await fake_bot.call("set_group_card", group_id=GROUP, user_id=ALICE, card="新"))[
        "status"
    ] == "ok"
    member = (await fake_bot.call("get_group_member_info", group_id=GROUP, user_id=ALICE))["data"]
    assert member["card"] == "新"

    missing = await fake_bot.call("get_group_info", group_id=1)
    assert (missing["status"], missing["retcode"]) == ("failed", 100)


async def test_unknown_action_fails_with_1404(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    response = await fake_bot.call("no_such_action", x=1)
    assert (response["status"], response["retcode"], response["data"]) == ("failed", 1404, None)
    assert fake_sim.calls[-1].action == "no_such_action"
    assert fake_sim.calls[-1].params == {"x": 1}


async def test_send_targets_must_exist(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_member(GROUP, ALICE)
    fake_sim.add_friend(555)

    unknown_group = await fake_bot.call("send_group_msg", group_id=999, message="hi")
    stranger = await fake_bot.call("send_private_msg", user_id=777, message="hi")
    friend = await fake_bot.call("send_private_msg", user_id=555, message="hi")
    temp = await fake_bot.call("send_private_msg", user_id=ALICE, group_id=GROUP, message="hi")
    temp_wrong_group = await fake_bot.call(
        "send_msg", message_type="private", user_id=ALICE, group_id=999, message="hi"
    )

    assert (unknown_group["status"], unknown_group["retcode"]) == ("failed", 100)
    assert (stranger["status"], stranger["retcode"]) == ("failed", 100)
    assert friend["status"] == "ok"
    assert isinstance(friend["data"]["message_id"], int)
    assert temp["status"] == "ok"
    assert temp_wrong_group["retcode"] == 100
    assert [(m.user_id, m.group_id) for m in fake_sim.sent] == [(555, None), (ALICE, GROUP)]


async def test_get_msg_answers_for_posted_and_sent_messages(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    fake_sim.add_member(GROUP, ALICE, nickname="张三", card="张委员")
    posted_id = await fake_sim.post_group_message(GROUP, ALICE, "原文")
    sent = await fake_bot.call("send_group_msg", group_id=GROUP, message="回复")
    sent_id = sent["data"]["message_id"]

    posted = (await fake_bot.call("get_msg", message_id=posted_id))["data"]
    mine = (await fake_bot.call("get_msg", message_id=sent_id))["data"]

    assert posted["message_id"] == posted["real_id"] == posted_id
    assert posted["message_type"] == "group"
    assert posted["sender"]["user_id"] == ALICE
    assert posted["sender"]["card"] == "张委员"
    assert posted["message"] == [{"type": "text", "data": {"text": "原文"}}]
    assert mine["sender"]["user_id"] == fake_sim.self_id
    assert mine["message"] == [{"type": "text", "data": {"text": "回复"}}]
    assert sent_id != posted_id

    deleted = await fake_bot.call("delete_msg", message_id=sent_id)
    assert deleted["status"] == "ok"
    assert fake_sim.sent[-1].recalled
    assert (await fake_bot.call("get_msg", message_id=sent_id))["retcode"] == 100


async def test_explicit_message_ids_and_redelivery(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    first = await fake_sim.post_group_message(GROUP, ALICE, "a", message_id=500)
    second = await fake_sim.post_group_message(GROUP, ALICE, "b")
    await fake_sim.post_event(fake_sim.events[0])  # a client re-delivering after reconnect

    events = [await fake_bot.next_event(post_type="message") for _ in range(3)]
    assert (first, second) == (500, 501)
    assert [e["message_id"] for e in events] == [500, 501, 500]


async def test_posted_event_shape(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_member(GROUP, ALICE, nickname="张三", card="张委员", role="owner")
    await fake_sim.post_group_message(GROUP, ALICE, "你好", at=[10000, "all"], role="admin")
    await fake_sim.post_private_message(888, "私聊", sub_type="group", nickname="路人")

    group = await fake_bot.next_event(post_type="message")
    private = await fake_bot.next_event(post_type="message")

    assert group["message"] == [
        {"type": "at", "data": {"qq": "10000"}},
        {"type": "text", "data": {"text": " "}},
        {"type": "at", "data": {"qq": "all"}},
        {"type": "text", "data": {"text": " 你好"}},
    ]
    assert group["raw_message"] == "[CQ:at,qq=10000] [CQ:at,qq=all] 你好"
    assert group["sender"]["role"] == "admin"
    assert group["sender"]["card"] == "张委员"
    assert (group["sub_type"], group["font"], group["self_id"]) == ("normal", 0, 10000)
    assert (private["message_type"], private["sub_type"]) == ("private", "group")
    assert private["sender"]["nickname"] == "路人"
    assert 888 not in {f["user_id"] for f in (await fake_bot.call("get_friend_list"))["data"]}


async def test_forward_messages(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_group(GROUP)
    quoted = await fake_sim.post_group_message(GROUP, ALICE, "被引用")
    nodes = [
        {
            "type": "node",
            "data": {"user_id": "1", "nickname": "甲", "content": "第一[CQ:face,id=1]"},
        },
        {
            "type": "node",
            "data": {
                "uin": "2",
                "name": "乙",
                "content": [{"type": "text", "data": {"text": "第二"}}],
            },
        },
        {"type": "node", "data": {"id": str(quoted)}},
    ]

    response = await fake_bot.call("send_group_forward_msg", group_id=GROUP, messages=nodes)
    sent = await fake_sim.wait_for_sent()

    assert response["status"] == "ok"
    assert response["data"]["forward_id"]
    assert sent.action == "send_group_forward_msg"
    assert sent.is_forward
    assert sent.forward_nodes == [
        [{"type": "text", "data": {"text": "第一"}}, {"type": "face", "data": {"id": "1"}}],
        [{"type": "text", "data": {"text": "第二"}}],
        [{"type": "text", "data": {"text": "被引用"}}],
    ]
    assert sent.text == "第一\n第二\n被引用"


async def test_uploads_are_recorded(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_group(GROUP)
    fake_sim.add_friend(555)

    group_upload = await fake_bot.call(
        "upload_group_file", group_id=GROUP, file="/tmp/a.xlsx", name="汇总.xlsx"
    )
    private_upload = await fake_bot.call(
        "upload_private_file", user_id=555, file="/tmp/b.pdf", name="b.pdf"
    )

    assert group_upload["status"] == private_upload["status"] == "ok"
    assert [(u.action, u.file, u.name, u.group_id, u.user_id) for u in fake_sim.uploads] == [
        ("upload_group_file", "/tmp/a.xlsx", "汇总.xlsx", GROUP, None),
        ("upload_private_file", "/tmp/b.pdf", "b.pdf", None, 555),
    ]


async def test_fail_next_times_and_message(fake_bot: FakeBot, fake_sim: OneBotSimulator) -> None:
    fake_sim.add_group(GROUP)
    fake_sim.fail_next("send_group_msg", retcode=1200, times=2, message="timeout")

    results = [
        await fake_bot.call("send_group_msg", group_id=GROUP, message=str(i)) for i in range(3)
    ]

    assert [(r["status"], r["retcode"]) for r in results] == [
        ("failed", 1200),
        ("failed", 1200),
        ("ok", 0),
    ]
    assert results[0]["message"] == "timeout"
    assert [m.text for m in fake_sim.sent] == ["2"]


async def test_response_delay_still_answers_every_call(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    fake_sim.set_response_delay(0.05)
    response = await fake_bot.call("get_status")
    assert response["data"] == {"online": True, "good": True}
    assert len(fake_sim.calls) == 1


async def test_wait_for_helpers_consume_and_clear(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    fake_sim.add_group(GROUP)
    for text in ("一", "二"):
        await fake_bot.call("send_group_msg", group_id=GROUP, message=text)

    assert (await fake_sim.wait_for_sent(lambda m: m.text == "二")).text == "二"
    assert (await fake_sim.wait_for_sent()).text == "一"
    with pytest.raises(TimeoutError):
        await fake_sim.wait_for_sent(timeout=0.05)
    assert (await fake_sim.wait_for_call("send_group_msg")).params["message"] == "一"

    fake_sim.clear()
    assert fake_sim.sent == []
    assert fake_sim.calls == []


async def test_auto_escape_sends_cq_text_literally(
    fake_bot: FakeBot, fake_sim: OneBotSimulator
) -> None:
    fake_sim.add_group(GROUP)
    await fake_bot.call(
        "send_group_msg", group_id=GROUP, message="[CQ:at,qq=all]", auto_escape=True
    )
    sent = await fake_sim.wait_for_sent()
    assert sent.text == "[CQ:at,qq=all]"
    assert not sent.at_all


# --------------------------------------------------------------------------- pure helpers


def test_sent_message_helpers() -> None:
    message = SentMessage(
        action="send_group_msg",
        message_type="group",
        group_id=GROUP,
        user_id=None,
        message=parse_cq("[CQ:reply,id=42][CQ:at,qq=all][CQ:at,qq=7] 通知"),
        message_id=1,
    )
    assert message.reply_id == 42
    assert message.at_all
    assert message.has_at(7)
    assert not message.has_at(8)
    assert message.text == " 通知"
    assert message.forward_nodes == []


def test_unescape_is_single_pass() -> None:
    assert unescape_cq("&amp;#91;") == "&#91;"
    assert unescape_cq("&#91;&#93;&#44;&amp;") == "[],&"


@given(st.text(min_size=1))
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert parse_cq(escape_cq(text)) == [{"type": "text", "data": {"text": text}}]
    segments = [{"type": "text", "data": {"text": text}}]
    assert parse_cq(segments_to_cq(segments)) == segments


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20))
def test_segment_data_round_trips_through_cq(value: str) -> None:
    segments = [{"type": "image", "data": {"file": value, "url": "a,b[c]&d"}}]
    assert parse_cq(segments_to_cq(segments)) == segments
