"""Clean an incoming OneBot message event in place (see bot.core.cleaning), once, at the gate.

Every string a command or a post can read is cleaned: each segment's data (text, an @'s name,
file names), the raw message, the sender's card and nickname, and the quoted message.
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Message, MessageEvent
from nonebot.adapters.onebot.v11.event import Reply, Sender

from bot.core.cleaning import clean_text


def _clean_message(message: Message) -> None:
    for segment in message:
        data = segment.data
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = clean_text(value)


def _clean_sender(sender: Sender) -> None:
    for field in ("nickname", "card", "area", "title"):
        value = getattr(sender, field, None)
        if isinstance(value, str):
            setattr(sender, field, clean_text(value))


def _clean_reply(reply: Reply | None) -> None:
    if reply is None:
        return
    _clean_message(reply.message)
    _clean_sender(reply.sender)


def clean_event(event: MessageEvent) -> None:
    """Replace lone surrogates, drop zero-width and control characters, unify line breaks."""
    _clean_message(event.message)
    if event.original_message is not event.message:
        _clean_message(event.original_message)
    event.raw_message = clean_text(event.raw_message)
    _clean_sender(event.sender)
    _clean_reply(event.reply)
