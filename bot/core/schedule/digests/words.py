"""What staff type and read about digests (推送): the kinds, the schedule time, where each goes."""

from __future__ import annotations

import unicodedata
from datetime import time

from bot.core.cleaning import strip_trailing_punctuation
from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind, DigestKind
from bot.core.schedule.quiet_hours import QUIET_FROM, QUIET_UNTIL

CHANNEL_OF = {
    DigestKind.DAILY: ChannelKind.WHOLE,
    DigestKind.WEEKLY: ChannelKind.SECTOR,
    DigestKind.MONTHLY: ChannelKind.STAFF,
}
DEFAULT_TIME = time(9, 0)
KIND_WORDS = {"日报": DigestKind.DAILY, "周报": DigestKind.WEEKLY, "月报": DigestKind.MONTHLY}
SCHEDULE_WORDS = {
    DigestKind.DAILY: "工作日",
    DigestKind.WEEKLY: "每周第一个工作日",
    DigestKind.MONTHLY: "每月第一个工作日",
}
TARGET_WORDS = {
    DigestKind.DAILY: "全体群",
    DigestKind.WEEKLY: "各界别群",
    DigestKind.MONTHLY: "机关群",
}


def parse_kind(word: str) -> DigestKind:
    kind = KIND_WORDS.get(word.strip())
    if kind is None:
        raise InvalidInput(f"不认识“{word[:10]}”，请写 日报、周报 或 月报，例如：推送 立即 日报")
    return kind


def parse_time(text: str) -> time:
    """``09:00`` / ``9:30`` / ``9点`` / ``9点半`` / ``０９：００``; between 08:00 and 20:59."""
    normal = strip_trailing_punctuation(unicodedata.normalize("NFKC", text)).replace("：", ":")
    hour: int | None = None
    minute = 0
    if ":" in normal:
        head, _, tail = normal.partition(":")
        if head.isdigit() and tail.isdigit() and len(tail) == 2:
            hour, minute = int(head), int(tail)
    elif normal.endswith("点半") and normal[:-2].isdigit():
        hour, minute = int(normal[:-2]), 30
    elif normal.endswith("点") and normal[:-1].isdigit():
        hour = int(normal[:-1])
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput(f"看不懂时间“{text[:10]}”，请写成 时:分，例如：推送 设置 日报 09:00")
    moment = time(hour, minute)
    if moment < QUIET_UNTIL or moment >= QUIET_FROM:
        raise InvalidInput(
            "推送时间须在 08:00 到 20:59 之间（晚上 9 点到早上 8 点不打扰委员），"
            "例如：推送 设置 日报 09:00"
        )
    return moment
