"""附议: by number, by replying to the post or the bot's confirmation; invitations; refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import ChannelKind, CosignStatus
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    LIFT,
    LIFT_TITLE,
    cosign_line,
    post,
    register,
    submit,
)
from tests.utils import (
    GROUP,
    SUPERUSER,
    group_message,
    make_bot,
    private_message,
    reply_of,
    reply_to,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def bind(services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)


async def test_cosign_by_number_and_again(app: App, services: Services) -> None:
    await bind(services)
    zhang = await register(services, "20001", "张三")
    await submit(services, zhang, LIFT_TITLE, LIFT)
    first = group_message("附议 1", user_id=20002, card="农业界-李四")
    again = group_message("附议 第1号", user_id=20002, card="农业界-李四")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, first)
        ctx.should_call_send(
            first,
            reply_of(first, f"已附议提案第1号《{LIFT_TITLE}》，您已列为联名人，目前联名1人。"),
            result={"message_id": 1},
        )
        ctx.receive_event(bot, again)
        ctx.should_call_send(
            again,
            reply_of(
                again, f"您已附议过提案第1号《{LIFT_TITLE}》，已计入（目前联名1人），无需重复。"
            ),
            result={"message_id": 2},
        )


async def test_reply_to_confirmation_or_post(app: App, services: Services) -> None:
    await bind(services)
    zhang = await register(services, "20001", "张三")
    record = await submit(services, zhang, LIFT_TITLE, LIFT)
    await services.intake.remember_confirmation(record, 5001)
    by_confirmation = group_message(
        "附议",
        user_id=20002,
        card="农业界-李四",
        reply=reply_to(5001, "已登记：提案第1号"),
        to_me=True,
    )
    by_post = group_message(
        "附议，赞同",
        user_id=20003,
        card="教育界-王五",
        reply=reply_to(int(record.source_message_id or 0), f"#提案 {LIFT_TITLE}", user_id=20001),
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, by_confirmation)
        ctx.should_call_send(
            by_confirmation,
            reply_of(
                by_confirmation, f"已附议提案第1号《{LIFT_TITLE}》，您已列为联名人，目前联名1人。"
            ),
            result={"message_id": 1},
        )
        ctx.receive_event(bot, by_post)
        ctx.should_call_send(
            by_post,
            reply_of(by_post, f"已附议提案第1号《{LIFT_TITLE}》，您已列为联名人，目前联名2人。"),
            result={"message_id": 2},
        )
    cosigns = await services.cosigns.for_record(record.id or 0)
    assert [c.user_id for c in cosigns] == ["20002", "20003"]


async def test_reply_to_an_unrelated_message(app: App, services: Services) -> None:
    await bind(services)
    await register(services, "20002", "李四")
    event = group_message(
        "附议", user_id=20002, card="农业界-李四", reply=reply_to(4242, "随便聊聊")
    )
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "没有找到被回复的消息对应的提案、社情民意或议题。请发送“附议 17”，或回复机器人的登记消息。",
            ),
            result={"message_id": 1},
        )


async def test_invited_cosigner_confirms_privately(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    await register(services, "20002", "李四")
    from bot.core.intake.results import Source

    result = await services.intake.submit(
        post(FOOD_TITLE, FOOD, "#社情民意") + cosign_line(("20002", "李四")),
        identity=zhang,
        source=Source.group(str(GROUP), "1"),
    )
    event = private_message("附议 民意 1", user_id=20002)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(event, f"已确认联名社情民意信息第1号《{FOOD_TITLE}》，目前联名1人。"),
            result={"message_id": 1},
        )
    [cosign] = await services.cosigns.for_record(result.record.id or 0)
    assert cosign.status == CosignStatus.CONFIRMED
    assert cosign.invited


async def test_topic_support(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    await register(services, "20002", "李四")
    await submit(services, zhang, "关于推进城乡供水一体化的协商议题", "", "#议题")
    event = private_message("附议 议题 1", user_id=20002)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "已记录您对议题第1号《关于推进城乡供水一体化的协商议题》的支持，目前支持1人。",
            ),
            result={"message_id": 1},
        )


async def test_refusals(app: App, services: Services) -> None:
    await bind(services)
    zhang = await register(services, "20001", "张三")
    await submit(services, zhang, LIFT_TITLE, LIFT)
    cases = [
        (
            group_message("附议 1", user_id=20001, card="农业界-张三"),
            "您是提案第1号的提出人，不需要附议。发送“查提案 1”可查看联名情况。",
        ),
        (
            group_message("附议", user_id=20001, card="农业界-张三"),
            "请写编号，例如：附议 17（社情民意写“民意 5”，议题写“议题 3”）",
        ),
        (
            private_message("附议 1", user_id=29999),
            "您还不在委员名单中，暂时不能使用“附议”。请在委员群里发言一次（机器人会按群名片登记），"
            "或联系机关工作人员登记。",
        ),
    ]
    for event, answer in cases:
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})
