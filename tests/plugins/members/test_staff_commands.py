"""管理员 添加 / 移除 / 列表: superusers only; the roster is unchanged after a refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import Message
from sqlmodel import select

from bot.core.models import ChannelKind, Member
from tests.utils import (
    GROUP,
    GUEST,
    MEMBER,
    STAFF,
    SUPERUSER,
    at,
    group_message,
    make_bot,
    private_message,
    reply_of,
    say,
    text,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

TARGET = 20005

SUPERUSER_ONLY = "“管理员”只有超级管理员可以使用。发送“帮助”查看您可以使用的命令。"
USAGE = "用法：管理员 添加 @某人；管理员 移除 @某人；管理员 列表"


async def roster(services: Services) -> list[tuple[object, ...]]:
    async with services.db.session() as session:
        rows = (await session.exec(select(Member))).all()
    return sorted((m.user_id, m.name, m.sector, m.is_member, m.is_staff) for m in rows)


def message(*parts: str | int) -> Message:
    result = Message()
    for part in parts:
        result += at(part) if isinstance(part, int) else text(part)
    return result


@pytest.mark.parametrize("user_id", [GUEST, MEMBER, STAFF])
@pytest.mark.parametrize(
    "parts",
    [("管理员 添加 ", TARGET), ("管理员 移除 ", STAFF), ("管理员 列表",), ("管理员",)],
)
async def test_only_superusers(
    app: App, services: Services, people: None, user_id: int, parts: tuple[str | int, ...]
) -> None:
    before = await roster(services)
    await say(app, private_message(message(*parts), user_id=user_id), SUPERUSER_ONLY)
    assert await roster(services) == before


async def test_superuser_adds_lists_and_removes(app: App, services: Services, people: None) -> None:
    await say(
        app,
        private_message(message("管理员 添加 ", TARGET), user_id=SUPERUSER),
        f"已将 {TARGET} 设为机关工作人员。",
    )
    added = await services.members.get(str(TARGET))
    assert added is not None
    assert added.is_staff
    assert not added.is_member
    identity = await services.members.identify(str(TARGET))
    assert identity.is_staff

    await say(
        app,
        private_message("管理员 列表", user_id=SUPERUSER),
        f"机关工作人员：{TARGET}、王秘书",
    )
    await say(
        app,
        private_message(message("管理员 移除 ", STAFF), user_id=SUPERUSER),
        "已将 王秘书 移出机关工作人员。",
    )
    removed = await services.members.get(str(STAFF))
    assert removed is not None
    assert not removed.is_staff


async def test_member_made_staff_stays_a_member(app: App, services: Services, people: None) -> None:
    await say(
        app,
        private_message(message("管理员 添加 ", MEMBER), user_id=SUPERUSER),
        "已将 张三 设为机关工作人员。",
    )
    member = await services.members.get(str(MEMBER))
    assert member is not None
    assert member.is_staff
    assert member.is_member
    assert member.sector == "农业界"


async def test_superuser_adds_in_a_group_by_card(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    event = group_message(message("管理员 添加 ", TARGET), user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": TARGET, "no_cache": False},
            {"card": "🌟刘秘书🌟", "nickname": "小刘"},
        )
        ctx.should_call_send(
            event, reply_of(event, "已将 刘秘书 设为机关工作人员。"), result={"message_id": 1}
        )
    assert (await services.members.identify(str(TARGET))).is_staff


@pytest.mark.parametrize(
    ("card", "name"),
    [("机关-陈干事", "陈干事"), ("县教育局-刘明", "刘明"), ("刘明（县教育局）", "刘明")],
)
async def test_a_card_with_the_organisation_gives_the_name(
    app: App, services: Services, card: str, name: str
) -> None:
    """`机关-陈干事` is 陈干事, not 机关 (timelines then say 立案（陈干事）)."""
    await services.channels.bind(str(GROUP), ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    event = group_message(message("管理员 添加 ", TARGET), user_id=SUPERUSER)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": TARGET, "no_cache": False},
            {"card": card, "nickname": "x"},
        )
        ctx.should_call_send(
            event, reply_of(event, f"已将 {name} 设为机关工作人员。"), result={"message_id": 1}
        )
    assert (await services.members.get(str(TARGET))).name == name


async def test_several_at_once_with_one_not_staff(
    app: App, services: Services, people: None
) -> None:
    await say(
        app,
        private_message(message("管理员 移除 ", STAFF, " ", MEMBER), user_id=SUPERUSER),
        "已将 王秘书 移出机关工作人员。\n张三 不是机关工作人员，无需移除。",
    )
    assert await services.members.list_staff() == []


async def test_removing_nobody_known(app: App, services: Services, people: None) -> None:
    before = await roster(services)
    await say(
        app,
        private_message(message("管理员 移除 ", TARGET), user_id=SUPERUSER),
        f"{TARGET} 不是机关工作人员，无需移除。",
    )
    assert await roster(services) == before


@pytest.mark.parametrize(
    ("parts", "answer"),
    [
        (("管理员",), USAGE),
        (("管理员 任命 ", TARGET), USAGE),
        (("管理员 添加",), "请 @ 要添加的人。例如：管理员 添加 @某人"),
        (("管理员 移除 张三",), "请 @ 要移除的人。例如：管理员 移除 @某人"),
    ],
)
async def test_bad_input_says_what_to_type(
    app: App, services: Services, people: None, parts: tuple[str | int, ...], answer: str
) -> None:
    before = await roster(services)
    await say(app, private_message(message(*parts), user_id=SUPERUSER), answer)
    assert await roster(services) == before


async def test_empty_staff_list(app: App) -> None:
    await say(app, private_message("管理员 列表", user_id=SUPERUSER), "机关工作人员：（暂无）")
