"""OneBot V11 messages as platform-neutral segments (bot.core.intake.segments).

The only place that knows how OneBot spells text, @, images and files; the intake parser and
service in bot/core never see a `Message`, a CQ code or an adapter class.
"""

from __future__ import annotations

from collections.abc import Iterable

from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.core.intake.segments import (
    ALL_MENTION_ID,
    FileSeg,
    ImageSeg,
    MentionSeg,
    OtherSeg,
    Segment,
    TextSeg,
)
from bot.nb.ids import is_qq_id

TAG_START_CHARS = frozenset("#＃【[［")
"""A tagged post's first visible character is one of these (see bot.core.intake.parser)."""
SLASHES = frozenset("/／")
"""The command prefix, which members also type before a tag (`／＃提案：…`)."""
_SKIPPED = frozenset({"at", "reply", "face"})
_INVISIBLE = " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


def _data(segment: MessageSegment, key: str) -> str:
    value = segment.data.get(key)
    return "" if value is None else str(value)


def to_segment(segment: MessageSegment) -> Segment:
    kind = segment.type
    if kind == "text":
        return TextSeg(_data(segment, "text"))
    if kind == "at":
        qq = _data(segment, "qq").strip()
        if qq.lower() == ALL_MENTION_ID:
            return MentionSeg(ALL_MENTION_ID)
        if not is_qq_id(qq):  # `abc`, `-1`, 25 digits: nobody to invite or register
            return OtherSeg(kind)
        return MentionSeg(qq, _data(segment, "name").strip())
    if kind == "image":
        return ImageSeg(file=_data(segment, "file"), url=_data(segment, "url"))
    if kind == "file":
        return FileSeg(
            name=_data(segment, "name") or _data(segment, "file"), url=_data(segment, "url")
        )
    return OtherSeg(kind)


def to_segments(message: Iterable[MessageSegment]) -> list[Segment]:
    """A OneBot message as intake segments (text kept literally, never parsed as CQ code)."""
    return [to_segment(segment) for segment in message]


def may_be_tagged(message: Message) -> bool:
    """Cheap pre-check for every message: does the first visible text start like a tag?

    False for almost all chatter without building any objects; True only means "worth parsing".
    """
    for segment in message:
        kind = segment.type
        if kind in _SKIPPED:
            continue
        if kind != "text":
            return False
        text = segment.data.get("text") or ""
        stripped = text.lstrip(_INVISIBLE)
        if not stripped:
            continue
        if stripped[0] in SLASHES:
            stripped = stripped[1:].lstrip(_INVISIBLE)
        return bool(stripped) and stripped[0] in TAG_START_CHARS
    return False
