"""#讨论, 加入, 退出, 讨论, 讨论 D3, 进入: through the NoneBot pipeline."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.models import ChannelKind
from tests.discussion_helpers import (
    LI,
    STAFF_ID,
    TOPIC,
    WANG,
    ZHANG,
    ZHAO,
    create_message,
    four_members,
    open_room,
)
from tests.utils import (
    STAFF_GROUP,
    STAFF_GROUP_ID,
    SUPERUSER,
    ReplyTo,
    expect_silence,
    group_message,
    outbox_rows,
    outbox_text,
    private_message,
    say,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_create_in_group_invites_each_one_to_one(app: App, services: Services) -> None:
    await four_members(services)
    event = group_message(create_message(TOPIC, LI, WANG, tail="24小时"), user_id=ZHANG)
    answer = await say(app, event, ReplyTo(event, "已建立临时讨论组D1“农村污水治理”"))
    assert "参加者：张三、李四、王五" in answer
    assert "本群其他人发送“加入 D1”可以加入" in answer
    rows = await outbox_rows(services, purpose="discussion")
    assert sorted(r.target_id for r in rows) == [LI, WANG]
    assert {r.target_type for r in rows} == {"private"}
    invitation = outbox_text(rows[0])
    assert invitation.startswith("【D1 农村污水治理】张三邀请您参加临时讨论组D1")
    assert "“进入 D1”" in invitation
    assert "“退出 D1”" in invitation
    room = await services.discussions.rooms.show(await services.members.identify(ZHANG), 1, None)
    hours = (room.discussion.ends_at - room.discussion.created_at).total_seconds() / 3600
    assert hours == 24


async def test_create_privately_by_name_and_qq(app: App, services: Services) -> None:
    await four_members(services)
    event = private_message(f"#讨论 {TOPIC} 李四 {ZHAO} 3天", user_id=ZHANG)
    answer = await say(app, event, ReplyTo(event, "已建立临时讨论组D1"))
    assert "参加者：张三、李四、赵六" in answer
    assert "加入 D1" not in answer  # private: nobody joins from a group
    rows = await outbox_rows(services, purpose="discussion")
    assert sorted(r.target_id for r in rows) == [LI, ZHAO]


async def test_create_refusals_say_what_to_type(app: App, services: Services) -> None:
    await four_members(services)
    alone = group_message("#讨论 只有我", user_id=ZHANG)
    await say(app, alone, ReplyTo(alone, "讨论至少要有2位参加者"))
    stranger = group_message(create_message(TOPIC, "29999"), user_id=ZHANG)
    answer = await say(app, stranger, ReplyTo(stranger, "QQ 29999不在委员名单中，不能邀请"))
    assert "写QQ号" in answer
    unknown = private_message(f"#讨论 {TOPIC} 钱七", user_id=ZHANG)
    await say(app, unknown, ReplyTo(unknown, "“钱七”不在委员名单中"))
    too_long = group_message(create_message(TOPIC, LI, tail="10天"), user_id=ZHANG)
    await say(app, too_long, ReplyTo(too_long, "讨论时长可以是 1 小时到 7 天"))
    no_topic = group_message(create_message("", LI), user_id=ZHANG)
    await say(app, no_topic, ReplyTo(no_topic, "请写讨论的主题。请这样发：#讨论 主题"))
    guest = group_message(create_message(TOPIC, LI), user_id=29998, card="访客")
    # the gate registers a new face in a members' group: not refused for the roster then
    await say(app, guest, ReplyTo(guest, "已建立临时讨论组D1"))


async def test_too_many_participants(app: App, services: Services) -> None:
    await four_members(services)
    many = [str(21000 + i) for i in range(30)]
    for user_id in many:
        await services.members.register_from_card(user_id, f"农业界-委员{user_id}")
    event = group_message(create_message(TOPIC, *many), user_id=ZHANG)
    answer = await say(app, event, ReplyTo(event, "一个讨论最多30人（现在是31人）"))
    assert "分成几个讨论" in answer
    assert await outbox_rows(services, purpose="discussion") == []


async def test_join_in_origin_group_only(app: App, services: Services) -> None:
    people = await four_members(services)
    await services.channels.bind(STAFF_GROUP_ID, ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    await open_room(services, people[ZHANG], LI)
    elsewhere = group_message("加入 D1", user_id=STAFF_ID, group_id=STAFF_GROUP)
    await say(app, elsewhere, "请在发起讨论D1的群里发送“加入 D1”。")
    privately = private_message("加入 D1", user_id=ZHAO)
    await say(app, privately, "请在发起讨论的群里发送“加入 D1”。")
    join = group_message("加入 D1", user_id=ZHAO)
    await say(
        app, join, f"您已加入讨论D1“{TOPIC}”（3人）。请私聊机器人发言，消息会转给其他参加者。"
    )
    again = group_message("加入D1", user_id=ZHAO)  # no space needed before the number
    await say(app, again, "您已在讨论D1中。私聊机器人发消息即可参与讨论。")
    unknown = group_message("加入 D9", user_id=ZHAO)
    await say(app, unknown, "没有讨论D9。发送“讨论”查看您参加的讨论，或核对编号。")
    notices = [outbox_text(r) for r in await outbox_rows(services, purpose="discussion")]
    assert f"【D1 {TOPIC}】赵六加入了讨论。" in notices


async def test_group_chatter_with_command_words_is_silent(app: App, services: Services) -> None:
    await four_members(services)
    await expect_silence(app, group_message("退出 群聊", user_id=ZHANG))
    await expect_silence(app, group_message("讨论 这件事", user_id=ZHANG))
    await expect_silence(app, group_message("进入 会场", user_id=ZHANG))
    enter = group_message("进入 D1", user_id=ZHANG)
    await say(app, enter, "请私聊机器人发送“进入 D1”。")
    hint = private_message("退出", user_id=ZHANG)
    await say(app, hint, ReplyTo(hint, "请写讨论编号，例如：退出 D3"))


async def test_leave_list_show_and_choose(app: App, services: Services, clock: FakeClock) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await open_room(services, people[LI], ZHANG, topic="老旧小区加装电梯")
    clock.advance(timedelta(hours=1, minutes=10))
    listing = private_message("讨论", user_id=ZHANG)
    answer = await say(app, listing, ReplyTo(listing, "您参加的讨论："))
    assert f"D1 {TOPIC}（3人，0条，剩余1天22小时）" in answer
    assert "D2 老旧小区加装电梯（2人" in answer
    assert "请先发送“进入 D1”选择讨论" in answer
    show = private_message("讨论 D1", user_id=WANG)
    answer = await say(app, show, ReplyTo(show, f"讨论D1“{TOPIC}”（进行中，剩余1天22小时"))
    assert "参加者：张三、李四、王五（3人）" in answer
    assert "消息：0条" in answer
    in_group = group_message("讨论", user_id=ZHANG)  # only what was opened in this group
    answer = await say(app, in_group, ReplyTo(in_group, "您参加的讨论："))
    assert "D1 " in answer
    assert "D2 " in answer
    outsider = private_message("讨论 D1", user_id=ZHAO)
    await say(app, outsider, "您没有参加讨论D1。发送“讨论”查看您参加的讨论。")
    choose = private_message("进入 D2", user_id=ZHANG)
    await say(app, choose, "已进入讨论D2“老旧小区加装电梯”。接下来您私聊发的消息会转给其他参加者。")
    not_in = private_message("进入 D2", user_id=WANG)
    await say(app, not_in, ReplyTo(not_in, "您不在讨论D2中。"))
    leave = private_message("退出 D1", user_id=WANG)
    await say(app, leave, "您已退出讨论D1，不会再收到其中的消息。")
    again = private_message("退出 D1", user_id=WANG)
    await say(app, again, "您不在讨论D1中，不需要退出。")
    none = private_message("讨论", user_id=WANG)
    await say(app, none, "您目前没有参加进行中的讨论。发起讨论：#讨论 主题 @委员 [48小时]")


async def test_a_private_discussion_stays_out_of_groups(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, topic="私下商量的事", group_id=None)
    listing = group_message("讨论", user_id=ZHANG)
    answer = await say(app, listing, ReplyTo(listing, "您目前没有参加进行中的讨论"))
    assert "私下商量的事" not in answer
    shown = group_message("讨论 D1", user_id=ZHANG)
    await say(app, shown, "讨论D1不是在本群发起的，请私聊机器人发送“讨论 D1”查看。")


async def test_staff_links_a_discussion_to_a_proposal(app: App, services: Services) -> None:
    from tests.intake_helpers import LIFT, LIFT_TITLE, submit

    people = await four_members(services)
    record = await submit(services, people[ZHANG], LIFT_TITLE, LIFT)
    event = private_message(f"#讨论 关于第{record.number}号提案 张三 李四", user_id=STAFF_ID)
    await say(app, event, ReplyTo(event, "已建立临时讨论组D1"))
    room = await services.discussions.rooms.show(people[STAFF_ID], 1, None)
    assert room.discussion.about_record_id == record.id
    unknown = private_message("#讨论 关于第99号提案 张三", user_id=STAFF_ID)
    await say(app, unknown, ReplyTo(unknown, "没有"))


async def test_help_lists_the_discussion_commands(app: App, services: Services) -> None:
    await four_members(services)
    event = private_message("帮助 讨论组", user_id=ZHANG)
    answer = await say(app, event)
    for usage in ("#讨论 主题 @委员", "[48小时]", "加入 D3", "退出 D3", "进入 D3", "讨论 [D3]"):
        assert usage in answer
    assert "结束讨论 D3" in answer
    assert "讨论转提案 D3 [标题]" in answer
