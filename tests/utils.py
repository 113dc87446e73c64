"""The tests' shared helpers: the ids everyone uses, fake OneBot V11 events, and THE
expect-reply helper (:func:`say`) for talking to the bot through nonebug.

Domain data lives next to it: tests/intake_helpers.py (realistic posts), tests/workflow_utils.py
(people, units, records), tests/core/schedule_data.py (digests, reminders); databases in
tests/dbutil.py. Fixtures live in the conftest of their area (tests/conftest.py for all).
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import (
    GroupMessageEvent,
    Message,
    MessageEvent,
    MessageSegment,
    PrivateMessageEvent,
)
from nonebot.adapters.onebot.v11.event import Reply, Sender

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.models import OutboxMessage
    from bot.core.services import Services

# ---------------------------------------------------------------------- shared ids

SELF_ID = "10000"  # the bot's account
SUPERUSER = "10001"
#: Groups, as OneBot events carry them (ints; the services take ``str(GROUP)``).
GROUP = 900001  # the members' (whole-body) group
MEMBER_GROUP = GROUP
STAFF_GROUP = 900002
UNIT_GROUP = 900003
#: The same groups as the services take them (strings).
GROUP_ID, STAFF_GROUP_ID, UNIT_GROUP_ID = str(GROUP), str(STAFF_GROUP), str(UNIT_GROUP)
#: People in chat tests (ints, as in events). The service-level tests' people (strings, with
#: names and units) are in tests/workflow_utils.py.
MEMBER = 20001
STAFF = 30001
GUEST = 29999  # on nobody's roster
#: Another local zone (BOT_TIMEZONE) for the tests that run there (fixture `chicago`).
CHICAGO = "America/Chicago"

# ---------------------------------------------------------------------- events

_ids = itertools.count(1000)


def next_message_id() -> int:
    return next(_ids)


def _message(message: str | Message | MessageSegment) -> Message:
    if isinstance(message, Message):
        return message
    if isinstance(message, MessageSegment):
        return Message(message)
    return Message(MessageSegment.text(message))


def group_message(
    message: str | Message | MessageSegment,
    *,
    user_id: int | str = 20001,
    group_id: int = GROUP,
    card: str = "",
    nickname: str = "",
    message_id: int | None = None,
    to_me: bool = False,
    reply: Reply | None = None,
    role: str = "member",
) -> GroupMessageEvent:
    msg = _message(message)
    return GroupMessageEvent(
        time=int(time.time()),
        self_id=int(SELF_ID),
        post_type="message",
        sub_type="normal",
        user_id=int(user_id),
        message_type="group",
        group_id=group_id,
        message_id=message_id if message_id is not None else next_message_id(),
        message=msg,
        original_message=msg,
        raw_message=str(msg),
        font=0,
        sender=Sender(
            user_id=int(user_id), nickname=nickname or f"用户{user_id}", card=card, role=role
        ),
        to_me=to_me,
        reply=reply,
    )


def private_message(
    message: str | Message | MessageSegment,
    *,
    user_id: int | str = 20001,
    nickname: str = "",
    message_id: int | None = None,
    reply: Reply | None = None,
) -> PrivateMessageEvent:
    msg = _message(message)
    return PrivateMessageEvent(
        time=int(time.time()),
        self_id=int(SELF_ID),
        post_type="message",
        sub_type="friend",
        user_id=int(user_id),
        message_type="private",
        message_id=message_id if message_id is not None else next_message_id(),
        message=msg,
        original_message=msg,
        raw_message=str(msg),
        font=0,
        sender=Sender(user_id=int(user_id), nickname=nickname or f"用户{user_id}"),
        to_me=True,
        reply=reply,
    )


def reply_to(message_id: int, text: str, *, user_id: int | str = SELF_ID) -> Reply:
    """The `event.reply` the adapter would build for a quoted message."""
    return Reply(
        time=int(time.time()),
        message_type="group",
        message_id=message_id,
        real_id=message_id,
        sender=Sender(user_id=int(user_id), nickname="政协履职助手"),
        message=Message(MessageSegment.text(text)),
    )


def at(user_id: int | str) -> MessageSegment:
    return MessageSegment.at(user_id)


def text(value: str) -> MessageSegment:
    return MessageSegment.text(value)


def reply_of(event: GroupMessageEvent | PrivateMessageEvent, text_: str) -> Message:
    """What the bot sends when it answers `event` with `text_` (quote + text)."""
    return MessageSegment.reply(event.message_id) + MessageSegment.text(text_)


def make_bot(ctx):  # type: ignore[no-untyped-def]
    """A OneBot V11 bot in a nonebug context."""
    from nonebot.adapters.onebot.v11 import Bot

    return ctx.create_bot(base=Bot, self_id=SELF_ID)


def local_morning(day: date) -> datetime:
    """10:00 in Asia/Shanghai on `day` (02:00 UTC)."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


# ---------------------------------------------------------------------- talking to the bot


class ReplyTo:
    """Equals any message that quotes `event` (and, with `starts_with`, whose text starts
    so); keeps the text it saw (``.text``)."""

    def __init__(self, event: MessageEvent, starts_with: str = "") -> None:
        self.event = event
        self.starts_with = starts_with
        self.text = ""

    def __eq__(self, other: object) -> bool:
        message = Message(other)  # type: ignore[arg-type]
        if not message or message[0].type != "reply":
            return False
        if str(message[0].data.get("id")) != str(self.event.message_id):
            return False
        text_ = message.extract_plain_text()
        if not text_.startswith(self.starts_with):
            return False
        self.text = text_
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


async def say(app: App, event: MessageEvent, expected: str | ReplyTo | None = None) -> str:
    """Deliver `event`: the bot must answer it once, quoting it, with exactly `expected` (a
    text), or as a :class:`ReplyTo` matcher says, or (None) with anything. Returns the text."""
    reply = ReplyTo(event) if expected is None else expected
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        message = reply_of(event, reply) if isinstance(reply, str) else reply
        ctx.should_call_send(event, message, result={"message_id": next_message_id()})
    return reply if isinstance(reply, str) else reply.text


async def expect_silence(app: App, event: MessageEvent) -> None:
    """Deliver `event`: the bot says nothing (any send fails the test)."""
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)


# ---------------------------------------------------------------------- what the bot queued


async def outbox_rows(services: Services, purpose: str | None = None) -> list[OutboxMessage]:
    """Every message in the outbox (of one `purpose`, if given), oldest first."""
    from sqlmodel import col, select

    from bot.core.models import OutboxMessage

    async with services.db.session() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if purpose is not None:
            query = query.where(OutboxMessage.purpose == purpose)
        return list((await session.exec(query)).all())


def outbox_text(message: OutboxMessage) -> str:
    """The text parts of a queued message, joined (mentions left out)."""
    return "".join(p.get("text", "") for p in message.parts if p.get("type") == "text")
