"""Mistyped tags: `#提按 …`, `＃题案 …`, `【社情名意】…` look like a post, but no tag matches.

Silence would let the member believe the post went in, so the intake matcher answers these with
a short hint. Chatter that merely starts with `#` (hashtags, `#1`, `#今日打卡`, emoji) gets
nothing: a word counts as a tag only when it is one of the tag words (:data:`TAG_ALIASES`) with
characters replaced by ones that sound alike (what a pinyin input method produces), or, for the
longer tag words, with one character missing, extra, wrong or swapped.

Runs only for messages whose first visible character is `#`, `＃` or `【` that are not tagged
posts; plain string work on a few characters, no regex over the whole message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.intake.parser import TAG_ALIASES, TEMPLATES
from bot.core.intake.segments import MentionSeg, OtherSeg, Segment, TextSeg

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.core.records.kinds import RecordKind

_SOUND_ALIKE_GROUPS = (
    "提题体替啼蹄",
    "案按安岸暗桉",
    "社设射涉舍摄",
    "情清请青晴轻",
    "民名明敏鸣铭",
    "意议义艺亿忆异易译",
    "信心新欣辛薪",
    "息西希吸惜稀析",
    "协写些谢鞋斜携",
    "商上伤尚赏",
)
_SOUND: dict[str, str] = {ch: group[0] for group in _SOUND_ALIKE_GROUPS for ch in group}
_HASHES = frozenset("#＃")
_WORD_END = frozenset(" \t\n\u3000:：,，.。!！?？、;；【】[]［］()（）《》“”\"'")
_INVISIBLE = " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"
_LONG_ALIAS = 4
"""Tag words this long may also have one character missing, extra, wrong or swapped."""


@dataclass(frozen=True, slots=True)
class NearTag:
    kind: RecordKind
    typed: str
    """The word as typed (e.g. ``提按``)."""


def _sound(text: str) -> str:
    return "".join(_SOUND.get(ch, ch) for ch in text)


# (tag word as it sounds, kind), longest first; built once
_TARGETS = tuple(
    (_sound(alias), TAG_ALIASES[alias]) for alias in sorted(TAG_ALIASES, key=len, reverse=True)
)
_LONGEST = max(len(alias) for alias in TAG_ALIASES)


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once); both strings are short."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _close(heard: str, target: str, *, exact_length: bool) -> bool:
    """``heard`` (the typed word as it sounds, maybe running on into the title) names the tag
    word ``target`` (as it sounds)."""
    if heard[: len(target)] == target and (not exact_length or len(heard) == len(target)):
        return True
    if len(target) < _LONG_ALIAS:
        # a two-character tag with its characters swapped: `#案提`, `#题议`
        return heard[: len(target)] == target[::-1] and len(set(target)) == len(target)
    window = heard[: len(target) + 1]
    if sum(1 for ch in target if ch in window) < len(target) - 1:
        return False  # cheap: most chatter shares no character with the tag word
    if exact_length:
        return _edits(heard, target) <= 1
    lengths = range(len(target) - 1, len(target) + 2)
    return any(_edits(heard[:n], target) <= 1 for n in lengths if heard[:n])


def _first_text(segments: Sequence[Segment]) -> str | None:
    for seg in segments:
        if isinstance(seg, MentionSeg | OtherSeg):
            continue
        if not isinstance(seg, TextSeg):
            return None
        text = seg.text.lstrip(_INVISIBLE)
        if text:
            return text
    return None


def _word(text: str, limit: int) -> str:
    out = []
    for ch in text:
        if ch in _WORD_END or len(out) >= limit:
            break
        out.append(ch)
    return "".join(out)


def near_tag(segments: Sequence[Segment]) -> NearTag | None:
    """The kind a message that starts like a mistyped tag probably meant, or None.

    Call it only for messages :func:`bot.core.intake.parser.detect_tag` did not take.
    """
    text = _first_text(segments)
    if text is None or (text[0] not in _HASHES and text[0] != "【"):
        return None
    bracket = text[0] == "【"
    rest = text[1:].lstrip(" \t\u3000")
    word = _word(rest, _LONGEST + 2)
    if not word:
        return None
    # `【提案办理情况通报】` is a heading: inside closed brackets the whole word must be a tag
    closed = bracket and rest[len(word) : len(word) + 1] == "】"
    heard = _sound(word)
    for target, kind in _TARGETS:
        if _close(heard, target, exact_length=closed):
            return NearTag(kind, word)
    return None


def near_tag_hint(near: NearTag) -> str:
    """The short answer to a mistyped tag: what to send instead."""
    return (
        f"您是不是要发“{near.kind.tag}”？“{near.typed[:8]}”不是标签，这条没有登记。"
        f"请按以下格式重新发送：\n{TEMPLATES[near.kind]}"
    )
