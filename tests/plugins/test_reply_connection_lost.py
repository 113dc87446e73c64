"""A reply that never reached the client because its connection closed is not a failed command.

Before, the router took the NetworkError of the reply for an error of the command: it logged a
traceback ("command … failed"), then sent the apology 出错了 on the same closed connection, which
failed again and ended in a second traceback from NoneBot. Found by bench/bench_reliability.py
(hostile inputs: the connection is failed by an invalid UTF-8 text frame while commands are in
flight). Now the reply is given up with one warning, and the message is left unmarked so that
the client's re-delivery after it reconnects is answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind
from bot.nb.adapter import FrameNotWritten
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

STAFF = 30001
LISTING = "委员名单（共1人）\n【农业界】1人：张三"


@pytest.fixture
async def people(services: Services) -> None:
    await services.members.register_from_card("20001", "农业界-张三")
    await services.members.set_staff(str(STAFF), True, display_name="王秘书")
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)


async def test_a_reply_on_a_closed_connection_is_given_up_and_answered_on_redelivery(
    app: App, people: None
) -> None:
    event = private_message("委员 列表", user_id=STAFF, message_id=616161)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event, reply_of(event, LISTING), exception=FrameNotWritten("connection closed")
        )
        # and nothing more: no apology on a connection that is gone
    # the client reconnects and delivers the message again: answered this time
    await say(app, private_message("委员 列表", user_id=STAFF, message_id=616161), LISTING)


async def test_the_unknown_command_answer_on_a_closed_connection_is_given_up(
    app: App, people: None
) -> None:
    event = group_message("委员们好", user_id=STAFF, message_id=616162, to_me=True)
    answer = "没有“委员们好”这个命令。您是不是要用：委员？发送“帮助”查看可用的命令。"
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event, reply_of(event, answer), exception=FrameNotWritten("connection closed")
        )
    await say(app, group_message("委员们好", user_id=STAFF, message_id=616162, to_me=True), answer)
