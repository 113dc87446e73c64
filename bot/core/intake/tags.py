"""Tag detection: does a message start with ``#提案`` / ``#社情民意`` / ``#议题`` (or
``【提案】``, ``[议题]``, full-width ``＃``...)? Runs on every group message, so the first visible
character decides before any regex runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.intake.segments import MentionSeg, OtherSeg, Segment, TextSeg
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

TAG_ALIASES: dict[str, RecordKind] = {
    "提案": RecordKind.PROPOSAL,
    "社情民意信息": RecordKind.OPINION,
    "社情民意": RecordKind.OPINION,
    "民意": RecordKind.OPINION,
    "议题": RecordKind.TOPIC,
    "协商议题": RecordKind.TOPIC,
}
"""Tag words (after ``#`` or inside ``【】``/``[]``) and the kind they name."""


@dataclass(frozen=True, slots=True)
class TagMatch:
    """A message that starts with a tag.

    ``remainder`` holds the segments after the tag (the first one trimmed), ``leading_mentions``
    the @s before it (QQ adds an @bot), which are not treated as co-signers.
    """

    kind: RecordKind
    alias: str
    tag_text: str
    remainder: tuple[Segment, ...]
    leading_mentions: tuple[MentionSeg, ...] = ()


_TAG_STARTS = frozenset("#＃【[［")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_LEADING_RE = re.compile(rf"[\s{_INVISIBLE}]*")
_SP = r"[ \t\u3000\u00a0]"
_ALIAS_ALT = "|".join(re.escape(a) for a in sorted(TAG_ALIASES, key=len, reverse=True))
_TAG_RE = re.compile(
    rf"(?:[#＃]{_SP}*(?P<hash>{_ALIAS_ALT})"
    rf"|【{_SP}*(?P<lenticular>{_ALIAS_ALT}){_SP}*】"
    rf"|[\[［]{_SP}*(?P<square>{_ALIAS_ALT}){_SP}*[\]］])"
    rf"(?:{_SP}*[:：])?{_SP}*"
)


def detect_tag(segments: Sequence[Segment]) -> TagMatch | None:
    """The tag a message starts with, or None.

    Leading whitespace, mentions and ignorable segments are skipped. Cheap for ordinary chatter:
    the first visible character decides before any regex runs.
    """
    leading_mentions: list[MentionSeg] = []
    for index, seg in enumerate(segments):
        if isinstance(seg, MentionSeg):
            leading_mentions.append(seg)
            continue
        if isinstance(seg, OtherSeg):
            continue
        if not isinstance(seg, TextSeg):
            return None
        text = seg.text
        lead = _LEADING_RE.match(text)
        start = lead.end() if lead else 0
        if start == len(text):
            continue
        if text[start] not in _TAG_STARTS:
            return None
        end = index + 1
        parts = [text[start:]]
        while end < len(segments):
            following = segments[end]
            if not isinstance(following, TextSeg):
                break
            parts.append(following.text)
            end += 1
        head = "".join(parts)
        match = _TAG_RE.match(head)
        if match is None:
            return None
        alias = match.group("hash") or match.group("lenticular") or match.group("square")
        rest = head[match.end() :]
        remainder: tuple[Segment, ...] = ((TextSeg(rest),) if rest else ()) + tuple(segments[end:])
        return TagMatch(
            kind=TAG_ALIASES[alias],
            alias=alias,
            tag_text=match.group(0).strip(),
            remainder=remainder,
            leading_mentions=tuple(leading_mentions),
        )
    return None
