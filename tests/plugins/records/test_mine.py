"""我的: my records, co-signed ones, invitations, answers awaiting evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.intake.results import Source
from bot.core.models import Answer, ChannelKind
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    cosign_line,
    post,
    register,
    submit,
)
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_mine_privately_shows_everything(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    own = await submit(services, zhang, LIFT_TITLE, LIFT, private=True)
    await services.intake.submit(
        post(FOOD_TITLE, FOOD) + cosign_line(("20001", "张三")),
        identity=li,
        source=Source.group(str(GROUP), "1"),
    )
    joined = await submit(services, li, SEWAGE_TITLE, SEWAGE)
    await services.cosigns.cosign(joined, zhang, source="private")
    async with services.db.session() as session:
        session.add(Answer(record_id=own.id or 0, round=1, category="A", content="已解决"))
        await session.commit()
    event = private_message("我的", user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "我提交的：\n"
                f"· 提案第1号《{LIFT_TITLE}》已提交\n"
                "我附议的：\n"
                f"· 提案第3号《{SEWAGE_TITLE}》已提交\n"
                "待我确认的联名邀请：\n"
                f"· 提案第2号《{FOOD_TITLE}》（李四邀请），同意请发送“附议 2”\n"
                "待我评价的答复：\n"
                f"· 提案第1号《{LIFT_TITLE}》已答复（A类），请发送“评价 1 满意｜基本满意｜不满意 [意见]”",
            ),
            result={"message_id": 1},
        )


async def test_mine_in_a_group_hides_private_titles(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    await submit(services, zhang, LIFT_TITLE, LIFT, private=True)
    await submit(services, zhang, SEWAGE_TITLE, SEWAGE)
    event = group_message("我的", user_id=20001, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                f"我提交的：\n· 提案第2号《{SEWAGE_TITLE}》已提交\n"
                "另有1件私聊提交的不在群里显示，请私聊机器人发送“我的”查看。",
            ),
            result={"message_id": 1},
        )


async def test_mine_when_empty_and_for_guests(app: App, services: Services) -> None:
    await register(services, "20001", "张三")
    cases = [
        (
            private_message("我的", user_id=20001),
            "您还没有提交或附议过提案、社情民意、议题，也没有待办事项。发送“帮助 提案”查看怎么提交。",
        ),
        (
            private_message("我的", user_id=29999),
            "您还不在委员名单中，暂时不能使用“我的”。请在委员群里发言一次（机器人会按群名片登记），"
            "或联系机关工作人员登记。",
        ),
    ]
    for event, answer in cases:
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})
