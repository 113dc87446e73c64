"""Term weights as a record stores them (``record_terms.terms``), so that building the
similarity index reads them instead of cutting the text again (~2 ms a proposal, ~145 s at
national scale).

A weight is ``log1p(count)`` (bot/core/text/weights.py) where ``count`` is a sum of 1, 3 (title),
0.5 and 1.5 (subwords): a whole number of halves. The text stores that number, and decoding
gives back the very same floats, in the same order (the index's vocabulary and truncation
depend on it): ``{"污水": 7, ...}`` as compact JSON. A weight that is not a whole number of
halves (none today) is stored as the float itself, still exactly.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from bot.core.text.vectors import content_digest


def text_digest(kind: str, title: str, body: str) -> str:
    """What tells that stored weights belong to this text (hex of the index's own digest)."""
    return content_digest(kind, title, body).hex()


def _halves(weight: float) -> int | float:
    halves = round(math.expm1(weight) * 2)
    return halves if _weight(halves) == weight else weight


@lru_cache(maxsize=4096)
def _weight(halves: int) -> float:
    return math.log1p(halves / 2)


def encode_weights(weights: dict[str, float]) -> str:
    return json.dumps(
        {term: _halves(weight) for term, weight in weights.items()},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_weights(text: str) -> dict[str, float] | None:
    """The weights :func:`encode_weights` stored; None when the text is not such a thing."""
    try:
        stored = json.loads(text)
    except ValueError:
        return None
    if not isinstance(stored, dict):
        return None
    weight = _weight
    try:
        return {
            term: weight(value) if type(value) is int else float(value)
            for term, value in stored.items()
        }
    except (TypeError, ValueError):
        return None
