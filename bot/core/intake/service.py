"""IntakeService: tagged posts become numbered records; co-signing, withdrawal, search, "mine".

Framework-free. The adapter turns a chat message into segments (bot/nb/segments.py) and calls
:meth:`IntakeService.submit`; commands call :meth:`cosign`, :meth:`withdraw`, :meth:`search`,
:meth:`mine` and :meth:`detail`. Refusals are :class:`DomainError` with a Chinese message that
says what to type instead.

Text work (jieba segmentation, category, keywords, similar records) runs in a worker thread. The
similarity index holds this year's and last year's proposals, opinion leads and topics: built
from the database at start (in the background, in chunks, so a national-scale database does not
hold up start-up) and kept up to date as records are created, withdrawn or merged
(:meth:`reindex`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

from sqlalchemy import and_, bindparam, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import seen
from bot.core.changes import CHECK_SECONDS
from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.identity import Identity
from bot.core.intake import texts
from bot.core.intake.catchup import CounterKey, read_counters, records_past
from bot.core.intake.invitees import check_invitees
from bot.core.intake.kinds import RecordKind
from bot.core.intake.parser import TEMPLATES, ParsedPost, ParseError, parse_post
from bot.core.intake.segments import MentionSeg, Segment
from bot.core.members import MemberService
from bot.core.models import (
    Answer,
    Assignment,
    Cosign,
    CosignStatus,
    Evaluation,
    Member,
    Record,
    RecordStatus,
    TimelineEntry,
    UnitContact,
)
from bot.core.notify import Notifier, group_key
from bot.core.outbox import (
    CONFIRMATION_PURPOSE,
    RESENT_PREFIX,
    OutboxService,
    Target,
    mention_part,
    text_part,
)
from bot.core.records import Actor, RecordService, write_timeline
from bot.core.text import (
    CategoryLexicon,
    SimilarityIndex,
    extract_keywords,
    has_concrete_suggestion,
    init_text_engine,
)
from bot.core.text.segmenter import nfkc
from bot.core.text.similarity import term_weights

logger = logging.getLogger(__name__)

DUPLICATE_WINDOW = timedelta(hours=24)
RATE_WINDOW = timedelta(minutes=1)
SIMILAR_LIMIT = 3
MAX_COSIGNERS = 30
KEYWORDS = 8
SEARCH_LIMIT = 10
SEARCH_MAX_WORDS = 5
SEARCH_WORD_MAX = 30
"""搜索 takes at most this many words of at most this many characters: longer patterns are
pointless for titles and bodies and make SQLite refuse the query (LIKE pattern too complex)."""
MINE_LIMIT = 10
INDEX_CHUNK = 200
INDEX_WAIT_SECONDS = 5.0
"""How long a post waits for the similarity index while it is still being built at start."""

COSIGN_OPEN: frozenset[str] = frozenset({RecordStatus.SUBMITTED, RecordStatus.ACCEPTED})
"""Statuses in which a record still takes co-signers (before it is handed to a unit)."""
NOT_INDEXED: frozenset[str] = frozenset({RecordStatus.WITHDRAWN, RecordStatus.MERGED})
"""Records in these statuses are not offered as similar ones."""


class CosignOutcome(StrEnum):
    ADDED = "added"  # a new co-signer (附议)
    CONFIRMED = "confirmed"  # an invited co-signer confirmed
    ALREADY = "already"  # counted before


@dataclass(frozen=True)
class Source:
    """Where a post or command came from."""

    kind: Literal["group", "private"]
    group_id: str | None = None
    message_id: str | None = None
    group_sector: str | None = None
    """The sector of a sector group (界别群), used when the member's own sector is unknown."""
    platform: str = "qq"

    @classmethod
    def group(
        cls, group_id: str, message_id: str | None = None, *, sector: str | None = None
    ) -> Source:
        return cls("group", str(group_id), message_id, sector)

    @classmethod
    def private(cls, message_id: str | None = None) -> Source:
        return cls("private", None, message_id)

    @property
    def label(self) -> str:
        """For the timeline: `group:123` or `private`."""
        return f"group:{self.group_id}" if self.kind == "group" else "private"

    @property
    def is_private(self) -> bool:
        return self.kind == "private"


@dataclass(frozen=True)
class SimilarRecord:
    record: Record
    score: float


@dataclass
class SubmitResult:
    record: Record
    duplicate: bool = False
    similar: list[SimilarRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cosigners: list[Cosign] = field(default_factory=list)
    """Co-signers named in the post (invited, pending until they confirm)."""
    mentions_all: bool = False
    """The post held an @全体成员 (never acted on)."""
    similar_checked: bool = True
    """False when the similarity index was not ready yet (at start-up of a large database)."""


@dataclass
class CosignResult:
    record: Record
    outcome: CosignOutcome
    confirmed: int
    """Confirmed co-signers (supporters, for a topic) after this one."""


@dataclass
class RecordDetail:
    record: Record
    cosigns: list[Cosign]
    timeline: list[TimelineEntry]
    internal: bool
    """The asker sees non-public timeline entries (staff, or a contact of an assigned unit)."""


@dataclass
class Overview:
    """What `我的` shows: my records, what I co-signed, and what waits for me."""

    submitted: list[Record]
    submitted_total: int
    cosigned: list[Record]
    invitations: list[Record]
    awaiting_evaluation: list[tuple[Record, Answer]]
    hidden_private: int = 0
    """Records left out because they were submitted privately and the asker is in a group."""


@dataclass(frozen=True)
class _Analysis:
    has_suggestion: bool
    category: str | None
    keywords: list[str]
    matches: list[tuple[int, float]]
    weights: dict[str, float] | None = None
    """The post's term weights, computed once for the similarity query and reused to index it."""


# Built once (a post's hot path: constructing the statement costs more than running it).
_RECENT_DUPLICATE = (
    select(Record)
    .where(
        Record.platform == bindparam("platform"),
        Record.proposer_user_id == bindparam("user_id"),
        Record.kind == bindparam("kind"),
        Record.content_hash == bindparam("hash"),
        Record.created_at >= bindparam("since"),
        Record.status != RecordStatus.WITHDRAWN,
    )
    .order_by(col(Record.id).desc())
)


@dataclass(frozen=True)
class _Pending:
    """What a post's transaction stores (see IntakeService._store)."""

    record: Record
    actor: Actor
    detail: str
    source: Source
    member: Member
    invitees: list[tuple[str, str]]
    matches: list[tuple[int, float]]
    with_similar: bool


@dataclass(frozen=True)
class _Stored:
    duplicate: Record | None = None
    similar: list[SimilarRecord] = field(default_factory=list)
    cosigners: list[Cosign] = field(default_factory=list)


NameResolver = Callable[[str], Awaitable[str | None]]


class RateLimited(InvalidInput):
    """Too many posts a minute. `quiet` after the first refusal in a window: do not answer."""

    def __init__(self, message: str, *, quiet: bool) -> None:
        super().__init__(message)
        self.quiet = quiet


def search_words(text: str) -> list[str]:
    """The words of a 搜索, within the limits; InvalidInput saying the limit otherwise."""
    words = list(dict.fromkeys(text.split()))
    if not words:
        raise InvalidInput("请写要搜索的关键词，例如：搜索 污水 或 搜索 农村 养老")
    longest = max(len(w) for w in words)
    if longest > SEARCH_WORD_MAX:
        raise InvalidInput(
            f"关键词太长：每个词最多{SEARCH_WORD_MAX}个字（这次有一个词{longest}字）。"
            "请用几个短词搜索，用空格分开，例如：搜索 农村 污水"
        )
    if len(words) > SEARCH_MAX_WORDS:
        raise InvalidInput(
            f"关键词太多：最多{SEARCH_MAX_WORDS}个词（这次有{len(words)}个）。"
            "请只写最关键的几个词，例如：搜索 农村 污水"
        )
    return words


def content_hash(kind: RecordKind | str, text: str) -> str:
    """Fingerprint of a post's text for the 24-hour duplicate check (spacing and width ignored)."""
    normal = "".join(nfkc(text).split())
    return hashlib.sha256(f"{kind}\n{normal}".encode()).hexdigest()


KIND_WORDS: dict[str, RecordKind] = {
    "提案": RecordKind.PROPOSAL,
    "社情民意信息": RecordKind.OPINION,
    "社情民意": RecordKind.OPINION,
    "民意": RecordKind.OPINION,
    "议题": RecordKind.TOPIC,
}


def split_kind(text: str, default: RecordKind = RecordKind.PROPOSAL) -> tuple[RecordKind, str]:
    """`民意 5` -> (opinion, "5"); `17` -> (default, "17")."""
    stripped = text.strip().lstrip("#＃")
    for word in sorted(KIND_WORDS, key=len, reverse=True):
        if stripped.startswith(word):
            return KIND_WORDS[word], stripped[len(word) :].strip()
    return default, text.strip()


class IntakeService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        records: RecordService,
        members: MemberService,
        outbox: OutboxService,
        notifier: Notifier,
        *,
        data_dir: Path,
        rate_per_minute: int = 6,
        snapshot: Path | None = None,
        catch_up_seconds: float = CHECK_SECONDS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.records = records
        self.members = members
        self.outbox = outbox
        self.notifier = notifier
        self.data_dir = Path(data_dir)
        self.rate_per_minute = rate_per_minute
        self.snapshot = snapshot
        """Where the index's term vectors are cached between runs (None: not cached)."""
        self.index = SimilarityIndex()
        self.lexicon: CategoryLexicon | None = None
        # record id -> content hash of what is indexed under that id (guards against stale ids)
        self._indexed: dict[int, str] = {}
        self._ready = asyncio.Event()
        self._build_task: asyncio.Task[int] | None = None
        self._pending: list[tuple[str, Record]] | None = None
        self._build_lock = asyncio.Lock()
        # records other processes created: the counters caught up to, and when to look again
        self.catch_up_seconds = catch_up_seconds
        self._counted: dict[CounterKey, int] | None = None  # None: no baseline yet
        self._next_catch_up = float("-inf")
        self._catching_up = False
        self._attempts: dict[tuple[str, str], deque] = {}
        self._refused: set[tuple[str, str]] = set()
        # one post at a time per member, so that a quick double post is found as a duplicate
        self._member_locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    # ------------------------------------------------------------------ lifecycle

    async def start(self, *, wait_for_index: bool = False) -> None:
        """Initialise jieba (off the event loop), load the category lexicon, build the index.

        The index is built in the background; posts arriving meanwhile wait up to
        INDEX_WAIT_SECONDS for it. `wait_for_index` waits for the whole build.
        """
        await asyncio.to_thread(init_text_engine, self.data_dir, self.data_dir / "cache")
        self.lexicon = await asyncio.to_thread(CategoryLexicon.load_default, self.data_dir)
        self._build_task = asyncio.create_task(self.rebuild_index(), name="intake-index")
        self._build_task.add_done_callback(_log_build_failure)
        if wait_for_index:
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
        """Forget the index and the rate counters (tests start each case with empty tables)."""
        self.index.clear()
        self._indexed.clear()
        self._counted = None  # the next look takes the counters as they are
        self._next_catch_up = float("-inf")
        self._attempts.clear()
        self._refused.clear()
        if self._pending is None:
            self._ready.set()

    @property
    def index_ready(self) -> bool:
        return self._ready.is_set()

    async def rebuild_index(self) -> int:
        """Build a fresh index of this year's and last year's records from the database.

        Runs in chunks in a worker thread; changes made meanwhile are replayed on the new index
        before it replaces the old one. Returns how many records were indexed.
        """
        async with self._build_lock:
            return await self._rebuild()

    async def _rebuild(self) -> int:
        self._pending = []
        try:
            year = self.records.current_year()
            async with self.db.session() as session:
                # counters first: a record stored after them is caught up later
                counted = await session.run_sync(read_counters, year - 1)
                rows = (
                    await session.exec(
                        select(
                            Record.id,
                            Record.kind,
                            Record.year,
                            Record.title,
                            Record.body,
                            Record.content_hash,
                        ).where(
                            Record.year >= year - 1,
                            col(Record.status).not_in(list(NOT_INDEXED)),
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
                wanted = {row[0] for row in rows if row[1] == kind}
                for doc_id in fresh.doc_ids(kind) - wanted:
                    fresh.remove(doc_id, kind=kind)
            hashes: dict[int, str] = {}
            for start in range(0, len(rows), INDEX_CHUNK):
                chunk = rows[start : start + INDEX_CHUNK]
                # unchanged records from the snapshot are skipped without tokenising
                await asyncio.to_thread(_add_rows, fresh, chunk)
                hashes.update((row[0], row[5]) for row in chunk)
            if rows:
                await asyncio.to_thread(fresh.refresh)
            # replay what changed meanwhile; the swap below happens without an await in between
            while self._pending:
                op, record = self._pending.pop(0)
                if op == "add":
                    await asyncio.to_thread(_add_record, fresh, record)
                    hashes[record.id or 0] = record.content_hash
                else:
                    fresh.remove(record.id or 0, kind=record.kind)
                    hashes.pop(record.id or 0, None)
            self.index, self._indexed, self._counted = fresh, hashes, counted
            self._pending = None
            self._ready.set()
            logger.info("similarity index ready: %d records", len(hashes))
            await self._save_snapshot()
            return len(rows)
        finally:
            self._pending = None
            self._ready.set()

    async def reindex(self, record: Record) -> None:
        """Bring the index in line with a record after a change (withdrawn, merged, edited...).

        Call after changing a record's status or text outside this service (e.g. 并案).
        """
        if record.status in NOT_INDEXED or record.year < self.records.current_year() - 1:
            self._unindex(record)
        else:
            await self._index(record)

    async def _index(self, record: Record, weights: dict[str, float] | None = None) -> None:
        index = self.index
        if self._pending is not None:  # a rebuild is running: it replays this on the new index
            self._pending.append(("add", record))
        if weights is None:
            await asyncio.to_thread(_add_record, index, record)
        else:  # the vector is ready: adding it is quick, no need for a thread
            _add_record(index, record, weights)
        self._indexed[record.id or 0] = record.content_hash

    def _unindex(self, record: Record) -> None:
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

    async def _wait_ready(self) -> bool:
        if self._ready.is_set():
            return True
        try:
            await asyncio.wait_for(self._ready.wait(), INDEX_WAIT_SECONDS)
        except TimeoutError:
            return False
        return True

    # ------------------------------------------------------------------ submit

    def check_submitter(self, identity: Identity, kind: RecordKind) -> Member:
        """The roster entry of someone allowed to submit; PermissionDenied with how to register."""
        member = identity.member
        how = (
            "请先在委员群（全体群或界别群）里发一句话，机器人会按群名片（如“农业界-张三”）自动登记；"
            "或请机关工作人员发送“委员 设置 @您 界别 农业界”为您登记。"
        )
        if member is None:
            raise PermissionDenied(
                f"您还不在委员名单中，暂时不能提交{kind.label}。{how}登记后再按以下格式发送：\n"
                f"{TEMPLATES[kind]}"
            )
        if not member.active:
            raise PermissionDenied(
                f"您的委员登记已停用，暂时不能提交{kind.label}。如需恢复，请机关工作人员发送"
                "“委员 设置 @您 界别 您的界别”重新登记。"
            )
        if not member.is_member:
            raise PermissionDenied(
                f"您登记为机关工作人员而不是委员，不能以本人名义提交{kind.label}。"
                "请委员本人发送；如您也是委员，请机关工作人员发送“委员 设置 @您 界别 您的界别”登记。"
            )
        return member

    def admit(self, identity: Identity) -> None:
        """Count a post against the member's per-minute allowance; RateLimited past it."""
        key = (identity.platform, identity.user_id)
        now = self.clock.now()
        window = self._attempts.setdefault(key, deque())
        while window and now - window[0] >= RATE_WINDOW:
            window.popleft()
        if len(window) >= self.rate_per_minute:
            quiet = key in self._refused
            self._refused.add(key)
            raise RateLimited(
                f"您发得太快了：每位委员每分钟最多提交{self.rate_per_minute}条。请一分钟后再发送；"
                "已登记的内容不必重发，发送“我的”可查看编号。",
                quiet=quiet,
            )
        self._refused.discard(key)
        window.append(now)

    async def submit(
        self,
        segments: Sequence[Segment],
        *,
        identity: Identity,
        source: Source,
        ignore_ids: Iterable[str] = (),
        resolve_name: NameResolver | None = None,
    ) -> SubmitResult:
        """Register a tagged post as a numbered record (or find it again within 24 hours)."""
        post = parse_post(segments, sender_id=identity.user_id, ignore_ids=ignore_ids)
        if isinstance(post, ParseError):
            if post.kind is None:
                raise InvalidInput(
                    f"{post.message}请按以下格式发送：\n{TEMPLATES[RecordKind.PROPOSAL]}"
                )
            self.check_submitter(identity, post.kind)
            self.admit(identity)
            raise InvalidInput(post.message)
        kind = post.kind
        member = self.check_submitter(identity, kind)
        self.admit(identity)
        if post.mentions_all:
            logger.warning("post by %s mentions everyone; ignored", identity.user_id)
        key = (identity.platform, identity.user_id)
        lock = self._member_locks.get(key)
        if lock is None:
            lock = self._member_locks[key] = asyncio.Lock()
        async with lock:
            return await self._register(post, segments, identity, member, source, resolve_name)

    async def _register(
        self,
        post: ParsedPost,
        segments: Sequence[Segment],
        identity: Identity,
        member: Member,
        source: Source,
        resolve_name: NameResolver | None,
    ) -> SubmitResult:
        kind = post.kind
        digest = content_hash(kind, post.full_text)
        warnings = [w.message for w in post.warnings if w.code != "no_suggestion"]
        ready = await self._wait_ready()
        if ready:
            await self.catch_up()
        analysis = await asyncio.to_thread(self._analyze, kind, post, ready)
        if kind is RecordKind.PROPOSAL and post.body and not analysis.has_suggestion:
            warnings.append(texts.NO_SUGGESTION_WARNING)

        invitees, left_out = await self._invitees(
            post, segments, identity, resolve_name, private=source.is_private
        )
        if kind is RecordKind.TOPIC:
            if invitees or left_out:
                warnings.append(texts.TOPIC_NO_COSIGN)
            invitees, left_out = [], []
        if len(invitees) > MAX_COSIGNERS:
            warnings.append(f"联名人最多{MAX_COSIGNERS}位，只邀请了前{MAX_COSIGNERS}位。")
            invitees = invitees[:MAX_COSIGNERS]
        warnings.extend(left_out)

        actor = Actor(identity.user_id, member.name, source.label)
        record = Record(
            kind=kind,
            year=0,
            number=0,
            platform=source.platform,
            proposer_user_id=identity.user_id,
            proposer_name=member.name,
            proposer_sector=member.sector or source.group_sector,
            source_kind=source.kind,
            source_group_id=source.group_id,
            source_message_id=source.message_id,
            title=post.title[:200],
            body=post.body,
            content_hash=digest,
            has_suggestion=analysis.has_suggestion,
            category=analysis.category,
            keywords=texts.join_keywords(analysis.keywords),
            attachments=[{"kind": a.kind, "name": a.name, "url": a.url} for a in post.attachments],
        )
        detail = "私聊提交" if source.is_private else "群聊提交"
        if invitees:
            detail += "；邀请联名：" + "、".join(name for _, name in invitees)

        year = self.records.current_year()
        staff_groups = await self.notifier.staff_group_ids()
        async with self.records.numbering(kind):
            stored = await self.db.run_sync(
                self._store,
                _Pending(record, actor, detail, source, member, invitees, analysis.matches, ready),
                staff_groups,
                year,
            )
        if stored.duplicate is not None:
            return SubmitResult(stored.duplicate, duplicate=True, mentions_all=post.mentions_all)
        self.outbox.wake()
        await self._index(record, analysis.weights)
        return SubmitResult(
            record,
            similar=stored.similar,
            warnings=warnings,
            cosigners=stored.cosigners,
            mentions_all=post.mentions_all,
            similar_checked=ready,
        )

    def _store(
        self, session: Session, pending: _Pending, staff_groups: list[str], year: int
    ) -> _Stored:
        """One transaction (synchronous, see ``Database.run_sync``): the duplicate check, the
        number, the record and its timeline entry, the link to the post, the invited co-signers,
        the similar records and the messages to queue. A post is all or nothing, and each
        database round trip costs."""
        record, source = pending.record, pending.source
        # the post's re-delivery mark, first: a re-delivered post stops here (AlreadySeen)
        seen.join(session)
        existing = self._recent_duplicate(session, record)
        if existing is not None:
            if source.message_id:
                self.records.link_message_in(
                    session, existing.id or 0, source.message_id, "post", source.platform
                )
                session.commit()
            return _Stored(duplicate=existing)
        # the number comes from a counter row locked until this transaction ends: no retry
        self.records.insert_numbered(session, record, actor=pending.actor, detail=pending.detail)
        cosigners = self._add_invitees(session, record, source, pending.invitees)
        if source.message_id:
            self.records.link_message_in(
                session, record.id or 0, source.message_id, "post", source.platform
            )
        similar = (
            self._similar_rows(session, pending.matches, RecordKind(record.kind), {record.id or 0})
            if pending.with_similar
            else []
        )
        messages = [
            self.outbox.prepare(
                Target.private(cosign.user_id, source.platform, via_group_id=source.group_id),
                texts.invitation(record, pending.member, year),
                purpose="cosign_invite",
                dedup_key=f"cosign-invite:{record.id}:{cosign.user_id}",
                record_id=record.id,
            )
            for cosign in cosigners
        ]
        notice = texts.staff_notice(record, cosigners, similar, year)
        messages.extend(
            self.outbox.prepare(
                Target.group(group_id),
                notice,
                purpose="intake_review",
                dedup_key=group_key(f"intake:{record.id}", group_id),
                record_id=record.id,
            )
            for group_id in staff_groups
        )
        self.db.insert_rows(session, messages)
        session.commit()
        return _Stored(similar=similar, cosigners=cosigners)

    def _analyze(self, kind: RecordKind, post: ParsedPost, with_index: bool) -> _Analysis:
        """The text work for one post (runs in a worker thread)."""
        body = post.body or post.full_text
        has_suggestion = kind is not RecordKind.PROPOSAL or has_concrete_suggestion(body)
        category = None
        if self.lexicon is not None:
            category = self.lexicon.classify(body, title=post.title).category[:32]
        keywords = extract_keywords(body, KEYWORDS, title=post.title, index=self.index, kind=kind)
        weights = term_weights(body, post.title)
        matches: list[tuple[int, float]] = []
        if with_index:
            year = self.records.current_year()
            found = self.index.query(
                body,
                years={year, year - 1},
                kind=kind,
                k=SIMILAR_LIMIT + 4,
                title=post.title,
                weights=weights,
            )
            matches = [(m.doc_id, m.score) for m in found]
        # the record is indexed under its body and title (see _add_record): the query's vector
        # serves for that too, unless the post had no body and the query used the full text
        return _Analysis(
            has_suggestion, category, keywords, matches, weights if body == post.body else None
        )

    async def similar(
        self, kind: RecordKind, title: str, body: str, *, exclude: Collection[int] = ()
    ) -> list[SimilarRecord]:
        """Records of this year and last similar to a text, best first (at most three)."""
        if not await self._wait_ready():
            return []
        await self.catch_up()
        year = self.records.current_year()
        found = await asyncio.to_thread(
            self.index.query,
            body,
            years={year, year - 1},
            kind=kind,
            k=SIMILAR_LIMIT + 4,
            title=title,
        )
        return await self._load_similar([(m.doc_id, m.score) for m in found], kind, set(exclude))

    async def _load_similar(
        self, matches: list[tuple[int, float]], kind: RecordKind, exclude: set[int]
    ) -> list[SimilarRecord]:
        if not any(doc_id not in exclude for doc_id, _ in matches):
            return []
        return await self.db.run_sync(self._similar_rows, matches, kind, exclude)

    def _similar_rows(
        self,
        session: Session,
        matches: list[tuple[int, float]],
        kind: RecordKind,
        exclude: set[int],
    ) -> list[SimilarRecord]:
        """The matched records still worth showing, best first (at most SIMILAR_LIMIT)."""
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

    def _recent_duplicate(self, session: Session, record: Record) -> Record | None:
        """The same member's record with the same text from the last 24 hours, if any."""
        return session.exec(
            _RECENT_DUPLICATE,
            params={
                "platform": record.platform,
                "user_id": record.proposer_user_id,
                "kind": record.kind,
                "hash": record.content_hash,
                "since": self.clock.now() - DUPLICATE_WINDOW,
            },
        ).first()

    async def _invitees(
        self,
        post: ParsedPost,
        segments: Sequence[Segment],
        identity: Identity,
        resolve_name: NameResolver | None,
        *,
        private: bool,
    ) -> tuple[list[tuple[str, str]], list[str]]:
        """(user id, name) of the co-signers to invite, and a warning for everyone named who
        is not invited: typed names nobody on the roster has, and people who are not members
        (see bot.core.intake.invitees)."""
        ids = list(post.cosigner_ids)
        warnings: list[str] = []
        if post.cosigner_names:
            async with self.db.session() as session:
                rows = await session.exec(
                    select(Member).where(
                        Member.platform == identity.platform,
                        col(Member.name).in_(list(post.cosigner_names)),
                        Member.is_member,
                        Member.active,
                    )
                )
                by_name: dict[str, list[Member]] = {}
                for m in rows.all():
                    by_name.setdefault(m.name, []).append(m)
            for name in post.cosigner_names:
                found = by_name.get(name, [])
                if len(found) != 1:
                    warnings.append(texts.unresolved_cosigner(name))
                elif found[0].user_id != identity.user_id and found[0].user_id not in ids:
                    ids.append(found[0].user_id)
        if not ids:
            return [], warnings
        roster = await self.members.get_many(ids, identity.platform)
        contacts = await self._unit_contacts(ids, identity.platform)
        seen_names = {
            seg.user_id: seg.name for seg in segments if isinstance(seg, MentionSeg) and seg.name
        }
        candidates: list[tuple[str, str]] = []
        for user_id in ids:
            name = roster[user_id].name if user_id in roster else seen_names.get(user_id, "")
            if not name and resolve_name is not None:
                try:
                    name = (await resolve_name(user_id)) or ""
                except Exception:  # a name is nice to have; never fail a post for it
                    logger.exception("could not resolve the name of %s", user_id)
            candidates.append((user_id, self.members.name_from_card(name)))
        check = check_invitees(candidates, roster, contacts, private=private)
        return check.invitees, warnings + check.warnings

    async def _unit_contacts(self, user_ids: Sequence[str], platform: str) -> set[str]:
        async with self.db.session() as session:
            rows = await session.exec(
                select(UnitContact.user_id).where(
                    UnitContact.platform == platform, col(UnitContact.user_id).in_(list(user_ids))
                )
            )
            return set(rows.all())

    def _add_invitees(
        self,
        session: Session,
        record: Record,
        source: Source,
        invitees: list[tuple[str, str]],
    ) -> list[Cosign]:
        """Add the invited co-signers (pending until they confirm) to the caller's transaction."""
        now = self.clock.now()
        cosigns = [
            Cosign(
                record_id=record.id or 0,
                platform=source.platform,
                user_id=user_id,
                name=name[:64],
                status=CosignStatus.PENDING,
                invited=True,
                created_at=now,
            )
            for user_id, name in invitees
        ]
        self.db.insert_rows(session, cosigns)
        return cosigns

    async def queue_confirmation(
        self,
        record: Record,
        text: str,
        *,
        user_id: str,
        group_id: str | None,
        bot_id: str,
        linked: bool = True,
    ) -> None:
        """The confirmation of a stored post, sent again through the outbox (the direct answer
        failed): to the group (with an @ of the member) or privately, through the same bot
        account, marked 补发. With `linked`, its message id becomes the confirmation link when it
        goes out (bot/core/outbox_sender.py)."""
        platform = record.platform
        if group_id is not None:
            target = Target.group(group_id, platform)
            parts = [mention_part(user_id), text_part(RESENT_PREFIX + text)]
        else:
            target = Target.private(user_id, platform)
            parts = [text_part(RESENT_PREFIX + text)]
        await self.outbox.enqueue(
            target,
            parts,
            purpose=CONFIRMATION_PURPOSE if linked else "reply",
            record_id=record.id,
            bot_id=bot_id,
        )

    async def remember_confirmation(self, record: Record, message_id: str | int | None) -> None:
        """Link the bot's confirmation message, so that replying `附议` to it finds the record."""
        if message_id is not None:
            await self.records.link_message(
                record.id or 0, str(message_id), "confirmation", record.platform
            )

    # ------------------------------------------------------------------ co-signing

    async def by_reply(self, message_id: str, platform: str = "qq") -> Record | None:
        """The record a quoted message stands for (the post or the bot's confirmation)."""
        return await self.records.by_message(message_id, platform)

    async def cosign(self, record: Record, identity: Identity, *, source: str) -> CosignResult:
        """附议: add the asker as a co-signer, or confirm their invitation."""
        kind = RecordKind(record.kind)
        label = texts.label(record, self.records.current_year())
        verb = "附议"
        noun = texts.cosign_noun(kind)
        member = identity.member
        if member is None or not identity.is_member:
            raise PermissionDenied(texts.not_a_member(verb))
        if identity.user_id == record.proposer_user_id:
            raise InvalidInput(
                f"您是{label}的提出人，不需要{verb}。发送“{texts.query_command(record, self.records.current_year())}”"
                f"可查看{noun}情况。"
            )
        if record.status not in COSIGN_OPEN:
            raise InvalidInput(
                f"{label}当前状态是“{RecordStatus(record.status).label}”，已不能{verb}。"
                f"发送“{texts.query_command(record, self.records.current_year())}”可查看办理情况。"
            )
        now = self.clock.now()
        outcome = CosignOutcome.ADDED
        async with self.db.session() as session:
            existing = (
                await session.exec(
                    select(Cosign).where(
                        Cosign.record_id == record.id, Cosign.user_id == identity.user_id
                    )
                )
            ).first()
            if existing is None and record.source_kind == "private":
                # only the invited may join a private submission: others cannot even read it
                raise PermissionDenied(
                    texts.private_cosign_refused(record, self.records.current_year())
                )
            if existing is not None and existing.status == CosignStatus.CONFIRMED:
                outcome = CosignOutcome.ALREADY
            else:
                if existing is None:
                    existing = Cosign(
                        record_id=record.id or 0,
                        platform=identity.platform,
                        user_id=identity.user_id,
                        invited=False,
                        created_at=now,
                    )
                else:
                    outcome = CosignOutcome.CONFIRMED
                existing.name = member.name[:64]
                existing.status = CosignStatus.CONFIRMED
                existing.confirmed_at = now
                session.add(existing)
                write_timeline(
                    session,
                    record,
                    action="cosign",
                    actor=Actor(identity.user_id, member.name, source),
                    at=now,
                    detail=f"{member.name}{'确认联名' if outcome is CosignOutcome.CONFIRMED else verb}",
                )
                try:
                    await session.flush()
                    # the proposer's notice commits with the co-signature
                    count = await self._confirmed_in(session, record.id or 0)
                    await self.notifier.to_member(
                        record.proposer_user_id,
                        texts.cosign_notice(record, member, count, self.records.current_year()),
                        purpose="cosign_notice",
                        dedup_key=f"cosign:{record.id}:{identity.user_id}",
                        record_id=record.id,
                        session=session,
                    )
                    await session.commit()
                except IntegrityError:  # a concurrent 附议 of the same person won
                    await session.rollback()
                    outcome = CosignOutcome.ALREADY
        confirmed = await self.confirmed_count(record.id or 0)
        return CosignResult(record, outcome, confirmed)

    async def confirmed_count(self, record_id: int) -> int:
        async with self.db.session() as session:
            return await self._confirmed_in(session, record_id)

    @staticmethod
    async def _confirmed_in(session: AsyncSession, record_id: int) -> int:
        return (
            await session.exec(
                select(func.count())
                .select_from(Cosign)
                .where(Cosign.record_id == record_id, Cosign.status == CosignStatus.CONFIRMED)
            )
        ).one()

    async def cosigns(self, record_id: int) -> list[Cosign]:
        async with self.db.session() as session:
            rows = await session.exec(
                select(Cosign)
                .where(Cosign.record_id == record_id)
                .order_by(col(Cosign.created_at), col(Cosign.id))
            )
            return list(rows.all())

    # ------------------------------------------------------------------ withdraw

    async def withdraw(self, record: Record, identity: Identity, *, source: str) -> Record:
        """撤回: the proposer takes back a record not yet reviewed."""
        year = self.records.current_year()
        label = texts.label(record, year)
        if identity.user_id != record.proposer_user_id or identity.platform != record.platform:
            raise PermissionDenied(
                f"只有提出人{record.proposer_name}可以撤回{label}。"
                f"如需查看，请发送“{texts.query_command(record, year)}”。"
            )
        if record.status != RecordStatus.SUBMITTED:
            raise InvalidInput(
                f"{label}当前状态是“{RecordStatus(record.status).label}”，只有尚未审核（已提交）的"
                "才能撤回。如确需撤回，请联系机关工作人员。"
            )

        async def notify(session: AsyncSession, updated: Record) -> None:
            """Staff and the confirmed co-signers, in the withdrawal's transaction."""
            await self.notifier.to_staff_groups(
                f"{label}《{updated.title}》已由提出人{updated.proposer_name}撤回，无需审核。",
                purpose="intake_withdrawn",
                dedup_key=f"withdraw:{updated.id}",
                record_id=updated.id,
                session=session,
            )
            confirmed = await session.exec(
                select(Cosign.user_id)
                .where(Cosign.record_id == updated.id, Cosign.status == CosignStatus.CONFIRMED)
                .order_by(col(Cosign.id))
            )
            for user_id in confirmed.all():
                await self.notifier.to_member(
                    user_id,
                    f"您附议的{label}《{updated.title}》已由提出人{updated.proposer_name}撤回。",
                    purpose="withdraw_notice",
                    dedup_key=f"withdraw:{updated.id}:{user_id}",
                    record_id=updated.id,
                    session=session,
                )

        updated = await self.records.change(
            record.id or 0,
            action="withdraw",
            actor=Actor(identity.user_id, identity.name, source),
            to_status=RecordStatus.WITHDRAWN,
            expect=[RecordStatus.SUBMITTED],
            detail="提出人撤回",
            extra=notify,
        )
        self._unindex(updated)
        return updated

    # ------------------------------------------------------------------ reading

    async def may_view(self, record: Record, identity: Identity) -> bool:
        """Whether the asker may see a record's title, text and progress.

        A record submitted in a group is open to everyone. One submitted privately is open to
        its proposer, its co-signers (also while invited), staff, and the contacts of the units
        it was assigned to; to anyone else it exists only as a number (it is never shown in a
        members' group at all: the commands check that first).
        """
        if record.source_kind != "private" or identity.is_staff:
            return True
        if identity.user_id == record.proposer_user_id and identity.platform == record.platform:
            return True
        async with self.db.session() as session:
            cosigned = (
                await session.exec(
                    select(Cosign.id).where(
                        Cosign.record_id == record.id,
                        Cosign.platform == identity.platform,
                        Cosign.user_id == identity.user_id,
                    )
                )
            ).first()
        return cosigned is not None or await self._handled_by(record, identity)

    async def _handled_by(self, record: Record, identity: Identity) -> bool:
        """Whether the asker is a contact of a unit the record was assigned to."""
        if not identity.unit_ids:
            return False
        async with self.db.session() as session:
            units = (
                await session.exec(
                    select(Assignment.unit_id).where(Assignment.record_id == record.id)
                )
            ).all()
        return bool(set(units) & identity.unit_ids)

    async def detail(self, record: Record, identity: Identity) -> RecordDetail:
        """A record with its co-signers and the timeline the asker may see."""
        internal = identity.is_staff or await self._handled_by(record, identity)
        timeline = await self.records.timeline(record.id or 0, include_internal=internal)
        return RecordDetail(record, await self.cosigns(record.id or 0), timeline, internal)

    async def search(
        self,
        text: str,
        *,
        include_private: bool,
        viewer: Identity | None = None,
        limit: int = SEARCH_LIMIT,
    ) -> tuple[list[Record], bool]:
        """Records whose title or body contains every word, newest first; (records, more?).

        Privately submitted records only with `include_private` (never in a members' group),
        and then, for a `viewer` who is not staff, only their own and those they co-signed.
        """
        words = search_words(text)
        conditions = [
            or_(
                col(Record.title).icontains(word, autoescape=True),
                col(Record.body).icontains(word, autoescape=True),
            )
            for word in words
        ]
        query = select(Record).where(and_(*conditions), Record.status != RecordStatus.WITHDRAWN)
        if not include_private:
            query = query.where(Record.source_kind != "private")
        elif viewer is not None and not viewer.is_staff:
            cosigned = select(Cosign.record_id).where(
                Cosign.platform == viewer.platform, Cosign.user_id == viewer.user_id
            )
            query = query.where(
                or_(
                    Record.source_kind != "private",
                    and_(
                        Record.platform == viewer.platform,
                        Record.proposer_user_id == viewer.user_id,
                    ),
                    col(Record.id).in_(cosigned),
                )
            )
        async with self.db.session() as session:
            rows = await session.exec(
                query.order_by(col(Record.created_at).desc(), col(Record.id).desc()).limit(
                    limit + 1
                )
            )
            found = list(rows.all())
        return found[:limit], len(found) > limit

    async def mine(self, identity: Identity, *, include_private: bool) -> Overview:
        """我的: my records, what I co-signed, pending invitations, answers awaiting evaluation."""
        uid, platform = identity.user_id, identity.platform
        async with self.db.session() as session:
            own = select(Record).where(Record.platform == platform, Record.proposer_user_id == uid)
            total = (await session.exec(select(func.count()).select_from(own.subquery()))).one()
            visible = own if include_private else own.where(Record.source_kind != "private")
            shown_total = (
                await session.exec(select(func.count()).select_from(visible.subquery()))
            ).one()
            submitted = list(
                (
                    await session.exec(
                        visible.order_by(
                            col(Record.created_at).desc(), col(Record.id).desc()
                        ).limit(MINE_LIMIT)
                    )
                ).all()
            )
            joined = (
                select(Record, Cosign)
                .join(Cosign, col(Cosign.record_id) == col(Record.id))
                .where(Cosign.platform == platform, Cosign.user_id == uid)
                .order_by(col(Cosign.created_at).desc(), col(Cosign.id).desc())
            )
            if not include_private:
                joined = joined.where(Record.source_kind != "private")
            cosigned: list[Record] = []
            invitations: list[Record] = []
            for record, cosign in (await session.exec(joined)).all():
                if cosign.status == CosignStatus.CONFIRMED and len(cosigned) < MINE_LIMIT:
                    cosigned.append(record)
                elif cosign.status == CosignStatus.PENDING and record.status in COSIGN_OPEN:
                    invitations.append(record)
            answers = (
                await session.exec(
                    select(Record, Answer)
                    .join(Answer, col(Answer.record_id) == col(Record.id))
                    .outerjoin(
                        Evaluation,
                        and_(
                            col(Evaluation.record_id) == col(Answer.record_id),
                            col(Evaluation.round) == col(Answer.round),
                        ),
                    )
                    .where(
                        Record.platform == platform,
                        Record.proposer_user_id == uid,
                        col(Evaluation.id).is_(None),
                    )
                    .order_by(col(Answer.answered_at), col(Answer.id))
                )
            ).all()
        awaiting: list[tuple[Record, Answer]] = []
        seen: set[tuple[int, int]] = set()
        for record, answer in answers:
            key = (answer.record_id, answer.round)
            if key in seen or (not include_private and record.source_kind == "private"):
                continue
            seen.add(key)
            awaiting.append((record, answer))
        return Overview(
            submitted=submitted,
            submitted_total=shown_total,
            cosigned=cosigned,
            invitations=invitations,
            awaiting_evaluation=awaiting,
            hidden_private=total - shown_total,
        )

    async def resolve(self, kind: RecordKind, text: str) -> Record:
        """The record of `kind` a member means by `17` / `2026-17`, with a usage hint if empty."""
        if not text.strip():
            raise InvalidInput(
                f"请写{kind.label}编号，例如：{texts.QUERY_COMMANDS[kind]} 17"
                f"（往年的写成 {self.records.current_year() - 1}-17）"
            )
        return await self.records.resolve(kind, text)


def _log_build_failure(task: asyncio.Task[int]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("building the similarity index failed", exc_info=task.exception())


def _add_rows(index: SimilarityIndex, rows: Sequence[tuple[int, str, int, str, str, str]]) -> None:
    for record_id, kind, year, title, body, _hash in rows:
        index.add(record_id, body, year=year, kind=kind, title=title)


def _add_record(
    index: SimilarityIndex, record: Record, weights: dict[str, float] | None = None
) -> None:
    if weights is None:
        index.add(
            record.id or 0, record.body, year=record.year, kind=record.kind, title=record.title
        )
        return
    index.add(
        record.id or 0,
        record.body,
        year=record.year,
        kind=record.kind,
        title=record.title,
        weights=weights,
    )
