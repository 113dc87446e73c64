"""Keyword extraction without ``jieba.analyse``.

``jieba.analyse`` loads its own IDF table (~90 MB on top of jieba's ~94 MB, FIELD-NOTES.md).
Instead: damped term frequency (title words weighted higher) times an idf that comes from the
similarity index's own document frequencies when one is given, smoothed towards a prior drawn
from jieba's dictionary frequencies (already in memory). Stop words (the proposal boilerplate
in ``data/stopwords.txt``) never appear.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from bot.core.text.segmenter import document_prior, is_known, tokenize

if TYPE_CHECKING:
    from bot.core.text.similarity import SimilarityIndex

TITLE_WEIGHT = 3.0
#: Words jieba does not know (found by its HMM) are often fragments (仍往) rather than terms.
UNKNOWN_WORD_FACTOR = 0.5


def extract_keywords(
    text: str,
    k: int = 8,
    *,
    title: str = "",
    index: SimilarityIndex | None = None,
    kind: str = "proposal",
) -> list[str]:
    """Up to ``k`` keywords of a text, most characteristic first.

    With ``index``, words common among the indexed ``kind`` documents rank lower. A word
    contained in a better-ranked keyword (``污水`` under ``生活污水``) is left out.
    """
    if k <= 0:
        return []
    counts: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    position = 0
    for part, factor in ((title, TITLE_WEIGHT), (text, 1.0)):
        if not part:
            continue
        for token in tokenize(part):
            counts[token] += factor
            first_seen.setdefault(token, position)
            position += 1
    if not counts:
        return []

    def idf(term: str) -> float:
        value = index.idf(term, kind) if index is not None else -math.log(document_prior(term))
        return value if is_known(term) else value * UNKNOWN_WORD_FACTOR

    ranked = sorted(
        counts,
        key=lambda term: (-math.log1p(counts[term]) * idf(term), first_seen[term]),
    )
    chosen: list[str] = []
    for term in ranked:
        if any(term in better for better in chosen):
            continue
        chosen.append(term)
        if len(chosen) == k:
            break
    return chosen
