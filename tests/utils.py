"""Fake OneBot V11 events for nonebug tests."""

from __future__ import annotations

import itertools
import time

from nonebot.adapters.onebot.v11 import (
    GroupMessageEvent,
    Message,
    MessageSegment,
    PrivateMessageEvent,
)
from nonebot.adapters.onebot.v11.event import Reply, Sender

SELF_ID = "10000"
SUPERUSER = "10001"
GROUP = 900001

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
