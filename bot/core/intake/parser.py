"""Parse tagged posts (``#提案`` / ``#社情民意`` / ``#议题``) from platform-neutral segments.

Framework-free: the adapter turns a platform message into :mod:`bot.core.intake.segments` and
calls :func:`detect_tag` (cheap, on every group message) and then :func:`parse_post`.

Text is kept literally: CQ-like text, HTML entities, emoji and zero-width characters are never
interpreted. Only line endings, full-width / no-break spaces, trailing spaces and runs of blank
lines are normalised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from bot.core.intake.segments import FileSeg, ImageSeg, MentionSeg, Segment, TextSeg
from bot.core.intake.tags import TAG_ALIASES as TAG_ALIASES  # re-exported (near_tags)
from bot.core.intake.tags import TagMatch, detect_tag
from bot.core.intake.titles import TITLE_MAX, TITLE_TRAIL_PUNCT, clean_title, derive_title
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

MIN_LENGTH = 15
"""Fewest characters (whitespace and invisible characters excluded) a post may have."""
TOPIC_MIN_LENGTH = 4
"""Topics are naturally short (``#议题 农村养老服务体系建设``): this many characters suffice."""
MAX_LENGTH = 10_000
"""Most characters (whitespace excluded) a post may have."""
OPINION_RECOMMENDED_MAX = 1_500
"""An opinion lead should stay within this many characters (a warning, not an error)."""

TEMPLATES: dict[RecordKind, str] = {
    RecordKind.PROPOSAL: "#提案 标题\n正文（情况、分析、建议）\n联名：@委员（可选）",
    RecordKind.OPINION: "#社情民意 标题\n情况：……\n建议：……\n（一事一报，建议不超过1500字）",
    RecordKind.TOPIC: "#议题 内容（建议协商的题目，可附简要理由）",
}
"""How to post each kind, quoted in every refusal."""


MIN_LENGTHS: dict[RecordKind, int] = {
    RecordKind.PROPOSAL: MIN_LENGTH,
    RecordKind.OPINION: MIN_LENGTH,
    RecordKind.TOPIC: TOPIC_MIN_LENGTH,
}
"""The fewest characters of content per kind (see :func:`parse_post`)."""


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: Literal["image", "file"]
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the member should know, the post is accepted anyway. ``message`` is Chinese."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ParsedPost:
    kind: RecordKind
    title: str
    body: str
    full_text: str
    """Title line and body as posted (normalised), without the tag and the 联名 line(s)."""
    cosigner_ids: tuple[str, ...] = ()
    """Mentioned user ids, 联名-line ones first; de-duplicated; never "all", the sender or ignored."""
    cosigner_names: tuple[str, ...] = ()
    """Names typed as plain text on a 联名 line (``联名：李四、王五``), for the caller to resolve."""
    mentions_all: bool = False
    """The message held an @全体成员 (segment or CQ-like literal text). Never acted on: log it."""
    attachments: tuple[Attachment, ...] = ()
    title_derived: bool = False
    content_length: int = 0
    """Characters of ``full_text`` (mentions, whitespace and invisible characters excluded)."""
    warnings: tuple[ParseWarning, ...] = ()
    cosign_text: str = ""
    """The removed 联名 line(s), literally (diagnostics; nothing else of the post is dropped)."""
    tip_number: int | None = None
    """A proposal's ``线索 L12`` line (taken out of the text): written from the public's tip L12."""


@dataclass(frozen=True, slots=True)
class ParseError:
    """Why a post was refused; ``message`` is the Chinese reply, including the template."""

    code: Literal["not_tagged", "too_short", "too_long", "no_body"]
    message: str
    kind: RecordKind | None = None


# --------------------------------------------------------------------------- patterns

_AT_ALL_LITERAL_RE = re.compile(r"(?:\[|&#91;)\s*CQ\s*:\s*at\s*,\s*qq\s*=\s*all\b", re.IGNORECASE)
_COSIGN_RE = re.compile(r"(?:联名(?:人|委员)?|附议(?:人|委员))\s*[：:]")
_TIP_LINE_RE = re.compile(r"^\s*(?:提案)?线索\s*[：:]?\s*[Ll](\d{1,9})\s*[。.]?\s*$")
_COSIGN_SEPARATORS_RE = re.compile(r"[\s、，,;；/|和与及]+")
_MENTION_ONLY_FILLER = frozenset(" \t、，,;；/|和与及")
_BLANK_RUN_RE = re.compile(r"\n{3,}")
_SUGGESTION_MARKERS = (
    "建议", "对策", "措施", "举措", "意见", "应当", "应该", "亟需", "亟待", "希望", "呼吁",
    "一是", "要求", "请求", "恳请", "加强", "加快", "推进", "完善", "健全", "落实", "提高",
    "出台", "设立", "增加", "解决",
)  # fmt: skip


# --------------------------------------------------------------------------- parse_post


@dataclass(slots=True)
class _Line:
    pieces: list[str | MentionSeg]

    def text_only(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str)).rstrip()

    def rendered(self) -> str:
        return "".join(_render_piece(p) for p in self.pieces).rstrip()

    def mentions(self) -> list[MentionSeg]:
        return [p for p in self.pieces if isinstance(p, MentionSeg)]


def _render_piece(piece: str | MentionSeg) -> str:
    if isinstance(piece, str):
        return piece
    if piece.is_all or not piece.name:
        return ""  # @全体 is neutralised; an unnamed @ would only show a raw account id
    return "@" + piece.name


def _normalise_text(text: str) -> str:
    return (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    )


def _join_lines(lines: Iterable[str]) -> str:
    joined = "\n".join(lines)
    return _BLANK_RUN_RE.sub("\n\n", joined).strip("\n")


def _count_content(text: str) -> int:
    """Characters other than whitespace and invisible format characters (zero-width space...)."""
    compact = "".join(text.split())  # str.split() drops exactly what str.isspace() calls space
    if compact.isprintable():  # the usual case: no format (Cf) character at all
        return len(compact)
    return sum(1 for ch in compact if unicodedata.category(ch) != "Cf")


def _is_cosign_line(line: _Line) -> bool:
    text = line.text_only().lstrip()
    if _COSIGN_RE.match(text):
        return True
    mentions = line.mentions()
    return bool(mentions) and all(ch in _MENTION_ONLY_FILLER or ch.isspace() for ch in text)


def _cosign_names(line: _Line) -> list[str]:
    text = line.text_only().strip()
    prefix = _COSIGN_RE.match(text)
    if prefix is None:
        return []
    names = []
    for token in _COSIGN_SEPARATORS_RE.split(text[prefix.end() :]):
        name = token.strip().lstrip("@＠").strip(TITLE_TRAIL_PUNCT)
        if name and len(name) <= 20:
            names.append(name)
    return names


_BODY_PARTS = {RecordKind.PROPOSAL: "情况、分析、建议", RecordKind.OPINION: "情况、建议"}


def _refusal(kind: RecordKind, problem: str) -> str:
    return f"{problem}。请按以下格式发送：\n{TEMPLATES[kind]}"


def parse_post(
    segments: Sequence[Segment],
    *,
    sender_id: str | None = None,
    ignore_ids: Iterable[str] = (),
    min_length: int | None = None,
    max_length: int = MAX_LENGTH,
) -> ParsedPost | ParseError:
    """Parse a tagged post. Never raises on any list of segments.

    ``sender_id`` and ``ignore_ids`` (e.g. the bot's own id) are dropped from the co-signers.
    Mentions before the tag (QQ's automatic @bot) are never co-signers. ``min_length``
    defaults to the kind's (:data:`MIN_LENGTHS`). A proposal or opinion lead with a title and
    no body is refused (``no_body``): an empty proposal must not be filed.
    """
    match = detect_tag(segments)
    if match is None:
        tags = " / ".join(kind.tag for kind in RecordKind)
        return ParseError(code="not_tagged", message=f"没有识别到标签（{tags}）。")
    kind = match.kind
    post = _read_lines(match)
    tip_number = _take_tip_line(post) if kind is RecordKind.PROPOSAL else None
    # 联名 lines (and lines holding only @s) are taken out of the text.
    cosign = [_is_cosign_line(line) for line in post.lines]
    content = [line for line, is_cosign in zip(post.lines, cosign, strict=True) if not is_cosign]
    cosign_lines = [line for line, is_cosign in zip(post.lines, cosign, strict=True) if is_cosign]
    title_line_missing = cosign[0]
    content_text = "\n".join(line.text_only() for line in content)
    content_length = _count_content(content_text)
    note = "（图片和文件不计入正文，请把正文以文字发送）" if post.attachments else ""
    if min_length is None:
        min_length = MIN_LENGTHS[kind]
    refused = _check_length(kind, content_length, min_length, max_length, note)
    if refused is not None:
        return refused
    full_text = _join_lines(line.rendered() for line in content)
    title, body, title_derived, warnings = _title_and_body(
        kind, content, title_line_missing, full_text, content_text
    )
    if kind is not RecordKind.TOPIC and not body:
        problem = (
            "只有标题，没有正文，未登记。第一行写标题，从第二行起写正文"
            f"（{_BODY_PARTS[kind]}）{note}"
        )
        return ParseError(code="no_body", message=_refusal(kind, problem), kind=kind)
    warnings.extend(_content_warnings(kind, body, content_length))
    return ParsedPost(
        kind=kind,
        title=title,
        body=body,
        full_text=full_text,
        cosigner_ids=_cosigner_ids([*cosign_lines, *content], sender_id, ignore_ids),
        cosigner_names=_cosigner_names(cosign_lines),
        mentions_all=post.mentions_all,
        attachments=tuple(post.attachments),
        title_derived=title_derived,
        content_length=content_length,
        warnings=tuple(warnings),
        cosign_text="\n".join(line.text_only().strip() for line in cosign_lines),
        tip_number=tip_number,
    )


def _take_tip_line(post: _Post) -> int | None:
    """The number of the last ``线索 L12`` line, which is taken out of the post's lines."""
    for index in range(len(post.lines) - 1, 0, -1):
        found = _TIP_LINE_RE.match(post.lines[index].text_only())
        if found:
            del post.lines[index]
            return int(found.group(1))
    return None


@dataclass(slots=True)
class _Post:
    """The segments after the tag, as lines of text and mentions, and what is not text."""

    lines: list[_Line]
    attachments: list[Attachment]
    mentions_all: bool


def _read_lines(match: TagMatch) -> _Post:
    """Lines of text and mentions; images and files aside; whether @全体成员 was there (as a
    segment, or as CQ-like literal text)."""
    mentions_all = any(m.is_all for m in match.leading_mentions)
    lines: list[_Line] = [_Line([])]
    attachments: list[Attachment] = []
    raw_texts: list[str] = []
    for seg in match.remainder:
        if isinstance(seg, TextSeg):
            raw_texts.append(seg.text)
            first, *others = _normalise_text(seg.text).split("\n")
            lines[-1].pieces.append(first)
            lines.extend(_Line([piece]) for piece in others)
        elif isinstance(seg, MentionSeg):
            mentions_all = mentions_all or seg.is_all
            lines[-1].pieces.append(seg)
        elif isinstance(seg, ImageSeg):
            attachments.append(Attachment(kind="image", name=seg.file, url=seg.url))
        elif isinstance(seg, FileSeg):
            attachments.append(Attachment(kind="file", name=seg.name, url=seg.url))
    if not mentions_all and _AT_ALL_LITERAL_RE.search("".join(raw_texts)):
        mentions_all = True
    return _Post(lines, attachments, mentions_all)


_SPLIT_HINTS = {
    RecordKind.PROPOSAL: "，或按“一事一案”分成几件分别提交",
    RecordKind.OPINION: "，或按“一事一报”分成几条分别报送",
    RecordKind.TOPIC: "",
}


def _check_length(
    kind: RecordKind, content_length: int, min_length: int, max_length: int, note: str
) -> ParseError | None:
    if content_length < min_length:
        return ParseError(
            code="too_short",
            message=_refusal(kind, f"内容太短（至少{min_length}个字）{note}"),
            kind=kind,
        )
    if content_length > max_length:
        problem = f"内容太长（{content_length}字，上限{max_length}字）。请精简{_SPLIT_HINTS[kind]}"
        return ParseError(code="too_long", message=_refusal(kind, problem), kind=kind)
    return None


def _title_and_body(
    kind: RecordKind,
    content: list[_Line],
    title_line_missing: bool,
    full_text: str,
    content_text: str,
) -> tuple[str, str, bool, list[ParseWarning]]:
    """Title, body, whether the title was derived, and a warning when it had to be."""
    title_source = "" if title_line_missing or not content else content[0].text_only()
    rest = content if title_line_missing else content[1:]
    has_rest = any(line.text_only().strip() for line in rest)
    title = clean_title(title_source)
    if kind is RecordKind.TOPIC and not has_rest:
        # "#议题 内容": one line is the normal form; the title comes from it, the body is all of it.
        return derive_title(content_text), full_text, True, []
    if title and len(title) <= TITLE_MAX:
        return title, _join_lines(line.rendered() for line in rest), False, []
    too_long = bool(title)
    title = derive_title(content_text)
    first_line = next((line for line in content_text.split("\n") if line.strip()), "")
    warnings: list[ParseWarning] = []
    if too_long or title != clean_title(first_line):
        reason = f"第一行标题超过{TITLE_MAX}字" if too_long else "第一行没有标题"
        warnings.append(
            ParseWarning(
                code="title_derived",
                message=f"{reason}，已取首句作为标题：《{title}》。",
            )
        )
    return title, full_text, True, warnings


def _content_warnings(kind: RecordKind, body: str, content_length: int) -> list[ParseWarning]:
    """What the member should know about the content (no suggestion, too long a lead)."""
    warnings: list[ParseWarning] = []
    if kind is RecordKind.PROPOSAL and not any(m in body for m in _SUGGESTION_MARKERS):
        warnings.append(
            ParseWarning(
                code="no_suggestion",
                message="正文中没有找到具体建议。提案应写明“情况、分析、建议”，缺少建议可能不予立案。",
            )
        )
    if kind is RecordKind.OPINION and content_length > OPINION_RECOMMENDED_MAX:
        warnings.append(
            ParseWarning(
                code="opinion_too_long",
                message=(
                    f"社情民意信息建议不超过{OPINION_RECOMMENDED_MAX}字"
                    f"（当前{content_length}字），采用时可能被压缩。"
                ),
            )
        )
    return warnings


def _cosigner_ids(
    lines: Iterable[_Line], sender_id: str | None, ignore_ids: Iterable[str]
) -> tuple[str, ...]:
    """Mentioned user ids in order, de-duplicated; never "all", blank, the sender or ignored."""
    dropped = {str(sender_id)} if sender_id is not None else set()
    dropped.update(str(i) for i in ignore_ids)
    cosigner_ids: list[str] = []
    for line in lines:
        for mention in line.mentions():
            uid = mention.user_id
            if mention.is_all or not uid.strip() or uid in dropped or uid in cosigner_ids:
                continue
            cosigner_ids.append(uid)
    return tuple(cosigner_ids)


def _cosigner_names(cosign_lines: Iterable[_Line]) -> tuple[str, ...]:
    """Names typed as plain text on 联名 lines, de-duplicated."""
    names: list[str] = []
    for line in cosign_lines:
        for name in _cosign_names(line):
            if name not in names:
                names.append(name)
    return tuple(names)
