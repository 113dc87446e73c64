"""联名 names only members: staff, unit contacts and people not on the roster are not invited
(they could never confirm), and the proposer is told so in the reply (issue 9 item 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message, MessageSegment
from sqlmodel import select

from bot.core.models import ChannelKind, Cosign
from tests.intake_helpers import FOOD, FOOD_TITLE, outbox_rows, register
from tests.utils import GROUP, SUPERUSER, at, group_message, make_bot, private_message, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

CARD = "农业界-张三"


async def cosigns(services: Services) -> list[Cosign]:
    async with services.db.session() as session:
        return list((await session.exec(select(Cosign).order_by(Cosign.id))).all())


def category(services: Services) -> str:
    assert services.intake.lexicon is not None
    return services.intake.lexicon.classify(FOOD, title=FOOD_TITLE).category


async def test_only_members_are_invited(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await register(services, "20001", "张三")
    await register(services, "20002", "李四")
    await services.members.set_staff("30001", True, display_name="王秘书")
    unit, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "教育局小刘")
    message = Message(
        [MessageSegment.text(f"#提案 {FOOD_TITLE}\n{FOOD}\n联名：")]
        + [
            seg
            for uid in (20002, 30001, 40001, 20066)
            for seg in (at(uid), MessageSegment.text(" "))
        ]
    )
    event = group_message(message, user_id=20001, card=CARD)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        for uid, card in ((40001, "县教育局-刘明"), (20066, "教育界-赵六")):
            ctx.should_call_api(
                "get_group_member_info",
                {"group_id": GROUP, "user_id": uid, "no_cache": False},
                {"card": card, "nickname": "x"},
            )
        ctx.should_call_send(
            event,
            reply_of(
                event,
                f"已登记：提案第1号《{FOOD_TITLE}》\n提出人：张三（农业界）\n"
                "联名：李四（待确认）。已私信邀请，对方发送“附议 1”即确认\n"
                f"类别：{category(services)}（机器人推测，审核时可调整）\n"
                "王秘书是机关工作人员，不是委员，只有委员可以联名，未邀请。\n"
                "刘明是承办单位联系人，不是委员，只有委员可以联名，未邀请。\n"
                "赵六还不在委员名单中，未邀请联名。如其是委员，请其先在委员群里发一句话完成登记"
                "（机器人按群名片登记），登记后回复本消息“附议”即可联名。\n"
                "其他委员可回复本消息“附议”联名；查看进度：查提案 1；审核前可发送“撤回 1”撤回。",
            ),
            result={"message_id": 5003},
        )
    assert [(c.user_id, c.name) for c in await cosigns(services)] == [("20002", "李四")]
    invites = [m.target_id for m in await outbox_rows(services) if m.purpose == "cosign_invite"]
    assert invites == ["20002"]


async def test_an_unknown_person_is_never_shown_as_member(app: App, services: Services) -> None:
    await register(services, "20001", "张三")
    message = Message([MessageSegment.text(f"#提案 {FOOD_TITLE}\n{FOOD}\n联名："), at(20066)])
    event = private_message(message, user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                f"已登记：提案第1号《{FOOD_TITLE}》\n提出人：张三（农业界）\n"
                f"类别：{category(services)}（机器人推测，审核时可调整）\n"
                "QQ尾号0066的用户还不在委员名单中，未邀请联名。如其是委员，请其先在委员群里发一句话"
                "完成登记（机器人按群名片登记）。\n"
                "查看进度：查提案 1；审核前可发送“撤回 1”撤回。\n"
                "（私聊提交的内容不会发到群里。）",
            ),
            result={"message_id": 5004},
        )
    assert await cosigns(services) == []
