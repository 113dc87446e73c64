"""IntakeService: a tagged post becomes a numbered record (parse → analyse → store).

Framework-free. The adapter turns a chat message into segments (bot/nb/segments.py) and calls
:meth:`IntakeService.submit`. Refusals are :class:`DomainError` with a Chinese message that says
what to type instead.

The hot path: the text work (jieba segmentation, category, keywords, the similarity query) runs
in a worker thread; the post is then ONE synchronous transaction (:meth:`_store`, through
``Database.run_sync``) holding the re-delivery mark (``seen.join``), the duplicate check, the
number (``bot.core.records.numbering``), the record, its timeline entry, the link to the post,
the invitations, the similar records and the messages to queue.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import KW_ONLY, InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert

from bot.core import seen
from bot.core.delivery.notify import Notifier, group_key
from bot.core.delivery.outbox import (
    CONFIRMATION_PURPOSE,
    RESENT_PREFIX,
    OutboxService,
    Target,
    mention_part,
    text_part,
)
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake import texts
from bot.core.intake.cosign import MAX_COSIGNERS, CosignService, NameResolver
from bot.core.intake.parser import TEMPLATES, ParsedPost, ParseError, parse_post
from bot.core.intake.results import SimilarRecord, Source, SubmitResult
from bot.core.intake.terms import terms_row
from bot.core.intake.throttle import Throttle, content_hash, recent_duplicate
from bot.core.models import Cosign, Member, Record, RecordTerms
from bot.core.public.queries import take_up_tip
from bot.core.records.hooks import RecordChange
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor, RecordService
from bot.core.text import (
    CategoryLexicon,
    extract_keywords,
    has_concrete_suggestion,
    init_text_engine,
)
from bot.core.text.similarity import term_weights

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlmodel import Session

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.intake.index import SimilarityService
    from bot.core.intake.segments import Segment
    from bot.core.people.identity import Identity

logger = logging.getLogger(__name__)

KEYWORDS = 8
HOW_TO_REGISTER = (
    "请先在委员群（全体群或界别群）里发一句话，机器人会按群名片（如“农业界-张三”）自动登记；"
    "或请机关工作人员发送“委员 设置 @您 界别 农业界”为您登记。"
)


@dataclass(frozen=True)
class _Analysis:
    has_suggestion: bool
    category: str | None
    keywords: list[str]
    matches: list[tuple[int, float]]
    weights: dict[str, float] | None = None
    """The post's term weights, computed once for the similarity query and reused to index it."""


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
    weights: dict[str, float] | None
    """The post's term weights, stored with it (None: the index computes them)."""


@dataclass(frozen=True)
class _Stored:
    duplicate: Record | None = None
    similar: list[SimilarRecord] = field(default_factory=list)
    cosigners: list[Cosign] = field(default_factory=list)


@dataclass(eq=False)
class IntakeService:
    db: Database
    clock: Clock
    records: RecordService
    outbox: OutboxService
    notifier: Notifier
    similarity: SimilarityService
    cosigns: CosignService
    _: KW_ONLY
    data_dir: Path
    rate_per_minute: InitVar[int] = 6
    throttle: Throttle = field(init=False)
    """The per-minute allowance and the one-post-at-a-time lock."""
    lexicon: CategoryLexicon | None = field(init=False, default=None)
    """The category lexicon, loaded by :meth:`start`."""

    def __post_init__(self, rate_per_minute: int) -> None:
        self.throttle = Throttle(self.clock, rate_per_minute)
        self._insert_terms = insert(RecordTerms)

    async def start(self) -> None:
        """Initialise jieba and load the category lexicon (off the event loop)."""
        data_dir = Path(self.data_dir)
        await asyncio.to_thread(init_text_engine, data_dir, data_dir / "cache")
        self.lexicon = await asyncio.to_thread(CategoryLexicon.load_default, data_dir)

    def check_submitter(self, identity: Identity, kind: RecordKind) -> Member:
        """The roster entry of someone allowed to submit; PermissionDenied with how to register."""
        member = identity.member
        if member is None:
            raise PermissionDenied(
                f"您还不在委员名单中，暂时不能提交{kind.label}。{HOW_TO_REGISTER}"
                f"登记后再按以下格式发送：\n{TEMPLATES[kind]}"
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
            self.throttle.admit(identity)
            raise InvalidInput(post.message)
        member = self.check_submitter(identity, post.kind)
        self.throttle.admit(identity)
        if post.mentions_all:
            logger.warning("post by %s mentions everyone; ignored", identity.user_id)
        # one post at a time per member, so that a quick double post is found as a duplicate
        async with self.throttle.one_at_a_time(identity):
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
        warnings = [w.message for w in post.warnings if w.code != "no_suggestion"]
        ready = await self.similarity.wait_ready()
        if ready:
            await self.similarity.catch_up()
        analysis = await asyncio.to_thread(self._analyze, kind, post, ready)
        if kind is RecordKind.PROPOSAL and post.body and not analysis.has_suggestion:
            warnings.append(texts.NO_SUGGESTION_WARNING)
        invitees = await self._invitees(post, segments, identity, resolve_name, source, warnings)
        record = self._record(post, identity, member, source, analysis)
        detail = "私聊提交" if source.is_private else "群聊提交"
        if source.origin:
            detail += f"；{source.origin}"
        if invitees:
            detail += "；邀请联名：" + "、".join(name for _, name in invitees)
        pending = _Pending(
            record,
            Actor(identity.user_id, member.name, source.label),
            detail,
            source,
            member,
            invitees,
            analysis.matches,
            ready,
            # stored only when they are the record's own (a title cut at 200 characters is not)
            analysis.weights if record.title == post.title else None,
        )
        year = self.records.current_year()
        staff_groups = await self.notifier.staff_group_ids()
        async with self.records.numbering(kind):
            stored = await self.db.run_sync(self._store, pending, staff_groups, year)
        if stored.duplicate is not None:
            return SubmitResult(stored.duplicate, duplicate=True, mentions_all=post.mentions_all)
        self.outbox.wake()
        if post.tip_number is not None:
            warnings.append(await take_up_tip(self.db, post.tip_number, record.id or 0))
        # the post's vector is ready: index it now; the change hooks then find it indexed
        await self.similarity.add(record, analysis.weights)
        await self.records.hooks.fire([RecordChange(record, "submit")])
        return SubmitResult(
            record,
            similar=stored.similar,
            warnings=warnings,
            cosigners=stored.cosigners,
            mentions_all=post.mentions_all,
            similar_checked=ready,
        )

    async def _invitees(
        self,
        post: ParsedPost,
        segments: Sequence[Segment],
        identity: Identity,
        resolve_name: NameResolver | None,
        source: Source,
        warnings: list[str],
    ) -> list[tuple[str, str]]:
        """The co-signers to invite (topics take none); what was left out goes to `warnings`."""
        invitees, left_out = await self.cosigns.invitees(
            post, segments, identity, resolve_name, private=source.is_private
        )
        if post.kind is RecordKind.TOPIC:
            if invitees or left_out:
                warnings.append(texts.TOPIC_NO_COSIGN)
            return []
        if len(invitees) > MAX_COSIGNERS:
            warnings.append(f"联名人最多{MAX_COSIGNERS}位，只邀请了前{MAX_COSIGNERS}位。")
            invitees = invitees[:MAX_COSIGNERS]
        warnings.extend(left_out)
        return invitees

    def _record(
        self,
        post: ParsedPost,
        identity: Identity,
        member: Member,
        source: Source,
        analysis: _Analysis,
    ) -> Record:
        """The record a post becomes (numbered when stored)."""
        return Record(
            kind=post.kind,
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
            content_hash=content_hash(post.kind, post.full_text),
            has_suggestion=analysis.has_suggestion,
            category=analysis.category,
            keywords=texts.join_keywords(analysis.keywords),
            attachments=[{"kind": a.kind, "name": a.name, "url": a.url} for a in post.attachments],
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
        existing = recent_duplicate(session, record, self.clock.now())
        if existing is not None:
            if source.message_id:
                self.records.link_message_in(
                    session, existing.id or 0, source.message_id, "post", source.platform
                )
                session.commit()
            return _Stored(duplicate=existing)
        # the number comes from a counter row locked until this transaction ends: no retry
        self.records.insert_numbered(session, record, actor=pending.actor, detail=pending.detail)
        if pending.weights is not None:  # read by the next build of the similarity index
            row = terms_row(record.id or 0, record.kind, record.title, record.body, pending.weights)
            session.exec(self._insert_terms, params=row)  # type: ignore[call-overload]
        cosigners = self.cosigns.invite(session, record, source, pending.invitees, self.clock.now())
        if source.message_id:
            self.records.link_message_in(
                session, record.id or 0, source.message_id, "post", source.platform
            )
        similar = (
            self.similarity.similar_rows(
                session, pending.matches, RecordKind(record.kind), {record.id or 0}
            )
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
        index = self.similarity.index
        keywords = extract_keywords(body, KEYWORDS, title=post.title, index=index, kind=kind)
        weights = term_weights(body, post.title)
        matches = self.similarity.matches(kind, post.title, body, weights) if with_index else []
        # the record is indexed under its body and title: the query's vector serves for that
        # too, unless the post had no body and the query used the full text
        return _Analysis(
            has_suggestion, category, keywords, matches, weights if body == post.body else None
        )

    # ------------------------------------------------------------------ the confirmation

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
        goes out (bot/core/delivery/sender.py)."""
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
