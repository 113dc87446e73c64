"""Event payloads as a client posts them: message events (array ``message`` plus CQ-coded
``raw_message``, the sender as QQ reports it) and meta events."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bot.devtools.onebot_sim.cq import Segment, normalise_message, segments_to_cq, text_segment

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.devtools.onebot_sim.world import Member, World


def meta_event(self_id: int, meta_event_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "meta_event",
        "meta_event_type": meta_event_type,
        **extra,
    }


def compose(
    world: World,
    message: str | list[dict[str, Any]],
    reply_to: int | None,
    at: Sequence[int | str],
) -> list[Segment]:
    """The segments of a posted message: a ``str`` is plain text; ``reply_to`` puts a ``reply``
    segment first (and QQ's @ of the bot when the quoted message is the bot's), ``at`` adds
    ``at`` segments before the text."""
    body = [text_segment(message)] if isinstance(message, str) else normalise_message(message)
    head: list[Segment] = []
    if reply_to is not None:
        head.append({"type": "reply", "data": {"id": str(reply_to)}})
        quoted = world.messages.get(reply_to)
        if quoted is not None and str(quoted.sender.get("user_id")) == str(world.self_id):
            # QQ adds an @ of the quoted author after the reply segment.
            head.append({"type": "at", "data": {"qq": str(world.self_id)}})
            head.append(text_segment(" "))
    for target in at:
        head.append({"type": "at", "data": {"qq": str(target)}})
        head.append(text_segment(" "))
    # Merge adjacent text segments, as clients report them.
    merged: list[Segment] = []
    for seg in head + body:
        if seg["type"] == "text" and merged and merged[-1]["type"] == "text":
            merged[-1]["data"]["text"] += seg["data"]["text"]
        else:
            merged.append(seg)
    return [seg for seg in merged if seg["type"] != "text" or seg["data"]["text"]]


def _message_event(self_id: int, message_type: str, sub_type: str, mid: int) -> dict[str, Any]:
    return {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "message",
        "message_type": message_type,
        "sub_type": sub_type,
        "message_id": mid,
    }


def group_message_event(
    world: World,
    group_id: int,
    member: Member,
    mid: int,
    segments: list[Segment],
    *,
    card: str | None,
    nickname: str | None,
    role: str | None,
) -> dict[str, Any]:
    """A group message event from ``member``; ``card``/``nickname``/``role`` (when given)
    override the member's stored values."""
    sender = {
        "user_id": member.user_id,
        "nickname": member.nickname if nickname is None else nickname,
        "card": member.card if card is None else card,
        "role": member.role if role is None else role,
        "sex": "unknown",
        "age": 0,
        "area": "",
        "level": "",
        "title": "",
    }
    return {
        **_message_event(world.self_id, "group", "normal", mid),
        "group_id": group_id,
        "user_id": member.user_id,
        "anonymous": None,
        "message": segments,
        "raw_message": segments_to_cq(segments),
        "font": 0,
        "sender": sender,
    }


def private_message_event(
    world: World,
    user_id: int,
    mid: int,
    segments: list[Segment],
    *,
    nickname: str | None,
    sub_type: str,
) -> dict[str, Any]:
    """A private message event (``sub_type`` "friend", or "group" for a temporary session)."""
    sender = {
        "user_id": user_id,
        "nickname": world.known_nickname(user_id) if nickname is None else nickname,
        "sex": "unknown",
        "age": 0,
    }
    return {
        **_message_event(world.self_id, "private", sub_type, mid),
        "user_id": user_id,
        "message": segments,
        "raw_message": segments_to_cq(segments),
        "font": 0,
        "sender": sender,
    }
