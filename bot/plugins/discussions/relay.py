"""The relay matcher: a participant's private message that is no command goes to their
discussion (bot/core/discussions/relay.py).

Priority 5, beside intake (its rule takes only messages that may be tagged, this one only those
that may not: they never both match, and one priority level less costs every message less,
docs/PERFORMANCE.md), before the command router (10), which still answers everyone else's
private chatter. The rule is async and
asks the database only for private messages that are no command, and only whether the sender
takes part in an open (or lately closed) discussion.
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Bot, MessageEvent, PrivateMessageEvent
from nonebot.adapters.onebot.v11.event import Reply
from nonebot.log import logger
from nonebot.typing import T_State

from bot.core import seen
from bot.core.delivery.outbox import Part
from bot.core.discussions import texts
from bot.core.errors import DomainError
from bot.core.intake.segments import FileSeg, ImageSeg, TextSeg
from bot.core.people.identity import Identity
from bot.core.seen import AlreadySeen
from bot.nb.context import send_reply
from bot.nb.entry import once_admitted
from bot.nb.message import leading_text, plain_text, reply_message
from bot.nb.registry import registry
from bot.nb.rules import on_every_message
from bot.nb.runtime import get_services, has_services
from bot.nb.segments import may_be_tagged, to_segments


async def _for_discussion(event: MessageEvent, state: T_State) -> bool:
    if not isinstance(event, PrivateMessageEvent) or not has_services():
        return False
    message = event.get_message()
    if may_be_tagged(message):
        return False
    text = leading_text(message).strip()
    if text[:1] in {"/", "／"} or registry.match(text) is not None:
        return False
    return await get_services().discussions.rooms.takes_part(str(event.user_id))


relay_matcher = on_every_message(_for_discussion, priority=5)


def message_parts(event: MessageEvent) -> list[Part]:
    """Text, images and files of the message as platform-neutral parts (text stays text)."""
    parts: list[Part] = []
    for seg in to_segments(event.get_message()):
        if isinstance(seg, TextSeg) and seg.text:
            parts.append({"type": "text", "text": seg.text})
        elif isinstance(seg, ImageSeg):
            parts.append({"type": "image", "file": seg.file, "url": seg.url})
        elif isinstance(seg, FileSeg):
            parts.append({"type": "file", "name": seg.name, "url": seg.url})
    return parts


def answered_name(reply: Reply | None, self_id: str) -> str | None:
    """Who a quoted message was from: the name in a relayed ``【D3 主题】张三：…``, or the
    quoted sender's name."""
    if reply is None:
        return None
    if str(reply.sender.user_id) == self_id:
        text = plain_text(reply.message)
        if text.startswith("【D") and "】" in text and "：" in text:
            name = text.split("】", 1)[1].split("：", 1)[0]
            return name.split("（回复", 1)[0][:64] or None
        return None
    return (reply.sender.card or reply.sender.nickname or "")[:64] or None


async def _relay(bot: Bot, event: MessageEvent, _state: T_State, identity: Identity) -> None:
    services = get_services()
    room, others = await services.discussions.rooms.current(identity.user_id)
    if room is None:
        if others:
            first = others[0]
            text = texts.choose_which(others) if first.is_open else texts.closed_refusal(first)
            await send_reply(bot, event, reply_message(event, text))
        return
    try:
        await services.discussions.relay.relay(
            room, identity.user_id, message_parts(event), answered_name(event.reply, bot.self_id)
        )
    except DomainError as exc:
        await send_reply(bot, event, reply_message(event, exc.message))
    except AlreadySeen:
        raise
    except Exception:
        logger.exception("discussion relay failed")
        seen.abandon()
        sorry = "抱歉，转发这条消息时出错了，已记录。请稍后重发。"
        await send_reply(bot, event, reply_message(event, sorry))


relay_matcher.handle()(once_admitted(_relay))
