"""The entry of every handled message: re-delivery check and sender identity (see
bot/core/entry.py and bot/core/seen.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.typing import T_State

from bot.core.people.identity import Identity
from bot.core.seen import chat_key
from bot.nb.message import sender_display_name
from bot.nb.runtime import get_services


def event_chat(event: MessageEvent) -> str:
    """The chat a message was posted in (``group:<id>`` or ``private:<user id>``)."""
    group_id = str(event.group_id) if isinstance(event, GroupMessageEvent) else None
    return chat_key(group_id, str(event.user_id))


def admitted(bot: Bot, event: MessageEvent) -> AbstractAsyncContextManager[Identity | None]:
    """``async with admitted(bot, event) as identity``: None for a re-delivery; the message
    counts as seen with the first transaction inside that writes, or when the block ends."""
    return get_services().entry.admitted(
        bot.self_id,
        event_chat(event),
        str(event.message_id),
        str(event.user_id),
        sender_display_name(event),
    )


Work = Callable[[Bot, MessageEvent, T_State, Identity], Awaitable[None]]


def once_admitted(work: Work) -> Callable[[Bot, MessageEvent, T_State], Awaitable[None]]:
    """A matcher handler that runs `work(bot, event, state, identity)` inside
    :func:`admitted`, and does nothing for a re-delivered message."""

    async def handler(bot: Bot, event: MessageEvent, state: T_State) -> None:
        async with admitted(bot, event) as identity:
            if identity is not None:
                await work(bot, event, state, identity)

    return handler
