"""Text as clients really send it (issue 17 item 15): Unicode line separators end the title
line, an invisible character before a command does not hide it, and a full-width slash before
a tag still makes a post."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.models import ChannelKind, Record
from tests.intake_helpers import LIFT, LIFT_TITLE, register
from tests.utils import GROUP, SUPERUSER, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

CARD = "农业界-张三"


async def records(services: Services) -> list[Record]:
    async with services.db.session() as session:
        return list((await session.exec(select(Record).order_by(Record.id))).all())


def confirmation(services: Services, *, private: bool = False) -> str:
    assert services.intake.lexicon is not None
    category = services.intake.lexicon.classify(LIFT, title=LIFT_TITLE).category
    lines = [
        f"已登记：提案第1号《{LIFT_TITLE}》",
        "提出人：张三（农业界）",
        f"类别：{category}（机器人推测，审核时可调整）",
    ]
    if private:
        lines += [
            "查看进度：查提案 1；审核前可发送“撤回 1”撤回。",
            "（私聊提交的内容不会发到群里。）",
        ]
    else:
        lines.append(
            "其他委员可回复本消息“附议”联名；查看进度：查提案 1；审核前可发送“撤回 1”撤回。"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r", "\r\n", "\x0b"])
async def test_unicode_line_breaks_end_the_title(
    app: App, services: Services, separator: str
) -> None:
    await register(services, "20001", "张三")
    event = private_message(f"#提案 {LIFT_TITLE}{separator}{LIFT}", user_id=20001)
    await say(app, event, confirmation(services, private=True))
    [record] = await records(services)
    assert (record.title, record.body) == (LIFT_TITLE, LIFT)


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u200b\u200d"])
async def test_an_invisible_character_before_a_command(
    app: App, services: Services, invisible: str
) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    event = group_message(f"{invisible}查提案 9", user_id=20001, card=CARD)
    await say(
        app,
        event,
        "没有找到提案第9号。请检查编号；查看往年的请写成 2025-9。".replace(
            "2025", str(services.records.current_year() - 1)
        ),
    )


@pytest.mark.parametrize(
    "prefix", ["／＃提案：", "/＃提案 ", "／#提案 ", "／【提案】", "/ #提案 ", "\u200b／＃提案："]
)
async def test_a_slash_before_a_tag_still_posts(app: App, services: Services, prefix: str) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    event = group_message(f"{prefix}{LIFT_TITLE}\n{LIFT}", user_id=20001, card=CARD)
    await say(app, event, confirmation(services))
    assert [r.title for r in await records(services)] == [LIFT_TITLE]
