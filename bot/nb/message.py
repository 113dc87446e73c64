"""OneBot V11 message helpers: the only place that knows segment shapes.

User text always goes in as `MessageSegment.text`, never spliced into CQ codes, so a title like
`[CQ:at,qq=all]` is shown literally and never makes the bot @ everyone.
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import Message, MessageEvent, MessageSegment

from bot.nb.ids import is_qq_id


def leading_text(message: Message) -> str:
    """The text a message starts with (up to its first non-text segment)."""
    parts: list[str] = []
    for segment in message:
        if segment.type != "text":
            break
        parts.append(segment.data.get("text", ""))
    return "".join(parts)


def plain_text(message: Message) -> str:
    return "".join(seg.data.get("text", "") for seg in message if seg.type == "text")


def mentioned_ids(message: Message, self_id: str | None = None) -> list[str]:
    """User ids @-ed in the message, in order, de-duplicated; never "all", the bot itself or
    anything that is not a QQ number (``abc``, ``-1``: see bot.nb.ids)."""
    seen: list[str] = []
    for segment in message:
        if segment.type != "at":
            continue
        qq = str(segment.data.get("qq", "")).strip()
        if is_qq_id(qq) and qq != self_id and qq not in seen:
            seen.append(qq)
    return seen


def text_message(text: str) -> Message:
    return Message(MessageSegment.text(text))


def reply_message(event: MessageEvent, text: str) -> Message:
    """A reply quoting `event`, with `text` as a plain text segment."""
    return MessageSegment.reply(event.message_id) + MessageSegment.text(text)


def sender_display_name(event: MessageEvent) -> str:
    sender = event.sender
    return (getattr(sender, "card", None) or sender.nickname or str(event.user_id)).strip()


def split_long_text(text: str, limit: int = 1500) -> list[str]:
    """Split on line boundaries into parts of at most `limit` characters (QQ drops long ones)."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
