"""Platform-neutral message segments.

The bot adapter converts a platform message (a OneBot V11 ``Message``, later others) into a list of
these before calling the intake parser, so the parser never sees CQ codes or adapter classes.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_MENTION_ID = "all"
"""The ``user_id`` of an @全体成员 mention."""


@dataclass(frozen=True, slots=True)
class TextSeg:
    """Literal text, exactly as typed (never interpreted: CQ-like text stays text)."""

    text: str


@dataclass(frozen=True, slots=True)
class MentionSeg:
    """An @ of a user; ``user_id`` ``"all"`` is @全体成员. ``name`` is the display name if known."""

    user_id: str
    name: str = ""

    @property
    def is_all(self) -> bool:
        return self.user_id.strip().lower() == ALL_MENTION_ID


@dataclass(frozen=True, slots=True)
class ImageSeg:
    file: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class FileSeg:
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class OtherSeg:
    """Anything else (faces, a leftover reply segment, ...): ignored by the parser."""

    type: str


Segment = TextSeg | MentionSeg | ImageSeg | FileSeg | OtherSeg
