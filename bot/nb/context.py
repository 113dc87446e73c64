"""What a command handler gets: who asks, where, the arguments, and how to answer."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from nonebot.adapters.onebot.v11 import (
    ActionFailed,
    Bot,
    GroupMessageEvent,
    Message,
    MessageEvent,
    NetworkError,
)
from nonebot.log import logger

from bot.core import seen
from bot.core.errors import DomainError
from bot.core.models import ChannelBinding
from bot.core.people.identity import Identity
from bot.core.services import Services
from bot.nb.message import reply_message, split_long_text
from bot.nb.registry import Command


@dataclass
class CommandContext:
    bot: Bot
    event: MessageEvent
    services: Services
    identity: Identity
    binding: ChannelBinding | None
    command: Command
    args: str = ""
    mentions: list[str] = field(default_factory=list)
    sent_ids: list[int] = field(default_factory=list)

    @classmethod
    async def open(
        cls,
        bot: Bot,
        event: MessageEvent,
        services: Services,
        identity: Identity,
        command: Command,
        **fields: Any,
    ) -> CommandContext:
        """The context of `command` in `event`'s chat (the group's binding looked up)."""
        group = isinstance(event, GroupMessageEvent)
        binding = await services.channels.get(str(event.group_id)) if group else None
        return cls(bot, event, services, identity, binding, command, **fields)

    async def guarded(self, work: Awaitable[None], *, failed: str, sorry: str) -> None:
        """Run a handler's `work`: a domain error is answered with its message; anything
        unexpected is logged (`failed`), leaves the message unseen (a re-delivery may try
        again) and is answered with `sorry`."""
        try:
            await work
        except DomainError as exc:
            await self.reply(exc.message)
        except seen.AlreadySeen:
            raise  # another delivery of this message won: say nothing (bot/core/seen.py)
        except Exception:
            logger.exception(failed)
            seen.abandon()  # nothing it caused was committed
            await self.reply(sorry)

    @property
    def words(self) -> list[str]:
        return self.args.split()

    def action(self, default: str = "") -> tuple[str, list[str]]:
        """The first word (a sub-command such as 设置 or 列表; `default` when there is none)
        and the words after it."""
        words = self.words
        return (words[0], words[1:]) if words else (default, [])

    @property
    def is_private(self) -> bool:
        return not isinstance(self.event, GroupMessageEvent)

    @property
    def group_id(self) -> str | None:
        return str(self.event.group_id) if isinstance(self.event, GroupMessageEvent) else None

    @property
    def user_id(self) -> str:
        return str(self.event.user_id)

    @property
    def source(self) -> str:
        """Where the command came from, for the timeline: `group:123` or `private`."""
        return f"group:{self.group_id}" if self.group_id else "private"

    async def reply(self, text: str) -> int | None:
        """Answer quoting the command; long answers are split on line boundaries."""
        first_id: int | None = None
        for index, part in enumerate(split_long_text(text)):
            message = reply_message(self.event, part) if index == 0 else part
            sent, result = await send_reply(self.bot, self.event, message)
            if not sent:
                return first_id
            message_id = _message_id(result)
            if message_id is not None:
                self.sent_ids.append(message_id)
                first_id = first_id if first_id is not None else message_id
        return first_id

    async def display_name(self, user_id: str) -> str:
        """A person's name: the roster first, then their group card."""
        member = await self.services.members.get(user_id)
        if member is not None:
            return member.name
        if self.group_id:
            try:
                info = await self.bot.get_group_member_info(
                    group_id=int(self.group_id), user_id=int(user_id), no_cache=False
                )
                return str(info.get("card") or info.get("nickname") or user_id)
            except (ActionFailed, ValueError):
                pass
        return user_id


async def send_reply(bot: Bot, event: MessageEvent, message: str | Message) -> tuple[bool, Any]:
    """Send one answer to `event`: (False, None) when its connection is gone, so that nothing
    more is sent on it; (True, the call's result or None when the client refused it) else.

    A connection that closed (or was replaced) while the answer was on its way is no error of
    the command: the answer is given up with one warning, and the message is left unmarked
    (``seen.abandon``: unless what it caused is committed) so that the client's re-delivery
    after it reconnects is answered."""
    try:
        return True, await bot.send(event, message)
    except ActionFailed as exc:
        logger.warning(f"reply failed: {exc}")
        return True, None
    except NetworkError as exc:
        logger.warning(f"reply not sent, the connection is gone: {exc}")
        seen.abandon()
        return False, None


def _message_id(result: object) -> int | None:
    if isinstance(result, dict) and result.get("message_id") is not None:
        try:
            return int(result["message_id"])
        except (TypeError, ValueError):
            return None
    return None
