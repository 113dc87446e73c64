"""A unit contact's name, when staff add them by QQ number or by @ in a group they are not in.

Looked up in order: the roster, the person's other contact rows, their group card in the chat
where the command was given, in the bound unit groups (承办单位群) and in the bound groups they
were seen in. A card like `县民政局-王五` gives `王五`. When nobody knows the name, it is stored
empty (shown as `未登记姓名（QQ …）`) and learnt when the person speaks (bot/plugins/gate).
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import ActionFailed, Bot

from bot.core.models import ChannelKind
from bot.core.services import Services
from bot.nb.context import CommandContext

#: Groups asked for a card, at most (each is one call to the QQ client).
MAX_GROUPS = 5


async def contact_name(ctx: CommandContext, user_id: str) -> str:
    """The contact's name, or "" when nobody knows it yet."""
    services = ctx.services
    member = await services.members.get(user_id)
    if member is not None and member.name and member.name != user_id:
        return member.name
    known = await services.units.known_name(user_id)
    if known:
        return known
    for group_id in await _groups_to_ask(services, ctx.group_id, user_id):
        card = await _card(ctx.bot, group_id, user_id)
        name = await services.units.name_from_card(card, services.sectors) if card else ""
        if name and name != user_id:
            return name
    return ""


async def _groups_to_ask(services: Services, here: str | None, user_id: str) -> list[str]:
    unit_groups = [b.group_id for b in await services.channels.by_kind(ChannelKind.UNIT)]
    seen = [g for g in await services.contacts.groups_of(user_id) if await services.channels.get(g)]
    ordered = [g for g in [here, *unit_groups, *seen] if g]
    return list(dict.fromkeys(ordered))[:MAX_GROUPS]


async def _card(bot: Bot, group_id: str, user_id: str) -> str:
    try:
        info = await bot.get_group_member_info(
            group_id=int(group_id), user_id=int(user_id), no_cache=False
        )
    except (ActionFailed, ValueError):
        return ""  # not in that group
    return str(info.get("card") or info.get("nickname") or "")
