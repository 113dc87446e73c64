"""附议 and invitations (CosignService): members co-sign a record (support, for a topic), invited
co-signers confirm, and a post's named co-signers become invitations.

Who may be invited is decided by :func:`bot.core.intake.invitees.check_invitees`; here the names
and @-mentions of a post are looked up, and the invitations are added to the post's
transaction (pending until the invited member sends 附议).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake import texts
from bot.core.intake.invitees import check_invitees
from bot.core.intake.results import COSIGN_OPEN, CosignOutcome, CosignResult, Source
from bot.core.intake.segments import MentionSeg, Segment
from bot.core.models import Cosign, CosignStatus, Member, Record, RecordStatus, UnitContact
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor, RecordService, write_timeline

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.notify import Notifier
    from bot.core.intake.parser import ParsedPost
    from bot.core.people.identity import Identity
    from bot.core.people.members import MemberService

logger = logging.getLogger(__name__)

MAX_COSIGNERS = 30

NameResolver = Callable[[str], Awaitable[str | None]]


@dataclass(eq=False)
class CosignService:
    db: Database
    clock: Clock
    records: RecordService
    members: MemberService
    notifier: Notifier

    # ------------------------------------------------------------------ 附议

    async def cosign(self, record: Record, identity: Identity, *, source: str) -> CosignResult:
        """附议: add the asker as a co-signer, or confirm their invitation."""
        member = self._check(record, identity)
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
                outcome = await self._confirm(session, record, identity, member, existing, source)
        confirmed = await self.confirmed_count(record.id or 0)
        return CosignResult(record, outcome, confirmed)

    def _check(self, record: Record, identity: Identity) -> Member:
        """The asker's roster entry when they may co-sign `record` now; why not otherwise."""
        year = self.records.current_year()
        label = texts.label(record, year)
        member = identity.member
        if member is None or not identity.is_member:
            raise PermissionDenied(texts.not_a_member("附议"))
        if identity.user_id == record.proposer_user_id:
            raise InvalidInput(
                f"您是{label}的提出人，不需要附议。发送“{texts.query_command(record, year)}”"
                f"可查看{texts.cosign_noun(RecordKind(record.kind))}情况。"
            )
        if record.status not in COSIGN_OPEN:
            raise InvalidInput(
                f"{label}当前状态是“{RecordStatus(record.status).label}”，已不能附议。"
                f"发送“{texts.query_command(record, year)}”可查看办理情况。"
            )
        return member

    async def _confirm(
        self,
        session: AsyncSession,
        record: Record,
        identity: Identity,
        member: Member,
        existing: Cosign | None,
        source: str,
    ) -> CosignOutcome:
        """Store the co-signature (a new one, or the invitation confirmed), its timeline entry
        and the proposer's notice in one transaction."""
        now = self.clock.now()
        outcome = CosignOutcome.ADDED if existing is None else CosignOutcome.CONFIRMED
        cosign = existing or Cosign(
            record_id=record.id or 0,
            platform=identity.platform,
            user_id=identity.user_id,
            invited=False,
            created_at=now,
        )
        cosign.name = member.name[:64]
        cosign.status = CosignStatus.CONFIRMED
        cosign.confirmed_at = now
        session.add(cosign)
        write_timeline(
            session,
            record,
            action="cosign",
            actor=Actor(identity.user_id, member.name, source),
            at=now,
            detail=f"{member.name}{'确认联名' if outcome is CosignOutcome.CONFIRMED else '附议'}",
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
            return CosignOutcome.ALREADY
        return outcome

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

    async def for_record(self, record_id: int) -> list[Cosign]:
        """A record's co-signers, confirmed and invited, in the order they joined."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(Cosign)
                .where(Cosign.record_id == record_id)
                .order_by(col(Cosign.created_at), col(Cosign.id))
            )
            return list(rows.all())

    # ------------------------------------------------------------------ invitations

    async def invitees(
        self,
        post: ParsedPost,
        segments: Sequence[Segment],
        identity: Identity,
        resolve_name: NameResolver | None,
        *,
        private: bool,
    ) -> tuple[list[tuple[str, str]], list[str]]:
        """(user id, name) of the co-signers a post names to invite, and a warning for everyone
        named who is not invited: typed names nobody on the roster has, and people who are not
        members (see bot.core.intake.invitees)."""
        ids, warnings = await self._named(post, identity)
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

    async def _named(self, post: ParsedPost, identity: Identity) -> tuple[list[str], list[str]]:
        """The user ids a post @-mentions or names (typed names found once on the roster), and
        a warning for each typed name that is not."""
        ids = list(post.cosigner_ids)
        warnings: list[str] = []
        if not post.cosigner_names:
            return ids, warnings
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
        return ids, warnings

    async def _unit_contacts(self, user_ids: Sequence[str], platform: str) -> set[str]:
        async with self.db.session() as session:
            rows = await session.exec(
                select(UnitContact.user_id).where(
                    UnitContact.platform == platform, col(UnitContact.user_id).in_(list(user_ids))
                )
            )
            return set(rows.all())

    def invite(
        self,
        session: Session,
        record: Record,
        source: Source,
        invitees: list[tuple[str, str]],
        now: datetime,
    ) -> list[Cosign]:
        """Add the invited co-signers (pending until they confirm) to the caller's synchronous
        transaction (the post's)."""
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
