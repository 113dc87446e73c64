"""Incoming text made safe once, at the edge, before any command or post sees it.

Chat clients deliver text the rest of the bot cannot store or would misread:

- lone surrogates (``"\\ud800"`` is valid JSON, but no UTF-8 encoder takes it: SQLite, hashing
  and the OneBot client all fail) become U+FFFD; a surrogate pair is joined into its character;
- control characters become nothing (NUL is refused by PostgreSQL), except the tab;
- every line break Unicode knows (``\\r\\n``, ``\\r``, U+2028, U+2029, NEL, vertical tab, form
  feed, the C0 separators) becomes ``\\n``, so a title line ends where the member saw it end;
- zero-width and direction-control characters (U+200B…U+200F, U+202A…U+202E, U+2060…U+2064,
  U+2066…U+2069, U+FEFF, U+00AD, U+180E) are dropped: invisible, they only make a command word
  or a tag fail to match (``​委员``). A zero-width joiner inside an emoji sequence goes too, which
  only shows the emoji's parts side by side.

Ordinary text (no such character) is returned as it is after one regex search.
"""

from __future__ import annotations

import re

_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_CONTROLS = "\x00-\x08\x0e-\x1b\x1f\x7f"
_SUSPECT = re.compile(f"[{_LINE_BREAKS}{_INVISIBLE}{_CONTROLS}\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAK = re.compile(f"\r\n|[{_LINE_BREAKS}]")
_DROPPED = re.compile(f"[{_INVISIBLE}{_CONTROLS}]")

REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` with the characters described in the module docstring replaced or dropped."""
    if _SUSPECT.search(text) is None:
        return text
    if _SURROGATE.search(text) is not None:
        # joins valid pairs (they arrive split from some encoders), replaces the lone ones
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = _BREAK.sub("\n", text)
    return _DROPPED.sub("", text)


TRAILING_PUNCTUATION = "。．.，,、；;：:！!？?…~～·"
"""What people end a number or a time with (``查提案 2。``, ``立案 17！``, ``09:00。``)."""


def strip_trailing_punctuation(text: str) -> str:
    """``17。`` -> ``17``; white space around is dropped too. Every number argument goes
    through this (record numbers, ranges, lists, times, deadlines)."""
    return text.strip().rstrip(TRAILING_PUNCTUATION).rstrip()
