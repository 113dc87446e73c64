"""`#提按 …` in a members' group (no @) or privately gets a hint instead of silence; chatter
that starts with # gets nothing; staff and unit groups stay quiet (issue 9 item 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.models import ChannelKind, Record
from tests.intake_helpers import register
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

CARD = "农业界-张三"
PROPOSAL_FORMAT = "#提案 标题\n正文（情况、分析、建议）\n联名：@委员（可选）"
BODY = "\n我县农村生活污水处理设施覆盖率低。\n建议：一是加大投入；二是建立运维机制。"


async def bind(services: Services, kind: ChannelKind = ChannelKind.WHOLE) -> None:
    await services.channels.bind(str(GROUP), kind, sector=None, bound_by=SUPERUSER)


async def no_records(services: Services) -> bool:
    async with services.db.session() as session:
        return (await session.exec(select(Record))).first() is None


@pytest.mark.parametrize(
    ("typed", "word"), [("#提按", "提按"), ("＃题案", "题案"), ("【提按】", "提按")]
)
async def test_a_mistyped_tag_in_a_members_group_gets_a_hint(
    app: App, services: Services, typed: str, word: str
) -> None:
    await bind(services)
    await register(services, "20001", "张三")
    await say(
        app,
        group_message(
            f"{typed} 关于加快推进农村生活污水治理的建议{BODY}", user_id=20001, card=CARD
        ),
        f"您是不是要发“#提案”？“{word}”不是标签，这条没有登记。请按以下格式重新发送：\n"
        f"{PROPOSAL_FORMAT}",
    )
    assert await no_records(services)


async def test_a_mistyped_tag_privately_gets_a_hint(app: App, services: Services) -> None:
    await say(
        app,
        private_message("#社情名意 关于城区电动车充电难的问题", user_id=20001),
        "您是不是要发“#社情民意”？“社情名意”不是标签，这条没有登记。请按以下格式重新发送：\n"
        "#社情民意 标题\n情况：……\n建议：……\n（一事一报，建议不超过1500字）",
    )


@pytest.mark.parametrize(
    "typed",
    ["#今日打卡 跑步五公里", "#提醒 明天上午开会", "#🎉 生日快乐", "#1", "【通知】明天开会"],
)
async def test_chatter_that_starts_with_a_hash_gets_nothing(
    app: App, services: Services, typed: str
) -> None:
    await bind(services)
    event = group_message(typed, user_id=20001, card=CARD)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_not_pass_rule()


@pytest.mark.parametrize("kind", [ChannelKind.STAFF, ChannelKind.UNIT])
async def test_staff_and_unit_groups_get_no_hint(
    app: App, services: Services, kind: ChannelKind
) -> None:
    await bind(services, kind)
    event = group_message("#提按 关于加快推进农村生活污水治理的建议", user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_not_pass_rule()
