"""Similar-proposal search: an in-memory TF-IDF index kept up to date as records change.

The pieces: term weighting in :mod:`bot.core.text.weights` (damped tf, idf smoothed towards a
dictionary prior), the storage on numpy in :mod:`bot.core.text.vectors` (one slot per document:
its :data:`MAX_TERMS` strongest terms, postings per kind, year and term, norms), the snapshot
file in :mod:`bot.core.text.snapshot`, and the query here. A query:

1. builds its own vector the same way (same truncation, so a document matches itself at 1.0);
2. takes its :data:`QUERY_TERMS` strongest terms that occur in the index and concatenates
   their postings for the requested years; ``np.bincount`` over the slots, weighted by posting
   weight x query coefficient, gives every document hit its partial dot product (on the terms
   probed). Bounds on the work: a term's postings are cut to the most recent
   :data:`MAX_POSTINGS`, and past the :data:`MIN_PROBE_TERMS` strongest terms, a term whose
   postings would take the total over :data:`POSTINGS_BUDGET` is skipped;
3. takes the :data:`MAX_CANDIDATES` documents with the best partial cosine (partial dot
   product / document norm, the norm possibly from an older epoch: see below) and scores
   them by exact cosine, vectorised: their matrix rows gather the query's coefficients from a
   dense array over the vocabulary (zero between queries).

At national scale (60,000 proposals, this year and last) a query takes ~0.75 ms; the exact
cosine of the final step is the one :data:`DEFAULT_MIN_SCORE` was calibrated with.

Document norms are recomputed lazily as idf drifts (bot/core/text/vectors.py); step 3 ranks by
the stored norm as is, and computes exact scores with up-to-date ones.

Start-up at national scale is dominated by tokenisation (~2-3 ms a proposal): :meth:`save`
writes the term vectors to a snapshot and :meth:`load` reads them back; :meth:`add` skips a
document whose title, text and year are unchanged, so re-adding every record after a load
only tokenises what changed. A new post is tokenised once: ``term_weights(text, title)`` can be
passed to both :meth:`query` and :meth:`add` (``weights=``).

Thread-safe: tokenisation runs outside the lock; index updates and lookups inside it.
"""

from __future__ import annotations

import heapq
import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.core.text.segmenter import document_prior
from bot.core.text.snapshot import read_snapshot, write_snapshot
from bot.core.text.vectors import (
    _SCALE,
    _WEIGHT_BITS,
    _WEIGHT_MASK,
    MAX_TERMS,
    TermVectors,
    _Kind,
    content_digest,
)
from bot.core.text.weights import PRIOR_DOCS, smoothed_idf, term_weights

if TYPE_CHECKING:
    from array import array
    from collections.abc import Collection, Iterable
    from pathlib import Path

    from numpy.typing import NDArray

logger = logging.getLogger(__name__)

#: Cosine score from which two texts count as "about the same matter". Calibrated on realistic
#: pairs in tests/core/text/test_similarity.py: rewordings of one matter score ~0.4-0.6,
#: neighbouring matters (rural sewage vs the county sewage plant, community elderly care vs
#: meal service for the elderly) ~0.1-0.2, different matters in one broad area < 0.1.
DEFAULT_MIN_SCORE = 0.3
QUERY_TERMS = 24
MAX_CANDIDATES = 384
MAX_POSTINGS = 12_000
POSTINGS_BUDGET = 40_000
MIN_PROBE_TERMS = 6


StoredWeights = tuple[str, int, int, bytes, dict[str, float]]
"""(kind, doc id, year, content digest, term weights): a document
:meth:`SimilarityIndex.add_many` takes."""


@dataclass(frozen=True, slots=True)
class Match:
    """A similar document and its cosine score (0..1)."""

    doc_id: int
    score: float


def _best(
    indices: NDArray[np.intp], values: NDArray[np.float64], n: int, *, all_ties: bool
) -> NDArray[np.intp]:
    """The ``indices`` of the ``n`` largest ``values`` (parallel arrays); with ``all_ties``
    also any more tied with the ``n``-th (else the first of those, to keep at most ``n``)."""
    if len(values) <= n:
        return indices
    threshold = np.partition(values, -n)[-n]
    if all_ties:
        return indices[values >= threshold]
    above = indices[values > threshold]
    return np.concatenate([above, indices[values == threshold][: n - len(above)]])


class SimilarityIndex(TermVectors):
    """TF-IDF cosine index over proposals (or opinions, topics: ``kind``), by year.

    Documents are identified by ``(kind, doc_id)``: ids of different kinds never collide.
    """

    # ---- statistics ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        """``doc_id in index`` (kind "proposal") or ``(kind, doc_id) in index``."""
        if isinstance(key, tuple):
            return key in self._slot_of
        return ("proposal", key) in self._slot_of

    def count(self, kind: str = "proposal") -> int:
        """Number of documents of one kind."""
        state = self._kinds.get(kind)
        return state.count if state else 0

    def doc_ids(self, kind: str = "proposal") -> set[int]:
        """Ids of the indexed documents of one kind (to reconcile with the database)."""
        with self._lock:
            return {doc_id for k, doc_id in self._slot_of if k == kind}

    def idf(self, term: str, kind: str = "proposal") -> float:
        """Smoothed inverse document frequency of a (normalised) term among ``kind`` documents."""
        with self._lock:
            state = self._kinds.get(kind)
            term_id = self._vocab.get(term)
            df = 0
            if state is not None and term_id is not None and term_id < len(state.df):
                df = state.df[term_id]
            count = state.count if state else 0
            return smoothed_idf(count, df, document_prior(term))

    # ---- updates -------------------------------------------------------------------------

    def add(
        self,
        doc_id: int,
        text: str,
        *,
        year: int,
        kind: str = "proposal",
        title: str = "",
        weights: dict[str, float] | None = None,
    ) -> None:
        """Index a document; re-adding the same ``(kind, doc_id)`` replaces it.

        ``title`` is weighted higher than ``text`` (the body); do not repeat it in ``text``.
        ``weights``: ``term_weights(text, title)`` if the caller already has it (then nothing
        is tokenised here). Otherwise tokenises (~1-3 ms for a typical proposal) unless title,
        text and year are unchanged: call it off the event loop when adding in bulk.
        """
        digest = content_digest(kind, title, text)
        with self._lock:
            slot = self._slot_of.get((kind, doc_id))
            if slot is not None and self._digest[slot] == digest and self._year[slot] == year:
                return
        if weights is None:
            weights = term_weights(text, title)
        with self._lock:
            self._store(kind, doc_id, year, digest, weights)

    def unchanged(self, doc_id: int, kind: str, year: int, title: str, text: str) -> bool:
        """Whether the document is indexed with this very title, text and year."""
        return self.holds(doc_id, kind, year, content_digest(kind, title, text))

    def holds(self, doc_id: int, kind: str, year: int, digest: bytes) -> bool:
        """Whether the document is indexed with this year and ``content_digest``."""
        with self._lock:
            slot = self._slot_of.get((kind, doc_id))
            return slot is not None and self._digest[slot] == digest and self._year[slot] == year

    def add_many(self, docs: Iterable[StoredWeights], *, refresh: bool = True) -> None:
        """Index documents whose weights are known (``(kind, doc_id, year, digest, weights)``,
        the digest being ``content_digest(kind, title, text)``, e.g. stored with the records):
        as :meth:`add` for each in turn, under one lock, and the norms computed once at the
        end (``refresh``; else call :meth:`refresh` before querying, as a bulk build does once
        after its last batch)."""
        with self._lock:
            for kind, doc_id, year, digest, weights in docs:
                slot = self._slot_of.get((kind, doc_id))
                if slot is not None and self._digest[slot] == digest and self._year[slot] == year:
                    continue
                self._store(kind, doc_id, year, digest, weights, norms=False)
            if refresh:
                self.refresh()

    def remove(self, doc_id: int, *, kind: str = "proposal") -> None:
        """Forget a document (no error if it is not indexed)."""
        with self._lock:
            self._remove(kind, doc_id)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            fresh = SimilarityIndex()
            for name, value in vars(fresh).items():
                if name != "_lock":
                    setattr(self, name, value)

    # ---- snapshots -----------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write the term vectors to ``path`` (atomically), for a fast :meth:`load` at start.

        The snapshot is tied to the dictionary and stop words in use (see
        ``engine_signature``); it is a cache, not a record: keep the truth in the database.
        """
        with self._lock:
            terms, docs = self._export()
        write_snapshot(path, terms, docs)

    @classmethod
    def load(cls, path: Path | str) -> SimilarityIndex:
        """An index read from a :meth:`save` snapshot; an empty one if the file is missing,
        unreadable or was made with another dictionary (then re-add every record)."""
        index = cls()
        stored = read_snapshot(path)
        if stored is None:
            return index
        try:
            with index._lock:
                index._import(*stored)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            logger.warning("similarity snapshot %s is damaged (%s); rebuilding", path, exc)
            return cls()
        return index

    # ---- queries -------------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        years: Collection[int] | None,
        kind: str = "proposal",
        k: int = 3,
        min_score: float = DEFAULT_MIN_SCORE,
        exclude: Collection[int] = (),
        title: str = "",
        weights: dict[str, float] | None = None,
    ) -> list[Match]:
        """The ``k`` documents of ``kind`` from ``years`` (None: all) most similar to the text,
        best first, scoring at least ``min_score``; ``exclude`` lists doc ids to skip.

        ``weights``: ``term_weights(text, title)`` if the caller already has it (then ``text``
        and ``title`` are not looked at).
        """
        if k <= 0:
            return []
        if weights is None:
            weights = term_weights(text, title)
        if not weights:
            return []
        with self._lock:
            state = self._kinds.get(kind)
            if state is None or state.count == 0:
                return []
            if years is None:
                parts = list(state.years.values())
            else:
                parts = [state.years[y] for y in set(years) if y in state.years]
            if not parts:
                return []
            results = self._search(state, parts, weights, kind, k, exclude, min_score)
        best = heapq.nlargest(k, results)
        return [Match(doc_id, round(min(score, 1.0), 4)) for score, doc_id in best]

    # ---- internals -----------------------------------------------------------------------

    def _search(
        self,
        state: _Kind,
        parts: list[dict[int, array[int]]],
        weights: dict[str, float],
        kind: str,
        k: int,
        exclude: Collection[int],
        min_score: float,
    ) -> list[tuple[float, int]]:
        """(score, doc id) of the best candidates scoring at least ``min_score``: at least the
        ``k`` best if there are as many, with any tied with the k-th (under the lock)."""
        scored = self._query_vector(state, weights)
        query_norm = math.sqrt(sum((w * idf) ** 2 for _, w, idf in scored))
        # dot products use stored byte weights: fold their scale into the query side
        df = state.df
        terms = [(tid, w * idf * idf / _SCALE) for tid, w, idf in scored if tid is not None]
        terms = [(tid, coefficient) for tid, coefficient in terms if df[tid] > 0]
        if not terms or query_norm == 0.0:
            return []
        # 1. partial dot products over the postings of the strongest terms
        dots = self._partial_dots(parts, terms)
        if dots is None:
            return []
        for doc_id in exclude:
            slot = self._slot_of.get((kind, doc_id))
            if slot is not None:
                dots[slot] = 0.0
        # 2. candidates: the best partial cosines (norms possibly from an older epoch). Only
        # the documents hit are ranked: np.partition is slow on arrays of mostly zeros.
        hit = np.flatnonzero(dots > 0.0)
        partial_cosines = dots[hit] / self._norm[hit]
        candidates = _best(hit, partial_cosines, MAX_CANDIDATES, all_ties=False)
        if not candidates.size:
            return []
        # 3. exact cosine of the candidates; the k best (and ties: the caller picks by doc id)
        dots = self._dots(candidates, terms)
        scores = dots / (query_norm * self._exact_norms(state, candidates))
        passed = np.flatnonzero((dots > 0.0) & (scores >= min_score))
        passed = _best(passed, scores[passed], k, all_ties=True)
        results: list[tuple[float, int]] = []
        for slot, score in zip(candidates[passed].tolist(), scores[passed].tolist(), strict=True):
            key = self._key[slot]
            assert key is not None
            results.append((score, key[1]))
        return results

    def _partial_dots(
        self, parts: list[dict[int, array[int]]], terms: list[tuple[int, float]]
    ) -> NDArray[np.float64] | None:
        """Every slot's dot product with the query on the terms probed (None: none probed)."""
        chunks: list[array[int]] = []
        sizes: list[int] = []
        coefficients: list[float] = []
        budget = POSTINGS_BUDGET
        for rank, (term_id, coefficient) in enumerate(terms[:QUERY_TERMS]):
            found = [plist for part in parts if (plist := part.get(term_id))]
            size = sum(map(len, found))
            if rank >= MIN_PROBE_TERMS and size > budget:
                continue  # a common term past the strongest few: not worth its postings
            if size > MAX_POSTINGS:  # keep each year's most recent entries
                share = max(1, MAX_POSTINGS // len(found))
                found = [plist[-share:] for plist in found]
                size = sum(map(len, found))
            budget -= size
            chunks.extend(found)
            sizes.append(size)
            coefficients.append(coefficient)
        if not chunks:
            return None
        postings = np.frombuffer(b"".join(chunks), dtype=np.uint32)
        partial = (postings & _WEIGHT_MASK) * np.repeat(coefficients, sizes)
        dots: NDArray[np.float64] = np.bincount(
            postings >> _WEIGHT_BITS, weights=partial, minlength=len(self._key)
        )
        return dots

    def _query_vector(
        self, state: _Kind, weights: dict[str, float]
    ) -> list[tuple[int | None, float, float]]:
        """(term id or None if unseen, weight, idf), strongest first, truncated like documents."""
        count = state.count + PRIOR_DOCS
        vocabulary, df, prior, log = self._vocab, state.df, self._prior, math.log
        known = len(df)  # ids from there on: terms only other kinds have used so far
        scored: list[tuple[int | None, float, float]] = []
        for term, weight in weights.items():
            term_id = vocabulary.get(term)
            if term_id is None or term_id >= known:
                scored.append((None, weight, log(count / (PRIOR_DOCS * document_prior(term)))))
            else:  # as _idf()
                idf = log(count / (df[term_id] + PRIOR_DOCS * prior[term_id]))
                scored.append((term_id, weight, idf))
        scored.sort(key=lambda item: item[1] * item[2], reverse=True)
        return scored[:MAX_TERMS]
