"""Intake: turning members' tagged posts and typed numbers into structured input (no framework)."""

from bot.core.intake.parser import (
    TEMPLATES,
    Attachment,
    ParsedPost,
    ParseError,
    ParseWarning,
    TagMatch,
    detect_tag,
    parse_post,
)
from bot.core.intake.segments import FileSeg, ImageSeg, MentionSeg, OtherSeg, Segment, TextSeg

__all__ = [
    "TEMPLATES",
    "Attachment",
    "FileSeg",
    "ImageSeg",
    "MentionSeg",
    "OtherSeg",
    "ParseError",
    "ParseWarning",
    "ParsedPost",
    "Segment",
    "TagMatch",
    "TextSeg",
    "detect_tag",
    "parse_post",
]
