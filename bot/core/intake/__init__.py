"""Intake: members' tagged posts become records, and what members do with them (no framework).

parser (a post's tag, title, body, co-signers), submit (services.intake), cosign (services.cosigns:
附议, invitations), withdraw (services.withdrawals: 撤回), queries (services.queries: 查提案,
搜索, 我的), index (services.similarity: the similarity index), throttle, results, texts."""

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
