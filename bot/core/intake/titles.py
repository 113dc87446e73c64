"""Titles of posts: the first line cleaned of wrappers and labels, cut on a natural boundary, or
derived from the first sentence when there is none."""

from __future__ import annotations

import re

TITLE_MAX = 60
"""Longest title; a cut title gets a trailing "…" (so at most 61 characters)."""
_SENTENCE_SPLIT_RE = re.compile(r"[。！？!?；;\n]")
_TITLE_LABEL_RE = re.compile(r"^(?:标题|题目)\s*[：:]\s*")
_TITLE_LEAD_JUNK = " :：,，、.。;；-—_~～·"
TITLE_TRAIL_PUNCT = " 。．.！!？?；;，,、：:～~…-—_·"
_WRAPPERS = {"《": "》", "“": "”", '"': '"', "「": "」", "『": "』", "【": "】", "[": "]"}
_BREAK_AFTER = frozenset("）)》」』”’】]")
_BREAK_AT = frozenset("，,、：: —")
_MIN_CUT = 20


def clean_title(text: str) -> str:
    """A title line without wrappers (《》, quotes), labels (标题：) and surrounding punctuation."""
    title = " ".join(text.split())
    previous = None
    while title != previous:
        previous = title
        title = _TITLE_LABEL_RE.sub("", title)
        title = title.lstrip(_TITLE_LEAD_JUNK).rstrip(TITLE_TRAIL_PUNCT)
        if len(title) >= 2 and title[0] in _WRAPPERS:
            close = _WRAPPERS[title[0]]
            inner = title[1:-1]
            if title[-1] == close and title[0] not in inner and close not in inner:
                title = inner.strip()
    return title


def truncate_title(title: str, limit: int = TITLE_MAX) -> str:
    """Cut a title to ``limit`` characters on a natural boundary, adding "…" when cut."""
    if len(title) <= limit:
        return title
    window = title[:limit]
    cut = window
    for i in range(len(window) - 1, _MIN_CUT - 1, -1):
        ch = window[i]
        if ch in _BREAK_AFTER:
            cut = window[: i + 1]
            break
        if ch in _BREAK_AT:
            cut = window[:i]
            break
    cut = cut.rstrip(TITLE_TRAIL_PUNCT) or window
    return cut + "…"


def derive_title(text: str) -> str:
    """A title from the first sentence of ``text`` (at most ``TITLE_MAX`` + 1 characters)."""
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        title = clean_title(sentence)
        if title:
            return truncate_title(title)
    fallback = " ".join(text.split())
    return truncate_title(fallback) if fallback else "（无标题）"
