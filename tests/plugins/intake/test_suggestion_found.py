"""A labelled 建议 section is a suggestion, whatever verbs it uses (issue 9 item 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import Message, MessageSegment
from sqlmodel import select

from bot.core.models import ChannelKind, Record
from tests.intake_helpers import register
from tests.utils import GROUP, SUPERUSER, group_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

TITLE = "关于规范机器人群消息的建议"
SITUATION = "群里有人在标题中写入特殊代码，机器人照发后全体成员都被提醒，影响正常工作。"


@pytest.mark.parametrize(
    "tail",
    [
        [MessageSegment.text("建议：一是不要@全体成员；二是转义。")],
        # QQ turns a typed @全体成员 into a segment, which the body does not show
        [
            MessageSegment.text("建议：一是不要"),
            MessageSegment.at("all"),
            MessageSegment.text("；二是转义。"),
        ],
    ],
)
async def test_a_suggestion_section_gets_no_warning(
    app: App, services: Services, tail: list[MessageSegment]
) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    message = Message([MessageSegment.text(f"#提案 {TITLE}\n{SITUATION}\n"), *tail])
    event = group_message(message, user_id=20001, card="农业界-张三")
    body = SITUATION + "\n" + "".join(s.data.get("text", "") for s in tail)
    assert services.intake.lexicon is not None
    category = services.intake.lexicon.classify(body, title=TITLE).category
    await say(
        app,
        event,
        f"已登记：提案第1号《{TITLE}》\n提出人：张三（农业界）\n"
        f"类别：{category}（机器人推测，审核时可调整）\n"
        "其他委员可回复本消息“附议”联名；查看进度：查提案 1；审核前可发送“撤回 1”撤回。",
    )
    async with services.db.session() as session:
        record = (await session.exec(select(Record))).one()
    assert record.has_suggestion
