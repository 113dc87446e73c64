"""How one outbox message becomes calls to the chat client: long text split on line boundaries,
many items as forward messages (合并转发) in batches, and the plain-text fallback.

Platform-neutral: a chunk is text parts (text / mention), forward nodes (plain strings) or a
file to upload (with the text to send instead when the client refuses files). The
OneBot transport (bot/plugins/outbox/onebot.py) turns chunks into segments. The plan depends only
on the message's content, so after a restart chunk *k* is the same chunk as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

Part = dict[str, Any]

#: QQ drops or folds messages much longer than this; keep each message under it.
TEXT_LIMIT = 1500
#: Nodes in one forward message (clients accept ~200; stay well below).
FORWARD_MAX_NODES = 80
#: Characters in one forward message (clients accept ~1 MB in total; stay well below).
FORWARD_MAX_CHARS = 24_000
#: Blank line between forward nodes when they are sent as plain text instead.
FALLBACK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class TextChunk:
    """One ordinary message: text and mention parts, at most TEXT_LIMIT characters of text."""

    parts: list[Part]

    @property
    def text(self) -> str:
        return "".join(p.get("text", "") for p in self.parts if p.get("type") == "text")


@dataclass(frozen=True)
class ForwardChunk:
    """One forward message: each node is a block of text (at most TEXT_LIMIT characters)."""

    nodes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.nodes)


@dataclass(frozen=True)
class FileChunk:
    """A file to upload (a path on the bot's machine, which the client reads) and the text sent
    instead when the client refuses files (where the file was written, or a link)."""

    path: str
    name: str
    fallback: str

    @property
    def text(self) -> str:
        return f"[文件] {self.name}"


Chunk = TextChunk | ForwardChunk | FileChunk


def split_lines(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split on line boundaries into pieces of at most ``limit`` characters; a longer line is cut.

    Empty text gives ``[""]``; joining the pieces with ``"\\n"`` gives the text back when no line
    had to be cut.
    """
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        while len(line) > limit:
            if current is not None:
                pieces.append(current)
                current = None
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = line if current is None else f"{current}\n{line}"
        if len(candidate) > limit:
            pieces.append(current or "")
            current = line
        else:
            current = candidate
    if current is not None:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [""]


def plan_text(parts: Sequence[Part], limit: int = TEXT_LIMIT) -> list[TextChunk]:
    """Ordinary messages for ``parts``: one when short, else split on line boundaries.

    Mentions stay with the text that follows them (a leading @ stays on the first message).
    """
    total = sum(len(p.get("text", "")) for p in parts if p.get("type") == "text")
    if total <= limit:
        return [TextChunk([dict(p) for p in parts])]
    chunks: list[list[Part]] = [[]]
    used = 0
    for part in parts:
        if part.get("type") != "text":
            chunks[-1].append(dict(part))
            continue
        text = str(part.get("text", ""))
        lines = text.split("\n")
        for index, line in enumerate(lines):
            piece = line if index == len(lines) - 1 else line + "\n"
            while piece:
                room = limit - used
                if len(piece) <= room:
                    _append_text(chunks[-1], piece)
                    used += len(piece)
                    piece = ""
                elif used > 0 and len(piece) <= limit:
                    chunks.append([])
                    used = 0
                else:  # a line longer than the limit: cut it
                    if room == 0:
                        chunks.append([])
                        used = 0
                        room = limit
                    _append_text(chunks[-1], piece[:room])
                    used += room
                    piece = piece[room:]
    result: list[TextChunk] = []
    for chunk in chunks:
        cleaned = _strip_trailing_newline(chunk)
        if any(p.get("type") != "text" or p.get("text", "").strip() for p in cleaned):
            result.append(TextChunk(cleaned))
    return result or [TextChunk([{"type": "text", "text": ""}])]


def _append_text(parts: list[Part], text: str) -> None:
    if parts and parts[-1].get("type") == "text":
        parts[-1] = {"type": "text", "text": parts[-1]["text"] + text}
    else:
        parts.append({"type": "text", "text": text})


def _strip_trailing_newline(parts: list[Part]) -> list[Part]:
    if parts and parts[-1].get("type") == "text":
        last = parts[-1]["text"].rstrip("\n")
        return [*parts[:-1], {"type": "text", "text": last}] if last else parts[:-1]
    return parts


def forward_nodes(parts: Sequence[Part], limit: int = TEXT_LIMIT) -> list[str]:
    """The nodes of a forward message: one per text part (long ones split); mentions dropped."""
    nodes: list[str] = []
    for part in parts:
        if part.get("type") != "text":
            continue
        text = str(part.get("text", "")).strip("\n")
        if not text.strip():
            continue
        nodes.extend(piece for piece in split_lines(text, limit) if piece.strip())
    return nodes


def plan_forward(
    parts: Sequence[Part],
    *,
    max_nodes: int = FORWARD_MAX_NODES,
    max_chars: int = FORWARD_MAX_CHARS,
    limit: int = TEXT_LIMIT,
) -> list[ForwardChunk]:
    """Forward messages for ``parts``: nodes batched so that no forward message is too big."""
    batches: list[ForwardChunk] = []
    current: list[str] = []
    chars = 0
    for node in forward_nodes(parts, limit):
        if current and (len(current) >= max_nodes or chars + len(node) > max_chars):
            batches.append(ForwardChunk(current))
            current, chars = [], 0
        current.append(node)
        chars += len(node)
    if current:
        batches.append(ForwardChunk(current))
    return batches


def plan(parts: Sequence[Part], as_forward: bool) -> list[Chunk]:
    """The calls one outbox message needs, in order (a message with files: one upload each)."""
    files = [p for p in parts if p.get("type") == "file"]
    if files:
        return [
            FileChunk(str(f["path"]), str(f.get("name") or ""), str(f.get("fallback") or ""))
            for f in files
        ]
    if as_forward:
        forward = plan_forward(parts)
        if forward:
            return list(forward)
    return list(plan_text(parts))


def fallback_parts(parts: Sequence[Part], from_chunk: int = 0) -> list[Part]:
    """Plain-text parts for a forward message the client refused, from forward chunk
    ``from_chunk`` on (earlier forward chunks were delivered): nodes separated by a blank line."""
    remaining = [node for chunk in plan_forward(parts)[from_chunk:] for node in chunk.nodes]
    return [{"type": "text", "text": FALLBACK_SEPARATOR.join(remaining)}]
