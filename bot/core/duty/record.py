"""履职档案 (a member's duty record for a year): what they did, record by record — proposals
with their outcome (status, lead unit, A/B/C, the member's evaluation, 回头看), opinion leads
with adoption and 批示, co-signs, discussions, topics — and their duty points. Read for one
member (履职报告) or for everyone at once (导出 履职): a few year-wide queries, grouped here.

What is never in it: the unit's quality rating of a proposal (提案质量, staff only), though
its points count in the total as the point table says."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from bot.core.clock import local_instant
from bot.core.duty.service import FEW, DutyService, MemberPoints
from bot.core.models import (
    Answer,
    Cosign,
    CosignStatus,
    Discussion,
    DiscussionParticipant,
    Evaluation,
    EvaluationResult,
    ExcellentProposal,
    Lookback,
    LookbackOutcome,
    Member,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind
from bot.core.stats.rates import ADOPTED_STATES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database

INSTRUCTION_PREFIX = "获领导批示："


@dataclass(frozen=True)
class ProposalLine:
    number: int
    title: str
    status: str  # its label (已办结 …)
    is_key: bool = False
    excellent: bool = False
    unit: str | None = None  # the latest answer's unit
    answer: str | None = None  # A / B / C of the latest answer
    evaluation: str | None = None  # the latest evaluation's label
    lookback: str | None = None  # the latest 回头看 outcome's label
    cosigners: int = 0
    rounds: int = 1


@dataclass(frozen=True)
class OpinionLine:
    number: int
    title: str
    status: str
    adopted: bool
    instructions: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherLine:
    """A co-signed proposal (with its proposer), a topic, or a discussion (D3)."""

    label: str
    title: str
    note: str = ""


@dataclass
class DutyRecord:
    user_id: str
    name: str
    sector: str | None
    year: int
    points: MemberPoints
    proposals: list[ProposalLine] = field(default_factory=list)
    opinions: list[OpinionLine] = field(default_factory=list)
    cosigns: list[OtherLine] = field(default_factory=list)
    discussions: list[OtherLine] = field(default_factory=list)
    topics: list[OtherLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.proposals or self.opinions or self.cosigns or self.discussions or self.topics
        )


class DutyRecords:
    """Builds duty records (``services.duty_records``) from the records and ``services.duty``."""

    def __init__(self, db: Database, duty: DutyService) -> None:
        self.db = db
        self.duty = duty

    async def one(self, member: Member, year: int) -> DutyRecord:
        return (await self.many([member], year))[0]

    async def many(self, people: Sequence[Member], year: int) -> list[DutyRecord]:
        """The records of ``people`` (in their order) for the year."""
        points = await self.duty.members(people, year)
        found = {p.user_id: DutyRecord(p.user_id, p.name, p.sector, year, p) for p in points}
        ids = list(found)
        async with self.db.session() as session:
            for user_id, kind, line in await _own_lines(session, year, ids):
                target = found[user_id]
                if kind == RecordKind.PROPOSAL:
                    target.proposals.append(line)
                elif kind == RecordKind.OPINION:
                    target.opinions.append(line)
                else:
                    target.topics.append(line)
            for user_id, line in await _cosigned(session, year, ids):
                found[user_id].cosigns.append(line)
            for user_id, line in await _discussions(session, year, ids):
                found[user_id].discussions.append(line)
        return list(found.values())


def _only(query: Any, column: Any, ids: Sequence[str]) -> Any:
    """``query`` limited to ``ids`` when they are few (else the year is read and filtered)."""
    return query.where(col(column).in_(list(ids))) if len(ids) <= FEW else query


async def _own_lines(
    session: AsyncSession, year: int, ids: Sequence[str]
) -> list[tuple[str, str, Any]]:
    wanted = set(ids)
    query = _only(
        select(Record).where(Record.year == year, Record.status != RecordStatus.WITHDRAWN),
        Record.proposer_user_id,
        ids,
    )
    records = [
        r
        for r in (await session.exec(query.order_by(col(Record.kind), col(Record.number)))).all()
        if r.proposer_user_id in wanted
    ]
    proposals = [r for r in records if r.kind == RecordKind.PROPOSAL]
    handling = await _handling(session, [r.id or 0 for r in proposals])
    instructions = await _instructions(
        session, [r.id or 0 for r in records if r.kind == RecordKind.OPINION]
    )
    lines: list[tuple[str, str, Any]] = []
    for record in records:
        status = RecordStatus(record.status).label
        if record.kind == RecordKind.PROPOSAL:
            line: Any = handling.get(record.id or 0, _Handling()).line(record, status)
        elif record.kind == RecordKind.OPINION:
            adopted = record.status in ADOPTED_STATES
            line = OpinionLine(
                record.number,
                record.title,
                status,
                adopted,
                tuple(instructions.get(record.id or 0, ())),
            )
        else:
            line = OtherLine(RecordKind.TOPIC.describe(record.number), record.title, status)
        lines.append((record.proposer_user_id, record.kind, line))
    return lines


@dataclass
class _Handling:
    """What a proposal's handling came to (its latest answer, evaluation, look-back)."""

    answer: tuple[int, int, str, str | None] | None = None  # (round, id, category, unit)
    evaluation: tuple[int, str] | None = None  # (round, result)
    lookback: tuple[int, str] | None = None  # (year, outcome)
    excellent: bool = False
    cosigners: int = 0

    def line(self, record: Record, status: str) -> ProposalLine:
        return ProposalLine(
            number=record.number,
            title=record.title,
            status=status,
            is_key=record.is_key,
            excellent=self.excellent,
            unit=self.answer[3] if self.answer else None,
            answer=self.answer[2] if self.answer else None,
            evaluation=EvaluationResult(self.evaluation[1]).label if self.evaluation else None,
            lookback=LookbackOutcome(self.lookback[1]).label if self.lookback else None,
            cosigners=self.cosigners,
            rounds=record.round,
        )


async def _handling(session: AsyncSession, record_ids: list[int]) -> dict[int, _Handling]:
    found: dict[int, _Handling] = defaultdict(_Handling)
    if not record_ids:
        return found
    for chunk in _chunks(record_ids):
        answers = await session.exec(
            select(Answer.record_id, Answer.round, Answer.id, Answer.category, Unit.name)
            .outerjoin(Unit, col(Unit.id) == col(Answer.unit_id))
            .where(col(Answer.record_id).in_(chunk))
        )
        for rid, round_, aid, category, unit in answers.all():
            mine = found[rid]
            if mine.answer is None or (round_, aid or 0) > mine.answer[:2]:
                mine.answer = (round_, aid or 0, category, unit)
        evaluations = await session.exec(
            select(Evaluation.record_id, Evaluation.round, Evaluation.result).where(
                col(Evaluation.record_id).in_(chunk)
            )
        )
        for rid, round_, result in evaluations.all():
            if found[rid].evaluation is None or round_ > found[rid].evaluation[0]:  # type: ignore[index]
                found[rid].evaluation = (round_, result)
        lookbacks = await session.exec(
            select(Lookback.record_id, Lookback.year, Lookback.outcome).where(
                col(Lookback.record_id).in_(chunk), col(Lookback.outcome).is_not(None)
            )
        )
        for rid, year, outcome in lookbacks.all():
            if found[rid].lookback is None or year > found[rid].lookback[0]:  # type: ignore[index]
                found[rid].lookback = (year, outcome)
        chosen = await session.exec(
            select(ExcellentProposal.record_id).where(col(ExcellentProposal.record_id).in_(chunk))
        )
        for rid in chosen.all():
            found[rid].excellent = True
        cosigns = await session.exec(
            select(Cosign.record_id).where(
                col(Cosign.record_id).in_(chunk), Cosign.status == CosignStatus.CONFIRMED.value
            )
        )
        for rid in cosigns.all():
            found[rid].cosigners += 1
    return found


async def _instructions(session: AsyncSession, record_ids: list[int]) -> dict[int, list[str]]:
    """Each opinion lead's 批示, oldest first (the text as staff recorded it)."""
    found: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(record_ids):
        rows = await session.exec(
            select(TimelineEntry.record_id, TimelineEntry.detail)
            .where(col(TimelineEntry.record_id).in_(chunk), TimelineEntry.action == "instruction")
            .order_by(col(TimelineEntry.id))
        )
        for rid, detail in rows.all():
            found[rid].append((detail or "").removeprefix(INSTRUCTION_PREFIX))
    return found


async def _cosigned(
    session: AsyncSession, year: int, ids: Sequence[str]
) -> list[tuple[str, OtherLine]]:
    query = _only(
        select(Cosign.user_id, Record.number, Record.title, Record.proposer_name)
        .join(Record, col(Record.id) == col(Cosign.record_id))
        .where(
            Record.year == year,
            Record.kind == RecordKind.PROPOSAL.value,
            Record.status != RecordStatus.WITHDRAWN,
            Cosign.status == CosignStatus.CONFIRMED.value,
        )
        .order_by(col(Record.number)),
        Cosign.user_id,
        ids,
    )
    wanted = set(ids)
    return [
        (user_id, OtherLine(RecordKind.PROPOSAL.describe(number), title, f"提案人：{name}"))
        for user_id, number, title, name in (await session.exec(query)).all()
        if user_id in wanted
    ]


async def _discussions(
    session: AsyncSession, year: int, ids: Sequence[str]
) -> list[tuple[str, OtherLine]]:
    """Discussions started in the (local) year that the member took part in."""
    start = local_instant(date(year, 1, 1), time(0))
    end = local_instant(date(year + 1, 1, 1), time(0))
    query = _only(
        select(DiscussionParticipant.user_id, Discussion.id, Discussion.topic)
        .join(Discussion, col(Discussion.id) == col(DiscussionParticipant.discussion_id))
        .where(Discussion.created_at >= start, Discussion.created_at < end)
        .order_by(col(Discussion.id)),
        DiscussionParticipant.user_id,
        ids,
    )
    wanted = set(ids)
    return [
        (user_id, OtherLine(f"D{did}", topic))
        for user_id, did, topic in (await session.exec(query)).all()
        if user_id in wanted
    ]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
