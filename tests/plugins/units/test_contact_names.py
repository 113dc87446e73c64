"""A unit contact added by QQ number is shown by name (issue 9, item 13).

Before, `单位 添加 县民政局 3301000006` in the staff group looked the number up only in the roster
and in the staff group itself (where the contact is not), and stored and showed `3301000006`.
The suite's only case typed the number privately and asserted the bare number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import ActionFailed

from tests.utils import (
    STAFF_GROUP,
    UNIT_GROUP,
    group_message,
    make_bot,
    next_message_id,
    private_message,
    reply_of,
    say,
)
from tests.workflow_utils import STAFF

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.models import Unit
    from bot.core.services import Services

CONTACT = "3301000006"


def _member_info(group_id: int, card: str | None) -> dict:  # type: ignore[type-arg]
    """The expectation of one get_group_member_info call: the card, or not in that group."""
    call = {
        "api": "get_group_member_info",
        "data": {"group_id": group_id, "user_id": int(CONTACT), "no_cache": False},
    }
    if card is None:
        return {**call, "result": None, "exception": ActionFailed(retcode=100)}
    return {**call, "result": {"card": card, "nickname": "微信昵称"}, "exception": None}


async def add_by_number(app: App, lookups: list[dict], expected: str) -> None:  # type: ignore[type-arg]
    event = group_message(
        f"单位 添加 县退役军人事务局 {CONTACT}", user_id=STAFF, group_id=STAFF_GROUP
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        for call in lookups:
            ctx.should_call_api(
                call["api"], call["data"], call["result"], exception=call["exception"]
            )
        ctx.should_call_send(
            event, reply_of(event, expected), result={"message_id": next_message_id()}
        )


async def test_the_name_comes_from_the_card_in_the_unit_group(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_by_number(
        app,
        [_member_info(STAFF_GROUP, None), _member_info(UNIT_GROUP, "县退役军人事务局-王五")],
        "已添加承办单位：县退役军人事务局。已设 王五 为县退役军人事务局的联系人，并已私信告知。",
    )
    await say(
        app,
        group_message("单位 联系人 县退役军人事务局", user_id=STAFF, group_id=STAFF_GROUP),
        "县退役军人事务局的联系人：王五。",
    )


async def test_unknown_name_is_said_so_and_learnt_when_they_speak(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_by_number(
        app,
        [_member_info(STAFF_GROUP, None), _member_info(UNIT_GROUP, None)],
        f"已添加承办单位：县退役军人事务局。已设 未登记姓名（QQ {CONTACT}） 为县退役军人事务局的联系人，并已私信告知。",
    )
    await say(
        app,
        group_message("单位 列表", user_id=STAFF, group_id=STAFF_GROUP),
        "承办单位（共4个）：\n· 县住建局：（未设联系人）\n· 县教育局：联系人 教育局小刘\n"
        "· 县财政局：联系人 财政局小陈\n"
        f"· 县退役军人事务局：联系人 未登记姓名（QQ {CONTACT}）",
    )
    # the contact joins the unit group and says something: their card names them
    chatter = group_message(
        "收到", user_id=CONTACT, group_id=UNIT_GROUP, card="退役军人事务局－王五"
    )
    async with app.test_matcher() as ctx:
        ctx.receive_event(make_bot(ctx), chatter)
    await say(
        app,
        group_message("单位 联系人 县退役军人事务局", user_id=STAFF, group_id=STAFF_GROUP),
        "县退役军人事务局的联系人：王五。",
    )


async def test_a_private_message_names_them_when_no_card_did(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    unit, _ = await services.units.add("县退役军人事务局")
    await services.units.set_contact(unit, CONTACT, "")
    await say(
        app,
        private_message("你好", user_id=CONTACT, nickname="王五"),
        "没有“你好”这个命令。发送“帮助”查看可用的命令。",
    )
    (contact,) = await services.units.contacts(unit.id or 0)
    assert contact.name == "王五"
