"""本群: binding groups, and silence in unbound groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import ChannelKind
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_superuser_binds_unbound_group(app: App, services: Services) -> None:
    event = group_message("本群 设为 全体群", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "get_group_info", {"group_id": GROUP, "no_cache": False}, {"group_name": "县政协委员群"}
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
    binding = await services.channels.get(str(GROUP))
    assert binding is not None
    assert binding.kind == ChannelKind.WHOLE
    assert binding.group_name == "县政协委员群"
    # the binding is in the database, not only in the cache
    await services.channels.load()
    assert (await services.channels.get(str(GROUP))) is not None


async def test_sector_group_needs_known_sector(app: App, services: Services) -> None:
    event = group_message("本群 设为 界别群 农业", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "get_group_info", {"group_id": GROUP, "no_cache": False}, {"group_name": "农业界"}
        )
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "已将本群设为界别群（农业界）。本群委员可以发 #提案 等，发言委员自动登记为该界别，每周一推送界别周报。",
            ),
            result={"message_id": 1},
        )
    bad = group_message("本群 设为 界别群 火星界", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, bad)
        names = "、".join(services.sectors.names())
        ctx.should_call_send(
            bad,
            reply_of(bad, f"没有“火星界”这个界别。可用的界别：{names}"),
            result={"message_id": 2},
        )
    binding = await services.channels.get(str(GROUP))
    assert binding is not None
    assert binding.sector == "农业界"


async def test_unbound_group_is_silent_for_members(app: App, services: Services) -> None:
    for text in ("本群 设为 全体群", "帮助", "查提案 1", "随便聊聊"):
        event = group_message(text, user_id=20002, to_me=True)
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_not_pass_rule()
    assert await services.channels.get(str(GROUP)) is None


async def test_unbound_group_superuser_other_commands_silent(app: App) -> None:
    event = group_message("帮助", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_not_pass_rule()


async def test_member_cannot_bind(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    event = group_message("本群 设为 机关群", user_id=20003, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event, "只有机关工作人员或超级管理员可以设置本群用途。发送“本群”可查看当前设置。"
            ),
            result={"message_id": 1},
        )
    binding = await services.channels.get(str(GROUP))
    assert binding is not None
    assert binding.kind == ChannelKind.WHOLE


async def test_staff_binds_and_shows_and_unbinds(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await services.members.set_staff("30001", True, display_name="王秘书")
    rebind = group_message("本群 设为 机关群", user_id=30001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "get_group_info", {"group_id": GROUP, "no_cache": False}, {"group_name": "机关"}
        )
        ctx.receive_event(bot, rebind)
        ctx.should_call_send(
            rebind,
            reply_of(
                rebind,
                "已将本群设为机关群（原为全体群）。新提交的提案、社情民意会通知本群审核；逾期办理和月报也发到这里。",
            ),
            result={"message_id": 1},
        )
    show = group_message("本群", user_id=20004)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, show)
        ctx.should_call_send(
            show,
            reply_of(
                show,
                "本群是机关群。新提交的提案、社情民意会通知本群审核；逾期办理和月报也发到这里。",
            ),
            result={"message_id": 2},
        )
    cancel = group_message("本群 取消", user_id=30001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, cancel)
        ctx.should_call_send(
            cancel,
            reply_of(cancel, "已取消本群的绑定（原为机关群）。此后机器人在本群不再回应。"),
            result={"message_id": 3},
        )
    assert await services.channels.get(str(GROUP)) is None


async def test_bad_kind_word(app: App) -> None:
    event = group_message("本群 设为 聊天群", user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event, "不认识“聊天群”。请发送：本群 设为 全体群｜界别群 <界别>｜机关群｜承办单位群"
            ),
            result={"message_id": 1},
        )
