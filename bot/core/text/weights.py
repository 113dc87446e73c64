"""Term weighting for the similarity index: damped term frequencies, and inverse document
frequencies smoothed towards a prior from jieba's dictionary.

Documents are bags of content words (see :mod:`bot.core.text.segmenter`), plus the dictionary
words inside compounds at half weight, with title words counted :data:`TITLE_WEIGHT` times.
Term frequency is damped (``log1p``); inverse document frequency is smoothed towards a prior
taken from jieba's dictionary, so scores mean the same thing in a county with 30 proposals and
at national scale::

    idf(t) = ln((N + K) / (df(t) + K * prior(t)))        K = PRIOR_DOCS pseudo-documents
"""

from __future__ import annotations

import math
from collections import defaultdict

from bot.core.text.segmenter import subwords, tokenize

TITLE_WEIGHT = 3.0
SUBWORD_WEIGHT = 0.5
PRIOR_DOCS = 200.0


def term_weights(text: str, title: str = "") -> dict[str, float]:
    """Damped term weights of a document (title words count :data:`TITLE_WEIGHT` times)."""
    raw: dict[str, float] = defaultdict(float)
    for part, factor in ((text, 1.0), (title, TITLE_WEIGHT)):
        if not part:
            continue
        for token in tokenize(part):
            raw[token] += factor
            for sub in subwords(token):
                raw[sub] += factor * SUBWORD_WEIGHT
    return {term: math.log1p(count) for term, count in raw.items()}


def smoothed_idf(count: int, df: int, prior: float) -> float:
    """``idf`` of a term in ``df`` of ``count`` documents, with the term's dictionary prior."""
    return math.log((count + PRIOR_DOCS) / (df + PRIOR_DOCS * prior))
