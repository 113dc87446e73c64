"""The similarity index of records, kept in step with the database (SimilarityService).

It holds this year's and last year's proposals, opinion leads and topics: built from the
database at start (in the background, in chunks, from a snapshot of the term vectors when there
is one, so that a national-scale database does not hold up start-up); a new post is added by
the post's own path (its vector is ready); every other change reaches it through the records'
change hooks (:meth:`follow`: withdrawn and merged records leave, converted ones enter); records
other processes sharing the database stored are caught up from the record counters
(:mod:`bot.core.intake.catchup`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from bot.core.changes import CHECK_SECONDS
from bot.core.intake.catchup import CounterKey, IndexRow, read_counters, records_past
from bot.core.intake.results import SimilarRecord
from bot.core.intake.terms import StoredRow, TermsItem, index_rows, stored_weights, write_terms
from bot.core.memory import release_free_memory
from bot.core.models import Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.text import SimilarityIndex, init_text_engine
from bot.core.text.vectors import content_digest
from bot.core.text.weights import term_weights

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from bot.core.db import Database
    from bot.core.records.hooks import RecordChange
    from bot.core.records.service import RecordService

logger = logging.getLogger(__name__)

SIMILAR_LIMIT = 3
INDEX_CHUNK = 200
WRITE_CHUNK = 2000
INDEX_WAIT_SECONDS = 5.0
"""How long a post waits for the similarity index while it is still being built at start."""
NOT_INDEXED: frozenset[str] = frozenset({RecordStatus.WITHDRAWN, RecordStatus.MERGED})
"""Records in these statuses are not offered as similar ones."""


class SimilarityService:
    def __init__(
        self,
        db: Database,
        records: RecordService,
        *,
        data_dir: Path,
        snapshot: Path | None = None,
        catch_up_seconds: float = CHECK_SECONDS,
    ) -> None:
        self.db = db
        self.records = records
        self.data_dir = Path(data_dir)
        self.snapshot = snapshot
        """Where the index's term vectors are cached between runs (None: not cached)."""
        self.index = SimilarityIndex()
        # record id -> content hash of what is indexed under that id (guards against stale ids)
        self._indexed: dict[int, str] = {}
        self._ready = asyncio.Event()
        self._build_task: asyncio.Task[int] | None = None
        self._pending: list[tuple[str, Record]] | None = None  # changes during a rebuild
        self._build_lock = asyncio.Lock()
        # records other processes created: the counters caught up to, and when to look again
        self.catch_up_seconds = catch_up_seconds
        self._counted: dict[CounterKey, int] | None = None  # None: no baseline yet
        self._next_catch_up = float("-inf")
        self._catching_up = False
        records.on_change(self.follow)

    # ------------------------------------------------------------------ lifecycle

    async def start(self, *, wait: bool = False) -> None:
        """Build the index in the background (jieba initialised first, off the event loop).

        Posts arriving meanwhile wait up to INDEX_WAIT_SECONDS for it; `wait` waits for the
        whole build."""
        await asyncio.to_thread(init_text_engine, self.data_dir, self.data_dir / "cache")
        self._build_task = asyncio.create_task(self.rebuild_index(), name="similarity-index")
        self._build_task.add_done_callback(_log_build_failure)
        if wait:
            await self._build_task

    async def stop(self) -> None:
        task, self._build_task = self._build_task, None
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        elif task is not None:
            await self._save_snapshot()

    async def _save_snapshot(self) -> None:
        if self.snapshot is None:
            return
        try:
            await asyncio.to_thread(self.index.save, self.snapshot)
        except OSError:
            logger.warning("could not save the similarity snapshot to %s", self.snapshot)

    def reset(self) -> None:
        """Forget the index (tests start each case with empty tables)."""
        self.index.clear()
        self._indexed.clear()
        self._counted = None  # the next look takes the counters as they are
        self._next_catch_up = float("-inf")
        if self._pending is None:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    async def wait_ready(self) -> bool:
        """Whether the index is built, waiting up to INDEX_WAIT_SECONDS while it is building."""
        if self._ready.is_set():
            return True
        try:
            await asyncio.wait_for(self._ready.wait(), INDEX_WAIT_SECONDS)
        except TimeoutError:
            return False
        return True

    # ------------------------------------------------------------------ building

    async def rebuild_index(self) -> int:
        """Build a fresh index of this year's and last year's records from the database.

        Runs in chunks in a worker thread; changes made meanwhile are replayed on the new index
        before it replaces the old one. Returns how many records were indexed.
        """
        async with self._build_lock:
            self._pending = []
            try:
                return await self._rebuild()
            finally:
                self._pending = None
                self._ready.set()

    async def _rebuild(self) -> int:
        since = self.records.current_year() - 1
        async with self.db.session() as session:
            # counters first: a record stored after them is caught up later
            counted = await session.run_sync(read_counters, since)
            keys = (
                await session.exec(
                    select(Record.id, Record.kind).where(
                        Record.year >= since, col(Record.status).not_in(list(NOT_INDEXED))
                    )
                )
            ).all()
        fresh = (
            await asyncio.to_thread(SimilarityIndex.load, self.snapshot)
            if self.snapshot is not None
            else SimilarityIndex()
        )
        # a snapshot may hold records since withdrawn, merged or deleted: drop them
        for kind in RecordKind:
            wanted = {key[0] for key in keys if key[1] == kind}
            for doc_id in fresh.doc_ids(kind) - wanted:
                fresh.remove(doc_id, kind=kind)
        # the records a chunk at a time (the texts of all of them at once would be a peak of
        # memory the process keeps), with their stored weights: records unchanged since the
        # snapshot are skipped, the others take their stored weights; only a record without
        # (or with outdated) ones is cut, and its weights are stored for the next build
        hashes: dict[int, str] = {}
        after: int | None = 0
        while after is not None:
            rows, after = await self.db.run_sync(index_rows, since, NOT_INDEXED, after, INDEX_CHUNK)
            hashes.update((row[0], row[5]) for row in rows)
            computed = await asyncio.to_thread(_index_rows, fresh, rows)
            await self._write_terms(computed)
        if hashes:
            await asyncio.to_thread(fresh.refresh)
        await self._replay(fresh, hashes)
        # the swap happens without an await after the replay
        self.index, self._indexed, self._counted = fresh, hashes, counted
        self._pending = None
        self._ready.set()
        logger.info("similarity index ready: %d records", len(hashes))
        await self._save_snapshot()
        await asyncio.to_thread(release_free_memory)  # what the build read, in chunks
        return len(hashes)

    async def _write_terms(self, items: list[TermsItem]) -> None:
        """Store weights the index had to compute, for the next build (in chunks). They are
        derived data: a failure is logged, and the next build computes them again."""
        try:
            for start in range(0, len(items), WRITE_CHUNK):
                await self.db.run_sync(write_terms, self.db, items[start : start + WRITE_CHUNK])
        except SQLAlchemyError:
            logger.warning(
                "could not store the term weights of %d records", len(items), exc_info=True
            )
            return
        if items:
            logger.info("similarity index: term weights stored for %d records", len(items))

    async def _replay(self, fresh: SimilarityIndex, hashes: dict[int, str]) -> None:
        """Apply to the new index what changed while it was being built."""
        while self._pending:
            op, record = self._pending.pop(0)
            if op == "add":
                await asyncio.to_thread(_add_record, fresh, record)
                hashes[record.id or 0] = record.content_hash
            else:
                fresh.remove(record.id or 0, kind=record.kind)
                hashes.pop(record.id or 0, None)

    # ------------------------------------------------------------------ keeping in step

    async def follow(self, change: RecordChange) -> None:
        """The change hook: bring the index in line with a changed or new record (a record
        already indexed with the same text is left alone)."""
        record = change.record
        if record.status in NOT_INDEXED or record.year < self.records.current_year() - 1:
            self.remove(record)
        elif self._indexed.get(record.id or 0) != record.content_hash:
            await self.add(record)

    async def reindex(self, record: Record) -> None:
        """Index `record` as it is now (or drop it, when withdrawn, merged or too old)."""
        if record.status in NOT_INDEXED or record.year < self.records.current_year() - 1:
            self.remove(record)
        else:
            await self.add(record)

    async def add(self, record: Record, weights: dict[str, float] | None = None) -> None:
        """Index `record`; with its term `weights` (a new post's, computed for its similarity
        query) this is quick and stays on the event loop, otherwise it runs in a thread."""
        index = self.index
        if self._pending is not None:  # a rebuild is running: it replays this on the new index
            self._pending.append(("add", record))
        if weights is None:
            computed = await asyncio.to_thread(_add_record, index, record)
            if computed is not None:  # stored for the next build
                item = (record.id or 0, record.kind, record.title, record.body, computed)
                await self._write_terms([item])
        else:
            _add_record(index, record, weights)
        self._indexed[record.id or 0] = record.content_hash

    def remove(self, record: Record) -> None:
        self.index.remove(record.id or 0, kind=record.kind)
        self._indexed.pop(record.id or 0, None)
        if self._pending is not None:
            self._pending.append(("remove", record))

    async def catch_up(self) -> int:
        """Index the records other processes sharing the database created since the last look
        (at most every ``catch_up_seconds``; see :mod:`bot.core.intake.catchup`). Returns how
        many were added. After :meth:`reset` the first look only notes the counters."""
        now = time.monotonic()
        if self._catching_up or self._pending is not None or now < self._next_catch_up:
            return 0
        self._catching_up, self._next_catch_up = True, now + self.catch_up_seconds
        try:
            index, since = self.index, self.records.current_year() - 1
            if self._counted is None:
                counters = await self.db.run_sync(read_counters, since)
                if index is self.index and self._pending is None:
                    self._counted = counters
                return 0
            counters, rows = await self.db.run_sync(
                records_past, dict(self._counted), since, NOT_INDEXED
            )
            rows = [row for row in rows if self._indexed.get(row[0]) != row[5]]
            if rows:
                await asyncio.to_thread(_add_rows, index, rows)
            fresh = index is self.index and self._pending is None  # no rebuild replaced it
            if fresh and self._counted is not None:
                self._indexed.update((row[0], row[5]) for row in rows)
                self._counted.update(counters)
            return len(rows)
        finally:
            self._catching_up = False

    # ------------------------------------------------------------------ asking

    def matches(
        self,
        kind: RecordKind,
        title: str,
        body: str,
        weights: dict[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """(record id, score) of this year's and last year's records like the text, best first,
        a few more than shown (some may turn out withdrawn). Blocking: call it in a thread."""
        year = self.records.current_year()
        found = self.index.query(
            body,
            years={year, year - 1},
            kind=kind,
            k=SIMILAR_LIMIT + 4,
            title=title,
            weights=weights,
        )
        return [(m.doc_id, m.score) for m in found]

    async def similar(
        self, kind: RecordKind, title: str, body: str, *, exclude: Collection[int] = ()
    ) -> list[SimilarRecord]:
        """Records of this year and last similar to a text, best first (at most three)."""
        if not await self.wait_ready():
            return []
        await self.catch_up()
        matches = await asyncio.to_thread(self.matches, kind, title, body)
        if not any(doc_id not in exclude for doc_id, _ in matches):
            return []
        return await self.db.run_sync(self.similar_rows, matches, kind, set(exclude))

    def similar_rows(
        self,
        session: Session,
        matches: list[tuple[int, float]],
        kind: RecordKind,
        exclude: set[int],
    ) -> list[SimilarRecord]:
        """The matched records still worth showing, best first (at most SIMILAR_LIMIT), read in
        the caller's synchronous transaction."""
        ids = [doc_id for doc_id, _ in matches if doc_id not in exclude]
        if not ids:
            return []
        by_id = {r.id: r for r in session.exec(select(Record).where(col(Record.id).in_(ids)))}
        result: list[SimilarRecord] = []
        for doc_id, score in matches:
            record = by_id.get(doc_id)
            if record is None or doc_id in exclude:
                continue
            if record.kind != kind or record.content_hash != self._indexed.get(doc_id):
                # the database moved on without telling the index (restored, emptied in tests)
                self.index.remove(doc_id, kind=kind)
                self._indexed.pop(doc_id, None)
                continue
            if record.status in NOT_INDEXED:
                continue
            result.append(SimilarRecord(record, score))
            if len(result) == SIMILAR_LIMIT:
                break
        return result


def _log_build_failure(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("building the similarity index failed", exc_info=task.exception())


def _add_rows(index: SimilarityIndex, rows: Sequence[IndexRow]) -> None:
    for record_id, kind, year, title, body, _hash in rows:
        index.add(record_id, body, year=year, kind=kind, title=title)


def _index_rows(index: SimilarityIndex, rows: Sequence[StoredRow]) -> list[TermsItem]:
    """Add rows to a fresh index with their stored weights (skipping records the snapshot
    holds unchanged), computing those missing; returns the computed ones (to be stored).
    Runs in a worker thread."""
    computed: list[TermsItem] = []
    docs = []
    for record_id, kind, year, title, body, _hash, stored in rows:
        digest = content_digest(kind, title, body)
        if index.holds(record_id, kind, year, digest):
            continue
        weights = stored_weights(stored, digest.hex())
        if weights is None:
            weights = term_weights(body, title)
            computed.append((record_id, kind, title, body, weights))
        docs.append((kind, record_id, year, digest, weights))
    index.add_many(docs, refresh=False)
    return computed


def _add_record(
    index: SimilarityIndex, record: Record, weights: dict[str, float] | None = None
) -> dict[str, float] | None:
    """Index a record; the weights computed here (None: given, or the text is unchanged)."""
    computed = None
    if weights is None and not index.unchanged(
        record.id or 0, record.kind, record.year, record.title, record.body
    ):
        weights = computed = term_weights(record.body, record.title)
    index.add(
        record.id or 0,
        record.body,
        year=record.year,
        kind=record.kind,
        title=record.title,
        weights=weights,
    )
    return computed
