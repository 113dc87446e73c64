"""单位: add units (with contacts), list, set and remove contacts; similar names need 确认."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import ActionFailed, Message

from tests.utils import (
    UNIT_GROUP,
    at,
    group_message,
    make_bot,
    next_message_id,
    private_message,
    reply_of,
    say,
    text,
)
from tests.workflow_utils import EDU_CONTACT, STAFF, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.models import Unit
    from bot.core.services import Services

NEW_CONTACT = "40005"


async def test_add_unit_with_contact_in_unit_group(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    event = group_message(
        Message([text("单位 添加 县水利局 "), at(NEW_CONTACT)]), user_id=STAFF, group_id=UNIT_GROUP
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": UNIT_GROUP, "user_id": int(NEW_CONTACT), "no_cache": False},
            {"card": "水利局小吴", "nickname": "吴"},
        )
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "已添加承办单位：县水利局。已设 水利局小吴 为县水利局的联系人，并已私信告知。",
            ),
            result={"message_id": next_message_id()},
        )
    unit = await services.units.resolve("县水利局")
    assert [c.user_id for c in await services.units.contacts(unit.id or 0)] == [NEW_CONTACT]
    (told,) = await private_texts(services, NEW_CONTACT)
    assert told.startswith("您已被设为县水利局的承办单位联系人。")
    identity = await services.members.identify(NEW_CONTACT)
    assert identity.unit_ids == {unit.id}


async def test_similar_name_needs_confirmation(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await say(
        app,
        private_message("单位 添加 县教育和体育局", user_id=STAFF),
        "已有相近的单位：县教育局。如果是同一个单位，请直接使用已有名称；"
        "如确是另一个单位，请发送：单位 添加 县教育和体育局 确认",
    )
    await say(
        app,
        private_message("单位 添加 县教育和体育局 确认", user_id=STAFF),
        "已添加承办单位：县教育和体育局。设置联系人：单位 联系人 县教育和体育局 @某人",
    )
    await say(
        app,
        private_message("单位 添加 县教育局", user_id=STAFF),
        "承办单位“县教育局”已存在。",
    )


async def test_contacts_by_qq_number_privately(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await services.members.set_staff("30002", True, display_name="李秘书")
    # nobody knows the name (not in the unit group either): said so, not a bare number (9.13)
    unnamed = f"未登记姓名（QQ {NEW_CONTACT}）"
    event = private_message(f"单位 联系人 县住建局 {NEW_CONTACT}", user_id=STAFF)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": UNIT_GROUP, "user_id": int(NEW_CONTACT), "no_cache": False},
            None,
            exception=ActionFailed(retcode=100),
        )
        ctx.should_call_send(
            event,
            reply_of(event, f"已设 {unnamed} 为县住建局的联系人，并已私信告知。"),
            result={"message_id": next_message_id()},
        )
    await say(
        app,
        private_message("单位 联系人 县住建局", user_id=STAFF),
        f"县住建局的联系人：{unnamed}。",
    )
    await say(
        app,
        private_message(f"单位 联系人 县住建局 移除 {NEW_CONTACT}", user_id=STAFF),
        f"已将 {unnamed} 移出县住建局的联系人。",
    )
    await say(
        app,
        private_message("单位 联系人 县住建局", user_id=STAFF),
        "县住建局还没有联系人。设置：单位 联系人 县住建局 @某人",
    )
    await say(
        app,
        private_message(f"单位 联系人 县教育局 {EDU_CONTACT}", user_id=STAFF),
        "教育局小刘 原本就是县教育局的联系人。",
    )


async def test_unknown_unit_gets_did_you_mean(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await say(
        app,
        private_message("单位 联系人 住建局 12345", user_id=STAFF),
        "没有“住建局”这个单位。您是不是要找：县住建局？如确是新单位，请先发送：单位 添加 住建局",
    )


async def test_unit_usage(app: App, services: Services, units: dict[str, Unit]) -> None:
    await say(
        app,
        private_message("单位 删除 县教育局", user_id=STAFF),
        "不认识“删除”。用法：单位 添加 县教育局 [@联系人]；单位 列表；单位 联系人 县教育局 @某人；"
        "单位 联系人 县教育局 移除 @某人",
    )
    await say(
        app,
        private_message("单位 添加", user_id=STAFF),
        "请写一个单位名称（名称中不要有空格）。例如：单位 添加 县教育局 @联系人",
    )
