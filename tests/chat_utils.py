"""Talking to the bot in nonebug tests: send one message, expect one quoted reply."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nonebot.adapters.onebot.v11 import GroupMessageEvent, PrivateMessageEvent
from nonebug import App

from tests.utils import make_bot, next_message_id, reply_of


async def say(app: App, event: GroupMessageEvent | PrivateMessageEvent, expected: str) -> None:
    """Deliver `event`; the bot must answer it, quoting it, with exactly `expected`."""
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event, reply_of(event, expected), result={"message_id": next_message_id()}
        )


def local_morning(day: date) -> datetime:
    """10:00 in Asia/Shanghai on `day`."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
