"""The OneBot transport under nonebug: the API calls the sender makes, and what failures mean."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import ActionFailed, Bot, Message, MessageSegment, NetworkError
from sqlmodel import select

from bot.core.delivery.outbox import Target, mention_part, text_part
from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.models import ChannelKind, OutboxMessage, OutboxStatus
from tests.utils import GROUP, SELF_ID, SUPERUSER, group_message, make_bot

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services

MEMBER = "20001"
TIMEOUT_1200 = ActionFailed(
    status="failed",
    retcode=1200,
    data=None,
    message="Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg",
    wording="Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg",
)
NOT_IN_GROUP_100 = ActionFailed(
    status="failed", retcode=100, data=None, message="GROUP_NOT_FOUND", wording="群聊不存在"
)


def make_sender(bot: Bot, services: Services) -> OutboxSender:
    """The plugin's sender for a nonebug bot, rate limit off (imported late: a plugin module)."""
    from bot.plugins.outbox import make_sender as plugin_make_sender

    return plugin_make_sender(bot, services, limiter=RateLimiter(0), report_failures=False)


async def drain(sender: OutboxSender) -> None:
    while await sender.step():
        pass
    await sender.close()


async def only_row(services: Services) -> OutboxMessage:
    async with services.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert len(rows) == 1
    return rows[0]


def text(value: str) -> Message:
    return Message(MessageSegment.text(value))


async def test_group_message_with_mention(app: App, services: Services) -> None:
    await services.outbox.enqueue(
        Target.group(str(GROUP)), [mention_part(MEMBER), text_part(" 请及时办理")]
    )
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "send_group_msg",
            {
                "group_id": GROUP,
                "message": MessageSegment.at(MEMBER) + MessageSegment.text(" 请及时办理"),
            },
            {"message_id": 42},
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.sent_message_id) == (OutboxStatus.SENT, "42")


async def test_napcat_timeout_1200_is_resent_once(
    app: App, services: Services, clock: FakeClock
) -> None:
    await services.outbox.enqueue(Target.group(str(GROUP)), "日报")
    call = {"group_id": GROUP, "message": text("日报")}
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        sender = make_sender(bot, services)
        ctx.should_call_api("send_group_msg", call, exception=TIMEOUT_1200)
        await drain(sender)
        row = await only_row(services)
        assert (row.status, row.timeouts) == (OutboxStatus.PENDING, 1)
        assert row.last_error.startswith("发送超时（可能已送达），将重发一次")
        clock.advance(timedelta(seconds=5))
        ctx.should_call_api("send_group_msg", call, exception=TIMEOUT_1200)
        await drain(sender)
        clock.advance(timedelta(hours=1))
        await drain(sender)  # no third call (nonebug fails on an unexpected one)
    row = await only_row(services)
    assert (row.status, row.timeouts) == (OutboxStatus.UNCERTAIN, 2)


async def test_adapter_timeout_is_uncertain_too(
    app: App, services: Services, clock: FakeClock
) -> None:
    await services.outbox.enqueue(Target.group(str(GROUP)), "通知")
    call = {"group_id": GROUP, "message": text("通知")}
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        sender = make_sender(bot, services)
        ctx.should_call_api(
            "send_group_msg", call, exception=NetworkError("WebSocket call api timeout")
        )
        await drain(sender)
        clock.advance(timedelta(seconds=5))
        ctx.should_call_api("send_group_msg", call, {"message_id": 7})
        await drain(sender)
    row = await only_row(services)
    assert (row.status, row.timeouts, row.sent_message_id) == (OutboxStatus.SENT, 1, "7")


async def test_retcode_100_fails_at_once_and_is_reported(app: App, services: Services) -> None:
    await services.channels.bind("900", ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    await services.outbox.enqueue(Target.group(str(GROUP)), "通知")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": GROUP, "message": text("通知")},
            exception=NOT_IN_GROUP_100,
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 1
    assert row.last_error.startswith("机器人不在该群、已被移出或被禁言（retcode=100")
    assert await services.outbox_reports.report() == 1


async def test_forward_message_falls_back_to_plain_text(app: App, services: Services) -> None:
    items = [text_part("【日报】"), text_part("提案第1号"), text_part("提案第2号")]
    await services.outbox.enqueue(Target.group(str(GROUP)), items, as_forward=True)
    nodes = Message(
        MessageSegment.node_custom(int(SELF_ID), "政协履职助手", text(node))
        for node in ("【日报】", "提案第1号", "提案第2号")
    )
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "send_group_forward_msg",
            {"group_id": GROUP, "messages": nodes},
            exception=ActionFailed(status="failed", retcode=1404, message="不支持的Api"),
        )
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": GROUP, "message": text("【日报】\n\n提案第1号\n\n提案第2号")},
            {"message_id": 9},
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert row.status == OutboxStatus.SENT
    assert not row.as_forward


async def test_private_message_to_a_friend(app: App, services: Services) -> None:
    await services.outbox.enqueue(Target.private(MEMBER), "您好")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("get_friend_list", {}, [{"user_id": int(MEMBER), "nickname": "张三"}])
        ctx.should_call_api(
            "send_private_msg", {"user_id": int(MEMBER), "message": text("您好")}, {"message_id": 1}
        )
        await drain(make_sender(bot, services))
    assert (await only_row(services)).status == OutboxStatus.SENT


async def test_non_friend_through_a_group_they_spoke_in(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    services.contacts.forget_cache()
    async with app.test_matcher() as ctx:  # chatter in the bound group is remembered
        bot = make_bot(ctx)
        ctx.receive_event(bot, group_message("大家好", user_id=MEMBER, card="农业界-张三"))
    assert await services.contacts.groups_of(MEMBER) == [str(GROUP)]
    await services.outbox.enqueue(Target.private(MEMBER), "请评价")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("get_friend_list", {}, [])
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "group_id": GROUP, "message": text("请评价")},
            {"message_id": 3},
        )
        await drain(make_sender(bot, services))
    assert (await only_row(services)).status == OutboxStatus.SENT


async def test_non_friend_found_in_a_bound_groups_member_list(app: App, services: Services) -> None:
    await services.channels.bind("801", ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await services.channels.bind("802", ChannelKind.SECTOR, sector="农业界", bound_by=SUPERUSER)
    await services.outbox.enqueue(Target.private(MEMBER), "请评价")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("get_friend_list", {}, [])
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": 801, "user_id": int(MEMBER), "no_cache": False},
            exception=ActionFailed(status="failed", retcode=100, message="不在群"),
        )
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": 802, "user_id": int(MEMBER), "no_cache": False},
            {"user_id": int(MEMBER), "card": "张三"},
        )
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "group_id": 802, "message": text("请评价")},
            {"message_id": 4},
        )
        await drain(make_sender(bot, services))
    assert (await only_row(services)).status == OutboxStatus.SENT
    assert await services.contacts.groups_of(MEMBER) == ["802"]


async def test_stale_friend_list_retries_through_a_group(app: App, services: Services) -> None:
    await services.contacts.record(MEMBER, "803")
    await services.outbox.enqueue(Target.private(MEMBER), "提醒")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("get_friend_list", {}, [{"user_id": int(MEMBER)}])
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "message": text("提醒")},
            exception=ActionFailed(status="failed", retcode=100, message="USER_NOT_FOUND"),
        )
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "group_id": 803, "message": text("提醒")},
            {"message_id": 5},
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


async def test_nobody_reachable_is_failed_with_who(app: App, services: Services) -> None:
    await services.channels.bind("801", ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    await services.outbox.enqueue(Target.private(MEMBER), "提醒")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("get_friend_list", {}, [])
        ctx.should_call_api(
            "get_group_member_info",
            {"group_id": 801, "user_id": int(MEMBER), "no_cache": False},
            exception=ActionFailed(status="failed", retcode=100, message="不在群"),
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "不是机器人的好友，也无法通过所在群的临时会话联系"


async def test_invitation_through_the_group_it_was_posted_in(app: App, services: Services) -> None:
    await services.outbox.enqueue(Target.private(MEMBER, via_group_id=str(GROUP)), "邀请您联名")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "group_id": GROUP, "message": text("邀请您联名")},
            {"message_id": 6},
        )
        await drain(make_sender(bot, services))
    assert (await only_row(services)).status == OutboxStatus.SENT


async def test_failed_invitation_group_falls_back_to_a_friend(app: App, services: Services) -> None:
    await services.outbox.enqueue(Target.private(MEMBER, via_group_id=str(GROUP)), "邀请您联名")
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "group_id": GROUP, "message": text("邀请您联名")},
            exception=ActionFailed(status="failed", retcode=100, message="不在群"),
        )
        ctx.should_call_api("get_friend_list", {}, [{"user_id": int(MEMBER)}])
        ctx.should_call_api(
            "send_private_msg",
            {"user_id": int(MEMBER), "message": text("邀请您联名")},
            {"message_id": 8},
        )
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


async def test_a_call_never_written_waits_untouched_for_the_next_connection(
    app: App, services: Services
) -> None:
    from bot.nb.adapter import FrameNotWritten

    await services.outbox.enqueue(Target.group(str(GROUP)), "通知")
    call = {"group_id": GROUP, "message": text("通知")}
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        sender = make_sender(bot, services)
        ctx.should_call_api("send_group_msg", call, exception=FrameNotWritten("replaced"))
        assert await sender.step()
        assert sender.stopping  # the connection is gone: this sender is done (as run() does)
        await sender.close()
        row = await only_row(services)
        assert (row.status, row.attempts, row.timeouts) == (OutboxStatus.PENDING, 0, 0)
        ctx.should_call_api("send_group_msg", call, {"message_id": 8})
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.sent_message_id) == (OutboxStatus.SENT, "8")


async def test_a_call_lost_with_its_connection_is_resent_once(
    app: App, services: Services, clock: FakeClock
) -> None:
    from bot.nb.adapter import ConnectionLost

    await services.outbox.enqueue(Target.group(str(GROUP)), "通知")
    call = {"group_id": GROUP, "message": text("通知")}
    async with app.test_api() as ctx:
        bot = make_bot(ctx)
        ctx.should_call_api("send_group_msg", call, exception=ConnectionLost("closed"))
        await drain(make_sender(bot, services))
        row = await only_row(services)
        assert (row.status, row.timeouts) == (OutboxStatus.PENDING, 1)
        clock.advance(timedelta(seconds=5))
        ctx.should_call_api("send_group_msg", call, {"message_id": 9})
        await drain(make_sender(bot, services))
    row = await only_row(services)
    assert (row.status, row.timeouts, row.sent_message_id) == (OutboxStatus.SENT, 1, "9")
