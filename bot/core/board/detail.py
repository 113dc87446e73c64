"""One filed proposal's public page: who, which units in which round, the answers and
evaluations, the progress bar and the public timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.board import progress
from bot.core.board.listing import make_row
from bot.core.board.practice import honours_of
from bot.core.board.views import ProposalDetail, ProposalRef, RoundView, TimelineItem
from bot.core.board.visibility import (
    PUBLIC_ACTIONS,
    is_public,
    match_evaluations,
    public_entries,
    public_name,
    retell,
    scrub,
)
from bot.core.models import (
    Answer,
    Assignment,
    AssignmentRole,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    Record,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession


def ref_of(record: Record) -> ProposalRef:
    return ProposalRef(record.year, record.number, is_public(record))


@dataclass
class _Facts:
    """What one proposal's page is made of, as read from the database."""

    cosigns: Sequence[Cosign]
    parts: Sequence[tuple[Assignment, Unit]]
    answers: Sequence[Answer]
    evaluations: Sequence[Evaluation]
    entries: Sequence[TimelineEntry]
    merged_from: Sequence[Record]


async def load_detail(session: AsyncSession, year: int, number: int) -> ProposalDetail | None:
    """The page of proposal `year`-`number`, or None when there is none the public may see."""
    record = (
        await session.exec(
            select(Record).where(
                Record.kind == RecordKind.PROPOSAL.value,
                Record.year == year,
                Record.number == number,
            )
        )
    ).first()
    if record is None or not is_public(record):
        return None
    facts = await _gather(session, record.id or 0)
    merged_into = (
        await session.get(Record, record.merged_into_id) if record.merged_into_id else None
    )
    ids = [
        record.proposer_user_id,
        *(c.user_id for c in facts.cosigns),
        *(e.actor_user_id for e in facts.entries),
    ]
    shown = public_entries(facts.entries)
    columns = (record.id, record.year, record.number, scrub(record.title, ids))
    row = make_row(
        (
            *columns,
            record.proposer_name,
            record.proposer_user_id,
            record.proposer_sector,
            record.category,
            record.status,
            record.is_key,
        ),
        _lead_first(facts.parts),
        facts.answers[-1].category if facts.answers else None,
    )
    leader, excellent_year = await honours_of(session, record)
    return ProposalDetail(
        row=row,
        cosigners=[public_name(c.name, c.user_id) for c in facts.cosigns],
        rounds=_rounds(facts.parts, facts.answers, facts.evaluations),
        stages=progress.stages(record.status, shown),
        timeline=_timeline(shown, facts.evaluations, ids, merged_into),
        submitted_at=record.created_at,
        merged_into=ref_of(merged_into) if merged_into else None,
        merged_from=[ref_of(r) for r in facts.merged_from],
        leader=leader,
        excellent_year=excellent_year,
    )


async def _gather(session: AsyncSession, rid: int) -> _Facts:
    cosigns = await session.exec(
        select(Cosign)
        .where(Cosign.record_id == rid, Cosign.status == CosignStatus.CONFIRMED)
        .order_by(col(Cosign.id))
    )
    parts = await session.exec(
        select(Assignment, Unit)
        .join(Unit, col(Unit.id) == col(Assignment.unit_id))
        .where(Assignment.record_id == rid)
        .order_by(col(Assignment.round), col(Assignment.id))
    )
    answers = await session.exec(
        select(Answer).where(Answer.record_id == rid).order_by(col(Answer.round), col(Answer.id))
    )
    evaluations = await session.exec(select(Evaluation).where(Evaluation.record_id == rid))
    entries = await session.exec(
        select(TimelineEntry)
        .where(TimelineEntry.record_id == rid)
        .order_by(col(TimelineEntry.at), col(TimelineEntry.id))
    )
    merged_from = await session.exec(
        select(Record).where(Record.merged_into_id == rid).order_by(col(Record.number))
    )
    return _Facts(
        list(cosigns.all()),
        list(parts.all()),
        list(answers.all()),
        list(evaluations.all()),
        list(entries.all()),
        list(merged_from.all()),
    )


def _lead_first(parts: Sequence[tuple[Assignment, Unit]]) -> list[str]:
    """The latest round's units, the lead (主办) first."""
    if not parts:
        return []
    last = max(a.round for a, _ in parts)
    current = [(a.role != AssignmentRole.LEAD, u.name) for a, u in parts if a.round == last]
    return [name for _, name in sorted(current, key=lambda p: p[0])]


def _rounds(
    parts: Sequence[tuple[Assignment, Unit]],
    answers: Sequence[Answer],
    evaluations: Sequence[Evaluation],
) -> list[RoundView]:
    numbers = sorted({a.round for a, _ in parts} | {a.round for a in answers})
    result: list[RoundView] = []
    for round_ in numbers:
        mine = [(a, u) for a, u in parts if a.round == round_]
        lead = next((u.name for a, u in mine if a.role == AssignmentRole.LEAD), None)
        answer = next((a for a in reversed(answers) if a.round == round_), None)
        evaluation = next((e for e in evaluations if e.round == round_), None)
        result.append(
            RoundView(
                round=round_,
                lead=lead,
                assisting=[u.name for a, u in mine if a.role != AssignmentRole.LEAD],
                due=min((a.due_date for a, _ in mine), default=None),
                answered_at=answer.answered_at if answer else None,
                answer_category=answer.category if answer else None,
                evaluation=EvaluationResult(evaluation.result).label if evaluation else None,
            )
        )
    return result


def _timeline(
    entries: Sequence[TimelineEntry],
    evaluations: Sequence[Evaluation],
    ids: Sequence[str],
    merged_into: Record | None,
) -> list[TimelineItem]:
    by_entry = match_evaluations(entries, evaluations)
    items: list[TimelineItem] = []
    for entry in entries:
        text = retell(entry, evaluation=by_entry.get(entry.id or 0))
        link = ref_of(merged_into) if entry.action == "merge" and merged_into else None
        items.append(TimelineItem(entry.at, PUBLIC_ACTIONS[entry.action], scrub(text, ids), link))
    return items
