"""The gate every message passes: its text is cleaned (bot.nb.cleaning: lone surrogates,
zero-width characters, line separators), unbound groups are ignored, new faces are put on
the roster, and the group a member speaks in is remembered as a route to them (temporary
sessions, bot/core/delivery/routes.py).

The bot's only event preprocessor, called directly (bot/nb/rules.py): NoneBot runs each
preprocessor as a dependent (task groups for its parameters) on every message, which costs
every chatter message (docs/PERFORMANCE.md)."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import (
    Bot,
    GroupMessageEvent,
    MessageEvent,
    PrivateMessageEvent,
)
from nonebot.exception import IgnoredException
from nonebot.log import logger

from bot.core.models import ChannelKind
from bot.nb.cleaning import clean_event
from bot.nb.message import leading_text
from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.nb.rules import message_preprocessor
from bot.nb.runtime import get_services, has_services

__plugin_meta__ = plugin_meta(
    "入口",
    "清理收到的文字；未绑定的群不作回应；绑定群里的新成员按群名片登记；"
    "未登记姓名的单位联系人发言时记下姓名",
    "（无命令）",
)

# (sender, group, what the group is bound as) already seen, so chatter costs no database query;
# rebinding a group (e.g. to a sector group) makes its senders be looked at again.
_known: set[tuple[str, str, str]] = set()

BINDING_COMMAND = "本群"


def forget_known() -> None:
    _known.clear()


@message_preprocessor
async def gate(bot: Bot, event: MessageEvent) -> None:
    # One place every incoming text passes: clean it before any rule or command reads it.
    clean_event(event)
    if isinstance(event, PrivateMessageEvent):
        await learn_from_private(event)  # after cleaning (preprocessors run concurrently)
    if not isinstance(event, GroupMessageEvent):
        return
    if not has_services():
        raise IgnoredException("services not started")
    services = get_services()
    group_id = str(event.group_id)
    binding = await services.channels.get(group_id)
    user_id = str(event.user_id)
    if binding is None:
        if user_id in services.members.superusers:
            matched = registry.match(leading_text(event.get_message()))
            if matched is not None and matched[0].name == BINDING_COMMAND:
                return
        raise IgnoredException("unbound group")
    if user_id != bot.self_id and not services.contacts.knows(user_id, group_id):
        await _remember_route(user_id, group_id)
    known_key = (user_id, group_id, f"{binding.kind}:{binding.sector or ''}")
    if user_id in services.units.awaiting_name:  # a unit contact whose name nobody knows yet
        await _learn_contact_name(user_id, event.sender.card or event.sender.nickname or "")
    if known_key in _known or user_id == bot.self_id:
        return
    # Superusers come from configuration: speaking in a members' group does not make them 委员.
    if binding.kind in (ChannelKind.WHOLE, ChannelKind.SECTOR) and (
        user_id not in services.members.superusers
    ):
        sender = event.sender
        try:
            member, created = await services.members.register_from_card(
                user_id,
                sender.card or "",
                sender.nickname or "",
                sector_hint=binding.sector if binding.kind == ChannelKind.SECTOR else None,
            )
        except Exception:
            # The message itself must still be handled; registration is tried again next time.
            logger.exception(f"registering {user_id} from group card failed")
            return
        if created:
            logger.info(f"registered {member.name} ({member.sector or '界别未知'}) from group card")
    _known.add(known_key)


async def _remember_route(user_id: str, group_id: str) -> None:
    """The sender is in this bound group: a route for temporary sessions."""
    try:
        await get_services().contacts.record(user_id, group_id)
    except Exception:
        logger.exception("remembering a member's group failed")


async def learn_from_private(event: PrivateMessageEvent) -> None:
    """A unit contact whose name nobody knew speaks privately: their nickname is better than a
    number (only those contacts are looked at: UnitService.awaiting_name)."""
    if has_services() and str(event.user_id) in get_services().units.awaiting_name:
        await _learn_contact_name(str(event.user_id), event.sender.nickname or "")


async def _learn_contact_name(user_id: str, card: str) -> None:
    """Name the person's unit-contact rows that have no name yet (see bot/plugins/units)."""
    if not card.strip():
        return
    services = get_services()
    try:
        if await services.units.learn_name(user_id, card=card, sectors=services.sectors):
            logger.info(f"learnt the name of unit contact {user_id} from their card")
    except Exception:
        logger.exception(f"learning the name of {user_id} failed")
