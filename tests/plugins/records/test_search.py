"""搜索: title and body, newest first, no private records in a group."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.clock import FakeClock, format_local
from bot.core.models import ChannelKind
from tests.intake_helpers import LIFT, LIFT_TITLE, SEWAGE, SEWAGE_TITLE, register, submit
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

FOOTER = "查看详情：查提案 编号（社情民意用“查民意 编号”，议题用“查议题 编号”）"


async def test_search_newest_first(app: App, services: Services, clock: FakeClock) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    first = await submit(services, zhang, SEWAGE_TITLE, SEWAGE)
    clock.advance(timedelta(minutes=3))
    second = await submit(
        services,
        zhang,
        "关于污水处理费减免的建议",
        "小微企业污水处理费负担较重，建议分档减免。",
        "#社情民意",
    )
    clock.advance(timedelta(minutes=3))
    third = await submit(
        services, zhang, "关于污水管网私聊提交的建议", "污水管网老化，建议更新改造。", private=True
    )
    await submit(services, zhang, LIFT_TITLE, LIFT)
    day = format_local(first.created_at, with_time=False)
    event = group_message("搜索 污水", user_id=20002, card="农业界-李四")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "含“污水”的记录（最新2件）：\n"
                f"· 社情民意信息第1号《关于污水处理费减免的建议》张三 · 已提交 · {format_local(second.created_at, with_time=False)}\n"
                f"· 提案第1号《{SEWAGE_TITLE}》张三 · 已提交 · {day}\n" + FOOTER,
            ),
            result={"message_id": 1},
        )
    private = private_message("搜索 污水管网", user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, private)
        ctx.should_call_send(
            private,
            reply_of(
                private,
                "含“污水管网”的记录（最新2件）：\n"
                "· 提案第2号《关于污水管网私聊提交的建议》张三 · 已提交 · "
                f"{format_local(third.created_at, with_time=False)}\n"
                f"· 提案第1号《{SEWAGE_TITLE}》张三 · 已提交 · {day}\n" + FOOTER,
            ),
            result={"message_id": 2},
        )


async def test_search_nothing_and_empty(app: App, services: Services) -> None:
    cases = [
        (
            private_message("搜索 火星基地", user_id=20001),
            "没有找到含“火星基地”的提案、社情民意或议题。可以换个关键词，或用空格分开多个词，例如：搜索 农村 污水",
        ),
        (
            private_message("搜索", user_id=20001),
            "请写要搜索的关键词，例如：搜索 污水 或 搜索 农村 养老",
        ),
    ]
    for event, answer in cases:
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})


async def test_search_too_long_says_the_limit(app: App, services: Services) -> None:
    """~350,000 characters once failed with `LIKE or GLOB pattern too complex` (issue 17
    item 9): the limits are said, in Chinese, before any query runs."""
    zhang = await register(services, "20001", "张三")
    await submit(services, zhang, SEWAGE_TITLE, SEWAGE)
    cases = [
        (
            "搜索 " + "污" * 350_000,
            "关键词太长：每个词最多30个字（这次有一个词350000字）。请用几个短词搜索，"
            "用空格分开，例如：搜索 农村 污水",
        ),
        (
            "搜索 农村 污水 治理 设施 运维 经费",
            "关键词太多：最多5个词（这次有6个）。请只写最关键的几个词，例如：搜索 农村 污水",
        ),
    ]
    for text, answer in cases:
        event = private_message(text, user_id=20001)
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})
    # at the limits the search runs
    found, _ = await services.queries.search("污" * 30 + " 污水", include_private=True)
    assert found == []
    found, _ = await services.queries.search("污水 " * 9, include_private=True)  # one word
    assert [r.title for r in found] == [SEWAGE_TITLE]
