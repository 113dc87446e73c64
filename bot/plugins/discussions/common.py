"""Helpers shared by the discussion commands."""

from __future__ import annotations

from bot.core.discussions.common import parse_number
from bot.nb.context import CommandContext
from bot.nb.registry import registry

#: The 讨论组 commands anyone may send anywhere (the services check who may do what).
DISCUSSIONS = registry.section("讨论组")


def number_or_none(ctx: CommandContext) -> int | None:
    """The D number the command names (``加入 D3``), None when it names none."""
    words = ctx.words
    return parse_number(words[0]) if words else None


async def needs_number(ctx: CommandContext, usage: str) -> int | None:
    """The D number, or None after a hint (privately) / silence (in a group: chatter such as
    “退出 群聊” is not a command)."""
    number = number_or_none(ctx)
    if number is None and ctx.is_private:
        await ctx.reply(f"请写讨论编号，例如：{usage}。发送“讨论”查看您参加的讨论。")
    return number


def only_in_topic(_ctx: CommandContext) -> bool:
    """Left out of the 帮助 overview (it is one message long): ``帮助 讨论组`` lists it."""
    return False
