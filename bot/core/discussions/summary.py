"""The summary of a closed discussion (pure: tested directly) and the transcript's text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.core.clock import as_utc, format_local
from bot.core.discussions.common import Room, label

if TYPE_CHECKING:
    from datetime import datetime

    from bot.core.models import DiscussionMessage

#: The last points a summary repeats.
LAST_POINTS = 3
POINT_LENGTH = 60
KEYWORDS = 5

Keywords = Callable[[str, int], list[str]]


def duration_text(start: datetime, end: datetime) -> str:
    minutes = max(0, int((as_utc(end) - as_utc(start)).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}天" if days else "", f"{hours}小时" if hours else ""]
    if not days:
        parts.append(f"{minutes}分钟" if minutes or not hours else "")
    return "".join(parts) or "0分钟"


def excerpt(text: str, length: int = POINT_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


def summary(
    room: Room,
    messages: Sequence[DiscussionMessage],
    end: datetime,
    keywords: Keywords,
    *,
    by_timeout: bool,
) -> str:
    """Topic, participants, how many messages, how long, keywords and the last few points."""
    d = room.discussion
    how = "到时自动结束" if by_timeout else "已结束"
    lines = [
        f"【讨论小结】{label(d)}“{d.topic}”{how}。",
        f"参加者：{room.names()}（{len(room.active)}人）",
        f"消息：{len(messages)}条；历时：{duration_text(d.created_at, end)}"
        f"（{format_local(d.created_at)} 至 {format_local(end)}）",
    ]
    said = "\n".join(m.text for m in messages if m.text)
    words = keywords(said, KEYWORDS) if said.strip() else []
    if words:
        lines.append("关键词：" + "、".join(words))
    points = [m for m in messages if m.text][-LAST_POINTS:]
    if points:
        lines.append("最后几条意见：")
        lines.extend(f"· {m.name}：{excerpt(m.text)}" for m in points)
    else:
        lines.append("讨论中没有人发言。")
    if d.creator_user_id:
        lines.append(f"发起人可发送“讨论转提案 {label(d)}”把讨论整理成联名提案。")
    return "\n".join(lines)


def transcript_lines(room: Room, messages: Sequence[DiscussionMessage]) -> list[str]:
    """One line per message: ``12-02 10:15 张三（回复李四）：……``."""
    lines = []
    for m in messages:
        answer = f"（回复{m.reply_to_name}）" if m.reply_to_name else ""
        lines.append(f"{format_local(m.created_at)[5:]} {m.name}{answer}：{m.text}")
    return lines


def transcript_head(room: Room, count: int) -> str:
    d = room.discussion
    state = "进行中" if room.is_open else f"已于{format_local(d.closed_at or d.ends_at)}结束"
    return (
        f"讨论{label(d)}“{d.topic}”的记录（{state}，发起人{d.creator_name}，"
        f"参加者：{room.names()}，共{count}条）："
    )
