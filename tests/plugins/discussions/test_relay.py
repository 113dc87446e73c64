"""The relay through the NoneBot pipeline: who receives a participant's private message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message, MessageSegment

from tests.discussion_helpers import LI, TOPIC, WANG, ZHANG, ZHAO, four_members, open_room
from tests.utils import (
    ReplyTo,
    expect_silence,
    outbox_rows,
    outbox_text,
    private_message,
    reply_to,
    say,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def relayed(services: Services) -> list[tuple[str, str]]:
    """(recipient, text) of every relayed message, in order (invitations left out)."""
    rows = await outbox_rows(services, purpose="discussion")
    return [(r.target_id, outbox_text(r)) for r in rows if ":m" in (r.dedup_key or "")]


async def test_a_message_reaches_exactly_the_other_participants(
    app: App, services: Services
) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await expect_silence(app, private_message("污水管网覆盖率太低", user_id=ZHANG))
    assert await relayed(services) == [
        (LI, f"【D1 {TOPIC}】张三：污水管网覆盖率太低"),
        (WANG, f"【D1 {TOPIC}】张三：污水管网覆盖率太低"),
    ]
    # someone outside: the router answers as before, nothing is relayed
    outsider = private_message("大家好", user_id=ZHAO)
    await say(app, outsider, ReplyTo(outsider, "没有“大家好”这个命令"))
    # a command is a command, not a message to the discussion
    await say(app, private_message("讨论", user_id=LI), None)
    assert len(await relayed(services)) == 2


async def test_images_files_and_quoted_replies(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    message = Message(MessageSegment.text("现场照片")) + MessageSegment.image(
        "https://example.org/a.jpg"
    )
    quoted = reply_to(7001, f"【D1 {TOPIC}】张三：污水管网覆盖率太低")
    await expect_silence(app, private_message(message, user_id=LI, reply=quoted))
    rows = [r for r in await outbox_rows(services, purpose="discussion") if r.target_id == ZHANG]
    parts = rows[-1].parts
    assert parts[0] == {"type": "text", "text": f"【D1 {TOPIC}】李四（回复张三）："}
    assert parts[1] == {"type": "text", "text": "现场照片"}
    assert parts[2]["type"] == "image"
    assert parts[2]["file"] == "https://example.org/a.jpg"


async def test_a_leaver_stops_receiving(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await say(app, private_message("退出 D1", user_id=WANG))
    await expect_silence(app, private_message("还有人吗", user_id=ZHANG))
    assert [to for to, _ in await relayed(services)] == [LI]
    # the leaver's own private messages are no longer relayed either
    gone = private_message("我再说一句", user_id=WANG)
    await say(app, gone, ReplyTo(gone, "没有“我再说一句”这个命令"))
    assert [to for to, _ in await relayed(services)] == [LI]


async def test_several_open_discussions_ask_which(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    await open_room(services, people[WANG], ZHANG, topic="老旧小区加装电梯")
    ask = private_message("我有个想法", user_id=ZHANG)
    answer = await say(
        app, ask, ReplyTo(ask, "您同时参加了几个讨论：D1 农村污水治理；D2 老旧小区加装电梯")
    )
    assert "请先发送“进入 D1”" in answer
    assert await relayed(services) == []
    await say(app, private_message("进入 D2", user_id=ZHANG))
    await expect_silence(app, private_message("我有个想法", user_id=ZHANG))
    assert await relayed(services) == [(WANG, "【D2 老旧小区加装电梯】张三：我有个想法")]


async def test_posting_to_a_closed_discussion_is_refused(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    await say(app, private_message("结束讨论 D1", user_id=ZHANG))
    late = private_message("补充一点", user_id=LI)
    answer = await say(app, late, ReplyTo(late, f"讨论D1“{TOPIC}”已于"))
    assert "这条消息没有转发" in answer
    assert "#讨论 主题 @委员" in answer
    assert await relayed(services) == []


async def test_a_redelivered_message_is_relayed_once(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    first = private_message("只转一次", user_id=ZHANG, message_id=88001)
    await expect_silence(app, first)
    await expect_silence(app, private_message("只转一次", user_id=ZHANG, message_id=88001))
    assert len(await relayed(services)) == 2
