"""Similar-proposal search: an in-memory TF-IDF index kept up to date as records change.

Documents are bags of content words (see :mod:`bot.core.text.segmenter`), plus the dictionary
words inside compounds at half weight, with title words counted :data:`TITLE_WEIGHT` times.
Term frequency is damped (``log1p``); inverse document frequency is smoothed towards a prior
taken from jieba's dictionary, so scores mean the same thing in a county with 30 proposals and
at national scale::

    idf(t) = ln((N + K) / (df(t) + K * prior(t)))        K = PRIOR_DOCS pseudo-documents

Each document keeps only its :data:`MAX_TERMS` strongest terms (memory): its vector is one row
of two numpy matrices (term ids, and weights stored as bytes), and each term-document pair is a
posting ``slot << 8 | byte weight`` (one uint32) in a postings list per kind, year and term.
A query:

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

Document norms depend on idf, which drifts as documents are added; each norm is recomputed
lazily when the collection has grown or shrunk by more than ~5 % since it was computed
(:meth:`SimilarityIndex.refresh` recomputes all of them, e.g. after a bulk load). Step 3 ranks
by the stored norm as is, and computes exact scores with up-to-date ones.

Start-up at national scale is dominated by tokenisation (~2-3 ms a proposal): :meth:`save`
writes the term vectors to a snapshot and :meth:`load` reads them back; :meth:`add` skips a
document whose title, text and year are unchanged, so re-adding every record after a load
only tokenises what changed. A new post is tokenised once: ``term_weights(text, title)`` can be
passed to both :meth:`query` and :meth:`add` (``weights=``).

Slots (one per indexed document, reused after removal) are 24-bit numbers: at most ~16.7
million documents at a time, far beyond what fits in memory this way anyway.

Thread-safe: tokenisation runs outside the lock; index updates and lookups inside it.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import marshal
import math
import os
import threading
from array import array
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bot.core.text.segmenter import document_prior, engine_signature, subwords, tokenize

logger = logging.getLogger(__name__)

#: Cosine score from which two texts count as "about the same matter". Calibrated on realistic
#: pairs in tests/core/text/test_similarity.py: rewordings of one matter score ~0.4-0.6,
#: neighbouring matters (rural sewage vs the county sewage plant, community elderly care vs
#: meal service for the elderly) ~0.1-0.2, different matters in one broad area < 0.1.
DEFAULT_MIN_SCORE = 0.3
TITLE_WEIGHT = 3.0
SUBWORD_WEIGHT = 0.5
MAX_TERMS = 64
QUERY_TERMS = 24
MAX_CANDIDATES = 384
MAX_POSTINGS = 12_000
POSTINGS_BUDGET = 40_000
MIN_PROBE_TERMS = 6
PRIOR_DOCS = 200.0
_EPOCH_STEP = math.log(1.05)
# Term weights are stored as bytes: round(weight * _SCALE), 1..255 (log1p weights stay < 8).
_SCALE = 32.0
# A posting is one uint32: slot << _WEIGHT_BITS | the term's byte weight in that document.
_WEIGHT_BITS = 8
_WEIGHT_MASK = (1 << _WEIGHT_BITS) - 1
_MAX_SLOTS = 1 << (32 - _WEIGHT_BITS)
_SNAPSHOT_FORMAT = 1
_NORM_BATCH = 4096


@dataclass(frozen=True, slots=True)
class Match:
    """A similar document and its cosine score (0..1)."""

    doc_id: int
    score: float


@dataclass(slots=True)
class _Kind:
    """Per-kind statistics and postings: {year: {term id: array of packed postings}}."""

    df: array[int] = field(default_factory=lambda: array("q"))
    count: int = 0
    epoch: int = 0
    years: dict[int, dict[int, array[int]]] = field(default_factory=dict)

    def update_epoch(self) -> None:
        self.epoch = int(math.log(self.count + PRIOR_DOCS) / _EPOCH_STEP)


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


def _digest(kind: str, title: str, text: str) -> bytes:
    return hashlib.blake2b(f"{kind}\0{title}\0{text}".encode(), digest_size=8).digest()


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


class SimilarityIndex:
    """TF-IDF cosine index over proposals (or opinions, topics: ``kind``), by year.

    Documents are identified by ``(kind, doc_id)``: ids of different kinds never collide.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._vocab: dict[str, int] = {}
        self._term_of: list[str] = []
        self._prior: array[float] = array("d")
        self._kinds: dict[str, _Kind] = {}
        self._slot_of: dict[tuple[str, int], int] = {}
        self._free: list[int] = []
        # per slot: parallel lists, and numpy arrays with room for more slots. A document's
        # vector is a row of _terms and _weights, padded with zeros (term 0 at weight 0).
        self._key: list[tuple[str, int] | None] = []
        self._year: list[int] = []
        self._digest: list[bytes] = []
        self._length: NDArray[np.uint16] = np.zeros(0, dtype=np.uint16)
        self._terms: NDArray[np.uint32] = np.zeros((0, MAX_TERMS), dtype=np.uint32)
        self._weights: NDArray[np.uint8] = np.zeros((0, MAX_TERMS), dtype=np.uint8)
        self._norm: NDArray[np.float64] = np.ones(0)
        self._norm_epoch: NDArray[np.int64] = np.full(0, -1, dtype=np.int64)
        # a query's dot-product coefficients by term id, zero between queries
        self._coefficients: NDArray[np.float64] = np.zeros(0)

    # state.df and _prior are array.array (cheap to grow one item at a time); numpy reads them
    # through np.frombuffer. Such a view stops the array from growing (BufferError) as long as
    # it lives, so they are only ever temporaries within one expression.

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
            return math.log((count + PRIOR_DOCS) / (df + PRIOR_DOCS * document_prior(term)))

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
        digest = _digest(kind, title, text)
        with self._lock:
            slot = self._slot_of.get((kind, doc_id))
            if slot is not None and self._digest[slot] == digest and self._year[slot] == year:
                return
        if weights is None:
            weights = term_weights(text, title)
        with self._lock:
            self._remove(kind, doc_id)
            state = self._state(kind)
            ids = [self._term_id(term) for term in weights]
            if len(state.df) < len(self._prior):
                state.df.extend(repeat(0, len(self._prior) - len(state.df)))
            kept = self._truncate(state, ids, list(weights.values()))
            slot = self._insert(
                kind,
                doc_id,
                year,
                digest,
                [term_id for term_id, _ in kept],
                array("B", (min(255, max(1, round(w * _SCALE))) for _, w in kept)),
            )
            # a norm for ranking candidates at once; the exact one is still computed on first
            # use (epoch -1), with the idf of that moment, as for every other document
            self._compute_norms(state, [slot])
            self._norm_epoch[slot] = -1

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

    def refresh(self) -> None:
        """Recompute every document norm with the current idf (after a bulk load, say)."""
        with self._lock:
            slots: dict[str, list[int]] = {kind: [] for kind in self._kinds}
            for slot, key in enumerate(self._key):
                if key is not None:
                    slots[key[0]].append(slot)
            for kind, state in self._kinds.items():
                for start in range(0, len(slots[kind]), _NORM_BATCH):  # bounded temporaries
                    self._compute_norms(state, slots[kind][start : start + _NORM_BATCH])

    # ---- snapshots -----------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Write the term vectors to ``path`` (atomically), for a fast :meth:`load` at start.

        The snapshot is tied to the dictionary and stop words in use (see
        ``engine_signature``); it is a cache, not a record: keep the truth in the database.
        """
        path = Path(path)
        with self._lock:
            sizes = self._length[: len(self._key)].tolist()
            docs = [
                (str.__str__(key[0]), key[1], self._year[slot], self._digest[slot],
                 self._terms[slot, :size].tobytes(), self._weights[slot, :size].tobytes())
                for slot, (key, size) in enumerate(zip(self._key, sizes, strict=True))
                if key is not None
            ]  # fmt: skip
            payload = {
                "format": _SNAPSHOT_FORMAT,
                "signature": engine_signature(),
                "terms": list(self._term_of),
                "docs": docs,
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(payload))
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path | str) -> SimilarityIndex:
        """An index read from a :meth:`save` snapshot; an empty one if the file is missing,
        unreadable or was made with another dictionary (then re-add every record)."""
        index = cls()
        path = Path(path)
        try:
            payload = marshal.loads(path.read_bytes())
        except FileNotFoundError:
            return index
        except (OSError, EOFError, ValueError, TypeError) as exc:
            logger.warning("similarity snapshot %s unreadable (%s); rebuilding", path, exc)
            return index
        if not isinstance(payload, dict) or payload.get("format") != _SNAPSHOT_FORMAT:
            logger.warning("similarity snapshot %s has an unknown format; rebuilding", path)
            return index
        if payload.get("signature") != engine_signature():
            logger.info("similarity snapshot %s made with another dictionary; rebuilding", path)
            return index
        try:
            with index._lock:
                ids = [index._term_id(term) for term in payload["terms"]]
                for kind, doc_id, year, digest, terms, weights in payload["docs"]:
                    state = index._state(kind)
                    if len(state.df) < len(ids):
                        state.df.extend(repeat(0, len(ids) - len(state.df)))
                    stored = array("I")
                    stored.frombytes(terms)
                    term_ids = [ids[term_id] for term_id in stored]
                    index._insert(kind, doc_id, year, digest, term_ids, array("B", weights))
                index.refresh()
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
            return []
        postings = np.frombuffer(b"".join(chunks), dtype=np.uint32)
        partial = (postings & _WEIGHT_MASK) * np.repeat(coefficients, sizes)
        dots = np.bincount(postings >> _WEIGHT_BITS, weights=partial, minlength=len(self._key))
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

    def _dots(self, slots: NDArray[np.intp], terms: list[tuple[int, float]]) -> NDArray[np.float64]:
        """Dot products of documents with the query (``terms``: term id, coefficient)."""
        if len(self._coefficients) < len(self._term_of):
            self._coefficients = np.zeros(2 * len(self._term_of))
        query_ids = np.fromiter((tid for tid, _ in terms), dtype=np.intp, count=len(terms))
        coefficients = self._coefficients
        coefficients[query_ids] = [coefficient for _, coefficient in terms]
        try:
            products = np.take(coefficients, self._terms[slots]) * self._weights[slots]
        finally:
            coefficients[query_ids] = 0.0
        return products.sum(axis=1)

    def _exact_norms(self, state: _Kind, slots: NDArray[np.intp]) -> NDArray[np.float64]:
        """Norms of documents of ``state``, recomputing those from an older epoch."""
        stale = slots[self._norm_epoch[slots] != state.epoch]
        if stale.size:
            self._compute_norms(state, stale)
        return self._norm[slots]

    def _compute_norms(self, state: _Kind, slots: Sequence[int] | NDArray[np.intp]) -> None:
        """Compute and store the norms of documents of ``state`` with the current idf."""
        slots = np.asarray(slots, dtype=np.intp)
        if not slots.size:
            return
        if len(state.df):
            term_ids = self._terms[slots]
            idf = np.log(
                (state.count + PRIOR_DOCS)
                / (
                    np.take(np.frombuffer(state.df, dtype=np.int64), term_ids)
                    + PRIOR_DOCS * np.take(np.frombuffer(self._prior, dtype=np.float64), term_ids)
                )
            )
            norms = np.sqrt(((self._weights[slots] * idf) ** 2).sum(axis=1)) / _SCALE
            norms[norms == 0.0] = 1.0
        else:  # no document of this kind has any term
            norms = np.ones(len(slots))
        self._norm[slots] = norms
        self._norm_epoch[slots] = state.epoch

    def _state(self, kind: str) -> _Kind:
        state = self._kinds.get(kind)
        if state is None:
            state = self._kinds[kind] = _Kind()
        return state

    def _term_id(self, term: str) -> int:
        term_id = self._vocab.get(term)
        if term_id is None:
            term_id = self._vocab[term] = len(self._term_of)
            self._term_of.append(term)
            self._prior.append(document_prior(term))
        return term_id

    def _insert(
        self,
        kind: str,
        doc_id: int,
        year: int,
        digest: bytes,
        term_ids: list[int],
        weights: array[int],
    ) -> int:
        """Store a prepared vector; its slot. ``term_ids`` must be the vocabulary's own int
        objects, so that the postings dicts share them as keys instead of holding copies."""
        state = self._state(kind)
        slot = self._free.pop() if self._free else self._new_slot()
        self._key[slot] = (kind, doc_id)
        self._year[slot] = year
        self._digest[slot] = digest
        size = len(term_ids)
        self._terms[slot, :size] = term_ids
        self._weights[slot, :size] = weights
        self._length[slot] = size
        postings = state.years.get(year)
        if postings is None:
            postings = state.years[year] = {}
        df = state.df
        base = slot << _WEIGHT_BITS
        for term_id, weight in zip(term_ids, weights, strict=True):
            df[term_id] += 1
            plist = postings.get(term_id)
            if plist is None:
                postings[term_id] = array("I", (base | weight,))
            else:
                plist.append(base | weight)
        self._slot_of[(kind, doc_id)] = slot
        state.count += 1
        state.update_epoch()
        self._norm_epoch[slot] = -1
        return slot

    def _new_slot(self) -> int:
        slot = len(self._key)
        if slot >= _MAX_SLOTS:
            raise OverflowError(f"the similarity index holds at most {_MAX_SLOTS} documents")
        if slot == len(self._norm):
            self._grow(max(1024, 2 * slot))
        self._key.append(None)
        self._year.append(0)
        self._digest.append(b"")
        return slot

    def _grow(self, capacity: int) -> None:
        """Make room for ``capacity`` slots in the per-slot numpy arrays."""
        used = len(self._key)

        def grown(old: NDArray[Any], fill: float) -> NDArray[Any]:
            shape = (capacity, *old.shape[1:])
            new = np.full(shape, fill, old.dtype) if fill else np.zeros(shape, old.dtype)
            new[:used] = old[:used]
            return new

        self._length = grown(self._length, 0)
        self._terms = grown(self._terms, 0)
        self._weights = grown(self._weights, 0)
        self._norm = grown(self._norm, 1.0)
        self._norm_epoch = grown(self._norm_epoch, -1)

    def _idf(self, state: _Kind, term_id: int) -> float:
        df = state.df[term_id] if term_id < len(state.df) else 0
        return math.log((state.count + PRIOR_DOCS) / (df + PRIOR_DOCS * self._prior[term_id]))

    def _truncate(
        self, state: _Kind, ids: list[int], weights: list[float]
    ) -> list[tuple[int, float]]:
        """The MAX_TERMS strongest (term id, weight) pairs by weight x idf."""
        pairs = list(zip(ids, weights, strict=True))
        if len(pairs) <= MAX_TERMS:
            return pairs
        return heapq.nlargest(MAX_TERMS, pairs, key=lambda p: p[1] * self._idf(state, p[0]))

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

    def _doc_norm(self, slot: int, state: _Kind) -> float:
        if self._norm_epoch[slot] != state.epoch:
            self._compute_norms(state, [slot])
        return float(self._norm[slot])

    def _remove(self, kind: str, doc_id: int) -> None:
        slot = self._slot_of.pop((kind, doc_id), None)
        if slot is None:
            return
        state = self._kinds[kind]
        year = self._year[slot]
        postings = state.years[year]
        base = slot << _WEIGHT_BITS
        size = int(self._length[slot])
        term_ids = self._terms[slot, :size].tolist()
        for term_id, weight in zip(term_ids, self._weights[slot, :size].tolist(), strict=True):
            state.df[term_id] -= 1
            plist = postings[term_id]
            plist.remove(base | weight)
            if not plist:
                del postings[term_id]
        if not postings:
            del state.years[year]
        state.count -= 1
        state.update_epoch()
        self._key[slot] = None
        self._digest[slot] = b""
        self._terms[slot] = 0
        self._weights[slot] = 0
        self._length[slot] = 0
        self._free.append(slot)
