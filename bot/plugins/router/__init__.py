"""The one matcher that routes chat commands through the command table (bot.nb.registry)."""

from __future__ import annotations

import difflib

from nonebot.adapters.onebot.v11 import Bot, GroupMessageEvent, MessageEvent
from nonebot.typing import T_State

from bot.core.models import ChannelBinding, ChannelKind
from bot.core.people.identity import Identity, Role
from bot.nb.context import CommandContext, send_reply
from bot.nb.entry import once_admitted
from bot.nb.message import (
    leading_text,
    mentioned_ids,
    plain_text,
    reply_message,
)
from bot.nb.meta import plugin_meta
from bot.nb.registry import Command, Where, registry
from bot.nb.rules import on_every_message
from bot.nb.runtime import get_services

__plugin_meta__ = plugin_meta(
    "命令路由",
    "把聊天命令交给对应的功能",
    "发送“帮助”查看全部命令",
)

ROUTE_KEY = "cppcc_route"


async def _route_rule(event: MessageEvent, state: T_State) -> bool:
    message = event.get_message()
    text = leading_text(message)
    matched = registry.match(text)
    if matched is not None:
        state[ROUTE_KEY] = matched
        return True
    stripped = text.strip()
    addressed = event.is_tome() or stripped[:1] in {"/", "／"}
    if addressed and (stripped or not isinstance(event, GroupMessageEvent)):
        state[ROUTE_KEY] = None
        return True
    return False


router = on_every_message(_route_rule, priority=10)  # handled by _route (below)


def place_of(event: MessageEvent, binding: ChannelBinding | None) -> Where:
    if not isinstance(event, GroupMessageEvent):
        return Where.PRIVATE
    if binding is None:
        return Where.UNBOUND_GROUP
    kind = ChannelKind(binding.kind)
    if kind is ChannelKind.STAFF:
        return Where.STAFF_GROUP
    if kind is ChannelKind.UNIT:
        return Where.UNIT_GROUP
    return Where.MEMBER_GROUP


def where_hint(where: Where) -> str:
    places = []
    if Where.PRIVATE in where:
        places.append("私聊机器人")
    if Where.MEMBER_GROUP in where:
        places.append("委员群")
    if Where.STAFF_GROUP in where:
        places.append("机关群")
    if Where.UNIT_GROUP in where:
        places.append("承办单位群")
    return "、".join(places) or "指定的群"


HELP_HINT = "发送“帮助”查看您可以使用的命令。"


def refusal_for_role(command: Command) -> str:
    if command.role is Role.SUPERUSER:
        return f"“{command.name}”只有超级管理员可以使用。{HELP_HINT}"
    if command.role is Role.STAFF:
        return (
            f"“{command.name}”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。{HELP_HINT}"
        )
    if command.role is Role.UNIT_CONTACT:
        return f"“{command.name}”仅限承办单位联系人和机关工作人员使用。{HELP_HINT}"
    return (
        f"您还不在委员名单中，暂时不能使用“{command.name}”。"
        "请在委员群里发言一次（机器人会按群名片登记），或联系机关工作人员登记。"
    )


def unknown_reply(text: str, identity: Identity | None = None) -> str:
    """The "no such command" answer, naming the closest commands the asker may use."""
    word = text.strip().lstrip("/／").split(maxsplit=1)[0] if text.strip().lstrip("/／") else ""
    if not word:
        return "您好，我是政协履职助手。发送“帮助”查看可以做什么。"
    words = [
        c.name
        for topic in registry.topics()
        for c in topic.commands
        if identity is None or identity.has(c.role)
    ]
    close = difflib.get_close_matches(word[:6], words, n=3, cutoff=0.4)
    hint = f"您是不是要用：{'、'.join(close)}？" if close else ""
    return f"没有“{word[:20]}”这个命令。{hint}发送“帮助”查看可用的命令。"


async def _route(bot: Bot, event: MessageEvent, state: T_State, identity: Identity) -> None:
    services = get_services()
    matched: tuple[Command, str] | None = state.get(ROUTE_KEY)
    if matched is None:
        text = unknown_reply(plain_text(event.get_message()), identity)
        await send_reply(bot, event, reply_message(event, text))
        return
    command, rest = matched
    message = event.get_message()
    ctx = await CommandContext.open(
        bot,
        event,
        services,
        identity,
        command,
        args=(rest + plain_text(message)[len(leading_text(message)) :]).strip(),
        mentions=mentioned_ids(message, bot.self_id),
    )
    binding = ctx.binding
    place = place_of(event, binding)
    if place is Where.UNBOUND_GROUP and place not in command.where:
        return  # unbound groups stay silent
    if not identity.has(command.role):
        await ctx.reply(refusal_for_role(command))
        return
    if place not in command.where:
        await ctx.reply(f"“{command.name}”请在{where_hint(command.where)}使用。")
        return
    await ctx.guarded(
        command.handler(ctx),
        failed=f"command {command.name} failed",
        sorry="抱歉，处理这条命令时出错了，已记录。请稍后再试，或联系机关工作人员。",
    )


router.handle()(once_admitted(_route))
