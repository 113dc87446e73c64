"""Short topics are accepted (issue 9 item 10); a proposal or opinion lead with a title and no
body is refused with the format instead of being numbered (issue 9 item 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.models import ChannelKind, Record
from tests.intake_helpers import register
from tests.utils import GROUP, SUPERUSER, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

CARD = "农业界-张三"
PROPOSAL_FORMAT = "#提案 标题\n正文（情况、分析、建议）\n联名：@委员（可选）"
OPINION_FORMAT = "#社情民意 标题\n情况：……\n建议：……\n（一事一报，建议不超过1500字）"


async def records(services: Services) -> list[Record]:
    async with services.db.session() as session:
        return list((await session.exec(select(Record))).all())


async def test_a_short_topic_is_registered(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    event = group_message("＃议题 农村养老服务体系建设", user_id=20001, card=CARD)
    assert services.intake.lexicon is not None
    category = services.intake.lexicon.classify(
        "农村养老服务体系建设", title="农村养老服务体系建设"
    )
    await say(
        app,
        event,
        "已登记：议题第1号《农村养老服务体系建设》\n提出人：张三（农业界）\n"
        f"类别：{category.category}（机器人推测，审核时可调整）\n"
        "其他委员可回复本消息“附议”表示支持；查看进度：查议题 1；审核前可发送“撤回 议题 1”撤回。",
    )
    [record] = await records(services)
    assert record.title == "农村养老服务体系建设"


@pytest.mark.parametrize(
    ("typed", "template", "parts"),
    [
        ("#提案 关于修缮人民广场健身器材的建议", PROPOSAL_FORMAT, "情况、分析、建议"),
        ("#社情民意 关于城区老旧小区电动车充电难的问题", OPINION_FORMAT, "情况、建议"),
    ],
)
async def test_a_title_without_body_is_refused(
    app: App, services: Services, typed: str, template: str, parts: str
) -> None:
    await register(services, "20001", "张三")
    await say(
        app,
        private_message(typed, user_id=20001),
        f"只有标题，没有正文，未登记。第一行写标题，从第二行起写正文（{parts}）。"
        f"请按以下格式发送：\n{template}",
    )
    assert await records(services) == []
