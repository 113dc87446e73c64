"""Message segments and CQ codes, as OneBot V11 clients write and read them."""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

Segment = dict[str, Any]

_UNESCAPE_RE = re.compile(r"&(amp|#91|#93|#44);")
_UNESCAPE_MAP = {"amp": "&", "#91": "[", "#93": "]", "#44": ","}
_CQ_RE = re.compile(r"\[CQ:(?P<type>[a-zA-Z0-9-_.]+)(?P<params>(?:,[a-zA-Z0-9-_.]+=[^,\]]*)*),?\]")


def escape_cq(text: str, *, escape_comma: bool = True) -> str:
    """Escape ``&``, ``[``, ``]`` (and ``,`` unless told not to) for CQ code."""
    text = text.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;")
    if escape_comma:
        text = text.replace(",", "&#44;")
    return text


def unescape_cq(text: str) -> str:
    """Undo :func:`escape_cq` in one pass (so ``&amp;#91;`` becomes ``&#91;``, not ``[``)."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPE_MAP[m.group(1)], text)


def parse_cq(message: str) -> list[Segment]:
    """Parse a CQ-coded string into segment dicts (all data values are strings)."""
    segments: list[Segment] = []
    pos = 0
    for match in _CQ_RE.finditer(message):
        if match.start() > pos:
            segments.append(text_segment(unescape_cq(message[pos : match.start()])))
        data: dict[str, Any] = {}
        for item in match.group("params").split(","):
            if item:
                key, _, value = item.partition("=")
                data[key.strip()] = unescape_cq(value)
        segments.append({"type": match.group("type"), "data": data})
        pos = match.end()
    if pos < len(message):
        segments.append(text_segment(unescape_cq(message[pos:])))
    return segments


def segments_to_cq(segments: Iterable[Segment]) -> str:
    """Render segment dicts as a CQ-coded string (the ``raw_message`` of an event)."""
    parts: list[str] = []
    for seg in segments:
        data = seg.get("data") or {}
        if seg.get("type") == "text":
            parts.append(escape_cq(str(data.get("text", "")), escape_comma=False))
            continue
        params = ",".join(
            f"{key}={escape_cq(_cq_value(value))}"
            for key, value in data.items()
            if value is not None
        )
        parts.append(f"[CQ:{seg.get('type')}{',' if params else ''}{params}]")
    return "".join(parts)


def _cq_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def text_segment(text: str) -> Segment:
    return {"type": "text", "data": {"text": text}}


def normalise_message(message: Any, *, auto_escape: bool = False) -> list[Segment]:
    """Turn any OneBot message value (CQ string, one segment, segment list) into segments."""
    if message is None:
        return []
    if isinstance(message, str):
        return [text_segment(message)] if auto_escape else parse_cq(message)
    if isinstance(message, dict):
        message = [message]
    segments: list[Segment] = []
    for seg in message:
        if isinstance(seg, str):
            segments.extend(parse_cq(seg))
            continue
        if not isinstance(seg, dict) or "type" not in seg:
            raise ValueError(f"not a message segment: {seg!r}")
        data = copy.deepcopy(seg.get("data") or {})
        segments.append({"type": str(seg["type"]), "data": data})
    return segments


def plain_text(segments: Iterable[Segment]) -> str:
    return "".join(
        str((seg.get("data") or {}).get("text", "")) for seg in segments if seg["type"] == "text"
    )
