"""The similarity index's storage on numpy: one slot per document, term vectors, postings and
document norms. :class:`TermVectors` is the data structure; :mod:`bot.core.text.similarity`
queries it.

Each document keeps only its :data:`MAX_TERMS` strongest terms (memory): its vector is one row
of two numpy matrices (term ids, and weights stored as bytes), and each term-document pair is a
posting ``slot << 8 | byte weight`` (one uint32) in a postings list per kind, year and term.

Document norms depend on idf, which drifts as documents are added; each norm is recomputed
lazily when the collection has grown or shrunk by more than ~5 % since it was computed (its
epoch; :meth:`TermVectors.refresh` recomputes all of them, e.g. after a bulk load).

Slots (one per indexed document, reused after removal) are 24-bit numbers: at most ~16.7
million documents at a time, far beyond what fits in memory this way anyway.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import threading
from array import array
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.core.text.segmenter import document_prior
from bot.core.text.weights import PRIOR_DOCS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

MAX_TERMS = 64
_EPOCH_STEP = math.log(1.05)
# Term weights are stored as bytes: round(weight * _SCALE), 1..255 (log1p weights stay < 8).
_SCALE = 32.0
# A posting is one uint32: slot << _WEIGHT_BITS | the term's byte weight in that document.
_WEIGHT_BITS = 8
_WEIGHT_MASK = (1 << _WEIGHT_BITS) - 1
_MAX_SLOTS = 1 << (32 - _WEIGHT_BITS)
_NORM_BATCH = 4096

#: A stored document as a snapshot keeps it: kind, doc id, year, digest, term ids (uint32
#: bytes, ids into the term list) and byte weights.
StoredDoc = tuple[str, int, int, bytes, bytes, bytes]


@dataclass(slots=True)
class _Kind:
    """Per-kind statistics and postings: {year: {term id: array of packed postings}}."""

    df: array[int] = field(default_factory=lambda: array("q"))
    count: int = 0
    epoch: int = 0
    years: dict[int, dict[int, array[int]]] = field(default_factory=dict)

    def update_epoch(self) -> None:
        self.epoch = int(math.log(self.count + PRIOR_DOCS) / _EPOCH_STEP)


def content_digest(kind: str, title: str, text: str) -> bytes:
    """What tells an unchanged document (re-adding it does nothing)."""
    return hashlib.blake2b(f"{kind}\0{title}\0{text}".encode(), digest_size=8).digest()


#: weight -> its byte (weights are log1p of a count in halves: few distinct values)
_BYTES: dict[float, int] = {}


def byte_weights(weights: Sequence[float]) -> array[int]:
    known = _BYTES
    if len(known) > 65_536:  # (weights not made by term_weights: keep the memo bounded)
        known.clear()
    out = []
    for w in weights:
        byte = known.get(w)
        if byte is None:
            byte = known[w] = min(255, max(1, round(w * _SCALE)))
        out.append(byte)
    return array("B", out)


class TermVectors:
    """Documents by slot: ``(kind, doc_id)`` keys, years, digests, truncated term vectors,
    postings per kind and year, document frequencies and norms. Not locked itself: the
    caller holds ``_lock`` around every use."""

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

    # state.df and _prior are array.array (cheap to grow one item at a time); numpy reads them
    # through np.frombuffer. Such a view stops the array from growing (BufferError) as long as
    # it lives, so they are only ever temporaries within one expression.

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

    def _export(self) -> tuple[list[str], list[StoredDoc]]:
        """The vocabulary and every stored document (under the lock)."""
        sizes = self._length[: len(self._key)].tolist()
        docs = [
            (str.__str__(key[0]), key[1], self._year[slot], self._digest[slot],
             self._terms[slot, :size].tobytes(), self._weights[slot, :size].tobytes())
            for slot, (key, size) in enumerate(zip(self._key, sizes, strict=True))
            if key is not None
        ]  # fmt: skip
        return list(self._term_of), docs

    def _import(self, terms: list[str], docs: list[StoredDoc]) -> None:
        """Store documents as :meth:`_export` gave them (under the lock), then their norms."""
        ids = [self._term_id(term) for term in terms]
        for kind, doc_id, year, digest, term_bytes, weights in docs:
            state = self._state(kind)
            if len(state.df) < len(ids):
                state.df.extend(repeat(0, len(ids) - len(state.df)))
            stored = array("I")
            stored.frombytes(term_bytes)
            term_ids = [ids[term_id] for term_id in stored]
            self._insert(kind, doc_id, year, digest, term_ids, array("B", weights))
        self.refresh()

    # ---- storage -------------------------------------------------------------------------

    def _store(
        self,
        kind: str,
        doc_id: int,
        year: int,
        digest: bytes,
        weights: dict[str, float],
        *,
        norms: bool = True,
    ) -> None:
        """(Re)place a document's vector, truncated to its strongest terms (under the lock).
        Without ``norms`` its norm waits for the next :meth:`refresh` (a bulk load)."""
        self._remove(kind, doc_id)
        state = self._state(kind)
        vocabulary, ids = self._vocab, []
        for term in weights:  # (the lookup inlined: this runs for every term of a build)
            term_id = vocabulary.get(term)
            ids.append(self._term_id(term) if term_id is None else term_id)
        if len(state.df) < len(self._prior):
            state.df.extend(repeat(0, len(self._prior) - len(state.df)))
        kept = self._truncate(state, ids, list(weights.values()))
        slot = self._insert(
            kind,
            doc_id,
            year,
            digest,
            [term_id for term_id, _ in kept],
            byte_weights([w for _, w in kept]),
        )
        # a norm for ranking candidates at once; the exact one is still computed on first
        # use (epoch -1), with the idf of that moment, as for every other document
        if norms:
            self._compute_norms(state, [slot])
        self._norm_epoch[slot] = -1

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

    def _truncate(
        self, state: _Kind, ids: list[int], weights: list[float]
    ) -> list[tuple[int, float]]:
        """The MAX_TERMS strongest (term id, weight) pairs by weight x idf."""
        if len(ids) <= MAX_TERMS:
            return list(zip(ids, weights, strict=True))
        # weight x smoothed_idf(), inlined: this runs for every term of every
        # document of a build
        total, df, prior, log = state.count + PRIOR_DOCS, state.df, self._prior, math.log
        known = len(df)
        keys = [
            w * log(total / ((df[t] if t < known else 0) + PRIOR_DOCS * prior[t]))
            for t, w in zip(ids, weights, strict=True)
        ]
        best = heapq.nlargest(MAX_TERMS, range(len(ids)), key=keys.__getitem__)
        return [(ids[i], weights[i]) for i in best]

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
