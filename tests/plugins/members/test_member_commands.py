"""委员 设置 / 委员 列表: who may use them, what they change, how bad input is answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import Message
from sqlmodel import select

from bot.core.models import ChannelKind, Member
from bot.core.people.members import MemberUpdate
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

STAFF_ONLY = (
    "“委员”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。发送“帮助”查看您可以使用的命令。"
)
USAGE = "委员 设置 @某人 界别 农业界 [职务 常委] [专委会 提案委]；委员 列表 [界别]"


async def roster(services: Services) -> list[tuple[object, ...]]:
    async with services.db.session() as session:
        rows = (await session.exec(select(Member))).all()
    return sorted(
        (m.user_id, m.name, m.sector, m.title, m.committee, m.is_member, m.is_staff) for m in rows
    )


def set_message(*parts: str | int) -> Message:
    """`委员 设置 @TARGET 界别 农业界`: ints become @ segments."""
    message = Message()
    for part in parts:
        message += at(part) if isinstance(part, int) else text(part)
    return message


@pytest.mark.parametrize(
    ("user_id", "allowed"),
    [(GUEST, False), (MEMBER, False), (STAFF, True), (SUPERUSER, True)],
)
async def test_set_permission_matrix(
    app: App, services: Services, people: None, user_id: int | str, allowed: bool
) -> None:
    before = await roster(services)
    event = private_message(
        set_message("委员 设置 ", TARGET, " 界别 教育界 职务 常委"), user_id=user_id
    )
    answer = f"已更新委员 {TARGET}：界别：教育界，职务：常委。" if allowed else STAFF_ONLY
    await say(app, event, answer)
    if allowed:
        member = await services.members.get(str(TARGET))
        assert member is not None
        assert (member.sector, member.title, member.is_member) == ("教育界", "常委", True)
    else:
        assert await roster(services) == before


@pytest.mark.parametrize(
    ("user_id", "allowed"),
    [(GUEST, False), (MEMBER, False), (STAFF, True), (SUPERUSER, True)],
)
async def test_list_permission_matrix(
    app: App, services: Services, people: None, user_id: int | str, allowed: bool
) -> None:
    event = private_message("委员 列表", user_id=user_id)
    answer = "委员名单（共1人）\n【农业界】1人：张三" if allowed else STAFF_ONLY
    await say(app, event, answer)


async def test_staff_sets_member_in_a_group(app: App, services: Services, people: None) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    event = group_message(
        set_message("委员 设置 ", TARGET, " 界别 农业 职务 常委 专委会 提案委"), user_id=STAFF
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": GROUP, "user_id": TARGET, "no_cache": False},
            {"card": "农业界-李四🌾", "nickname": "四哥"},
        )
        ctx.should_call_send(
            event,
            reply_of(event, "已更新委员 李四：界别：农业界，职务：常委，专委会：提案委。"),
            result={"message_id": 1},
        )
    member = await services.members.get(str(TARGET))
    assert member is not None
    assert (member.name, member.sector, member.title, member.committee) == (
        "李四",
        "农业界",
        "常委",
        "提案委",
    )


async def test_setting_an_existing_member_keeps_other_fields(
    app: App, services: Services, people: None
) -> None:
    event = private_message(set_message("委员 设置 ", MEMBER, " 职务 常委"), user_id=STAFF)
    await say(app, event, "已更新委员 张三：界别：农业界，职务：常委。")
    member = await services.members.get(str(MEMBER))
    assert member is not None
    assert (member.name, member.sector) == ("张三", "农业界")


@pytest.mark.parametrize(
    ("parts", "answer"),
    [
        (("委员",), f"用法：{USAGE}"),
        (("委员 改名",), f"用法：{USAGE}"),
        (("委员 设置 界别 农业界",), f"请 @ 一位要设置的委员。例如：{USAGE}"),
        (
            ("委员 设置 ", TARGET, " ", MEMBER, " 界别 农业界"),
            f"请 @ 一位要设置的委员。例如：{USAGE}",
        ),
        (("委员 设置 ", TARGET), f"要设置什么？例如：{USAGE}"),
        (
            ("委员 设置 ", TARGET, " 年龄 50"),
            f"不认识“年龄”。可以设置：界别、职务、专委会、姓名。例如：{USAGE}",
        ),
        (("委员 设置 ", TARGET, " 界别"), "“界别”后面要写内容，例如：委员 设置 @某人 界别 ……"),
    ],
)
async def test_bad_set_input_says_what_to_type(
    app: App, services: Services, people: None, parts: tuple[str | int, ...], answer: str
) -> None:
    before = await roster(services)
    await say(app, private_message(set_message(*parts), user_id=STAFF), answer)
    assert await roster(services) == before


async def test_unknown_sector_lists_the_sectors(app: App, services: Services, people: None) -> None:
    before = await roster(services)
    names = "、".join(services.sectors.names())
    for message in (
        set_message("委员 设置 ", MEMBER, " 界别 火星界"),
        set_message("委员 列表 火星"),
    ):
        event = private_message(message, user_id=STAFF)
        word = "火星界" if "设置" in message.extract_plain_text() else "火星"
        await say(app, event, f"没有“{word}”这个界别。可用的界别：{names}")
    assert await roster(services) == before


async def test_unknown_sector_in_a_group_asks_nothing_of_the_client(
    app: App, services: Services, people: None
) -> None:
    """The sector is checked before the bot looks the person up (no wasted API call)."""
    await services.channels.bind(str(GROUP), ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    event = group_message(set_message("委员 设置 ", TARGET, " 界别 火星界"), user_id=STAFF)
    names = "、".join(services.sectors.names())
    await say(app, event, f"没有“火星界”这个界别。可用的界别：{names}")
    assert await services.members.get(str(TARGET)) is None


async def test_list_by_sector_and_grouping(app: App, services: Services, people: None) -> None:
    await services.members.register_from_card("20002", "教育界-李四")
    await services.members.register_from_card("20003", "王五")
    await services.members.register_from_card("20004", "农业界-赵六")
    await services.members.update("20004", MemberUpdate(title="常委"))
    await say(
        app,
        private_message("委员 列表", user_id=STAFF),
        "委员名单（共4人）\n【农业界】2人：张三、赵六（常委）\n【教育界】1人：李四\n【界别未设置】1人：王五",
    )
    await say(
        app,
        private_message("委员 列表 农业", user_id=STAFF),
        "委员名单（共2人）\n【农业界】2人：张三、赵六（常委）",
    )
    await say(
        app,
        private_message("委员 列表 体育界", user_id=STAFF),
        "体育界中还没有委员。可以用 python -m bot members import 导入名单。",
    )


async def test_list_with_slash_and_alias(app: App, services: Services, people: None) -> None:
    await say(
        app,
        private_message("/委员 名单", user_id=SUPERUSER),
        "委员名单（共1人）\n【农业界】1人：张三",
    )
