"""Reading records (RecordQueries): who may see one (may_view), its detail, 搜索, 我的, and the
record a member names by number or by quoting a message.

A record submitted in a group is open to everyone. One submitted privately is open to its
proposer, its co-signers (also while invited), staff, and the contacts of the units it was
assigned to; to anyone else it exists only as a number, and it is never shown in a members'
group at all (the commands check that first: ``include_private``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from bot.core.errors import InvalidInput
from bot.core.intake import texts
from bot.core.intake.results import COSIGN_OPEN, Overview, RecordDetail
from bot.core.models import (
    Answer,
    Assignment,
    Cosign,
    CosignStatus,
    Evaluation,
    Record,
    RecordStatus,
)

if TYPE_CHECKING:
    from sqlmodel.sql.expression import Select

    from bot.core.db import Database
    from bot.core.intake.cosign import CosignService
    from bot.core.people.identity import Identity
    from bot.core.records.kinds import RecordKind
    from bot.core.records.service import RecordService

SEARCH_LIMIT = 10
SEARCH_MAX_WORDS = 5
SEARCH_WORD_MAX = 30
"""搜索 takes at most this many words of at most this many characters: longer patterns are
pointless for titles and bodies and make SQLite refuse the query (LIKE pattern too complex)."""
MINE_LIMIT = 10


#: Timeline actions only staff see, even among internal notes: the unit's quality rating of the
#: proposal (提案质量, 双向评价) is "back to back", for staff and duty points.
STAFF_ONLY_ACTIONS = frozenset({"quality"})


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


@dataclass(eq=False)
class RecordQueries:
    db: Database
    records: RecordService
    cosigns: CosignService

    # ------------------------------------------------------------------ naming a record

    async def resolve(self, kind: RecordKind, text: str) -> Record:
        """The record of `kind` a member means by `17` / `2026-17`, with a usage hint if empty."""
        if not text.strip():
            raise InvalidInput(
                f"请写{kind.label}编号，例如：{texts.QUERY_COMMANDS[kind]} 17"
                f"（往年的写成 {self.records.current_year() - 1}-17）"
            )
        return await self.records.resolve(kind, text)

    async def by_reply(self, message_id: str, platform: str = "qq") -> Record | None:
        """The record a quoted message stands for (the post or the bot's confirmation)."""
        return await self.records.by_message(message_id, platform)

    # ------------------------------------------------------------------ visibility

    async def may_view(self, record: Record, identity: Identity) -> bool:
        """Whether the asker may see a record's title, text and progress (see the module)."""
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
        if not identity.is_staff:
            timeline = [e for e in timeline if e.action not in STAFF_ONLY_ACTIONS]
        cosigns = await self.cosigns.for_record(record.id or 0)
        return RecordDetail(record, cosigns, timeline, internal)

    # ------------------------------------------------------------------ 搜索

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
        newest = query.order_by(col(Record.created_at).desc(), col(Record.id).desc())
        async with self.db.session() as session:
            found = list((await session.exec(newest.limit(limit + 1))).all())
        return found[:limit], len(found) > limit

    # ------------------------------------------------------------------ 我的

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
            newest = visible.order_by(col(Record.created_at).desc(), col(Record.id).desc())
            submitted = list((await session.exec(newest.limit(MINE_LIMIT))).all())
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
            answers = (await session.exec(_unevaluated(platform, uid))).all()
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


def _unevaluated(platform: str, user_id: str) -> Select[tuple[Record, Answer]]:
    """The answers to a member's records that they have not evaluated yet, oldest first."""
    return (
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
            Record.proposer_user_id == user_id,
            col(Evaluation.id).is_(None),
        )
        .order_by(col(Answer.answered_at), col(Answer.id))
    )
