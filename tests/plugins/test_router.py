"""The router: unknown commands, silence for chatter, refusals, one answer per event."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import MessageSegment

from bot.core.models import ChannelKind
from tests.utils import (
    GROUP,
    MEMBER,
    STAFF,
    SUPERUSER,
    expect_silence,
    group_message,
    make_bot,
    private_message,
    reply_of,
    say,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

BOUND_GREETING = "本群是全体群。本群委员可以发 #提案、#社情民意、#议题，工作日每天 09:00 推送日报。"


@pytest.fixture
async def whole_group(services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)


async def test_unknown_private_command_with_did_you_mean(app: App, people: None) -> None:
    answer = await say(app, private_message("帮主", user_id=MEMBER))
    assert answer.startswith("没有“帮主”这个命令。您是不是要用：")
    assert "帮助" in answer.removeprefix("没有“帮主”这个命令。")
    assert answer.endswith("发送“帮助”查看可用的命令。")


async def test_unknown_private_command_without_suggestion(app: App, people: None) -> None:
    await say(
        app,
        private_message("今天天气怎么样", user_id=MEMBER),
        "没有“今天天气怎么样”这个命令。发送“帮助”查看可用的命令。",
    )


async def test_suggestions_only_name_commands_the_asker_may_use(app: App, people: None) -> None:
    member_answer = await say(app, private_message("管理", user_id=MEMBER))
    assert member_answer.startswith("没有“管理”这个命令。")
    assert "管理员" not in member_answer
    boss_answer = await say(app, private_message("管理", user_id=SUPERUSER))
    assert "您是不是要用：" in boss_answer
    assert "管理员" in boss_answer


async def test_empty_private_message_gets_a_greeting(app: App) -> None:
    event = private_message(MessageSegment.image("file:///x.png"), user_id=29999)
    await say(app, event, "您好，我是政协履职助手。发送“帮助”查看可以做什么。")


@pytest.mark.parametrize(
    "text", ["我的天", "统计一下", "帮助我看看这个", "委员们辛苦了", "哈哈 @全体"]
)
async def test_group_chatter_gets_no_reply(
    app: App, people: None, whole_group: None, text: str
) -> None:
    await expect_silence(app, group_message(text, user_id=MEMBER, card="农业界-张三"))


async def test_group_message_to_the_bot_gets_an_answer(
    app: App, people: None, whole_group: None
) -> None:
    event = group_message("你好", user_id=MEMBER, card="农业界-张三", to_me=True)
    await say(app, event, "没有“你好”这个命令。发送“帮助”查看可用的命令。")


async def test_slash_in_a_group_is_addressed(app: App, people: None, whole_group: None) -> None:
    event = group_message("/天气", user_id=MEMBER, card="农业界-张三")
    await say(app, event, "没有“天气”这个命令。发送“帮助”查看可用的命令。")


@pytest.mark.parametrize("text", ["/帮助", "／帮助", "/ 帮助"])
async def test_slash_commands_work_in_groups(
    app: App, people: None, whole_group: None, text: str
) -> None:
    answer = await say(app, group_message(text, user_id=MEMBER, card="农业界-张三"))
    assert answer.startswith("政协履职助手 · 可用命令")


async def test_wrong_place_says_where(app: App, people: None) -> None:
    await say(
        app,
        private_message("本群", user_id=STAFF),
        "“本群”请在委员群、机关群、承办单位群使用。",
    )


async def test_role_refusal_says_what_to_type(app: App, people: None, whole_group: None) -> None:
    event = group_message("委员 列表", user_id=MEMBER, card="农业界-张三")
    await say(
        app,
        event,
        "“委员”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。"
        "发送“帮助”查看您可以使用的命令。",
    )


async def test_redelivered_event_is_answered_once(app: App, people: None) -> None:
    first = private_message("委员 列表", user_id=STAFF, message_id=424242)
    again = private_message("委员 列表", user_id=STAFF, message_id=424242)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, first)
        ctx.should_call_send(
            first,
            reply_of(first, "委员名单（共1人）\n【农业界】1人：张三"),
            result={"message_id": 1},
        )
        ctx.receive_event(bot, again)


async def test_unexpected_error_is_answered_politely(
    app: App, services: Services, people: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services.members, "list_members", broken)
    await say(
        app,
        private_message("委员 列表", user_id=STAFF),
        "抱歉，处理这条命令时出错了，已记录。请稍后再试，或联系机关工作人员。",
    )


async def test_superuser_binds_with_slash_in_unbound_group(app: App, services: Services) -> None:
    event = group_message("/本群 设为 全体群", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "get_group_info", {"group_id": GROUP, "no_cache": False}, {"group_name": "委员群"}
        )
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "已将本群设为全体群。本群委员可以发 #提案、#社情民意、#议题，工作日每天 09:00 推送日报。",
            ),
            result={"message_id": 1},
        )
    assert await services.channels.get(str(GROUP)) is not None
    await say(app, group_message("本群", user_id=MEMBER), BOUND_GREETING)
