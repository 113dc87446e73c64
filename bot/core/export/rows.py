"""What the export holds: the year's proposals (one row each, the current round's units and
dates), opinion leads and topics, read in a few column queries (no ORM objects)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from bot.core.clock import local_date
from bot.core.models import (
    STATUS_LABELS,
    Answer,
    Assignment,
    AssignmentRole,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from bot.core.db import Database

Row = list[Any]

PROPOSAL_HEADERS = (
    "编号", "标题", "提案人", "联名人", "界别", "类别", "状态", "承办单位", "交办日期",
    "答复时限", "答复日期", "答复类别", "委员评价", "办结日期", "办理轮次", "提交方式",
)  # fmt: skip
OPINION_HEADERS = (
    "编号", "标题", "提交人", "界别", "状态", "提交日期", "采用日期", "报送日期", "批示日期",
    "落实日期", "提交方式",
)  # fmt: skip
TOPIC_HEADERS = ("编号", "内容", "提交人", "界别", "状态", "提交日期", "提交方式")
_EVALUATION = {e.value: e.label for e in EvaluationResult}


@dataclass
class _Round:
    lead: str = ""
    assisting: list[str] = field(default_factory=list)
    assigned_on: date | None = None
    due: date | None = None


def _status(status: str) -> str:
    try:
        return STATUS_LABELS[RecordStatus(status)]
    except ValueError:
        return status


def _source(record: Any) -> str:
    return "私聊" if record.source_kind == "private" else "群聊"


async def _records(db: Database, kind: RecordKind, year: int) -> Sequence[Any]:
    async with db.session() as session:
        return (
            await session.exec(
                select(
                    Record.id, Record.number, Record.title, Record.proposer_name,
                    Record.proposer_sector, Record.category, Record.status, Record.round,
                    Record.source_kind, Record.created_at, Record.merged_into_id,
                ).where(Record.kind == kind.value, Record.year == year)
                .order_by(col(Record.number))
            )
        ).all()  # fmt: skip


async def _steps(db: Database, ids: Any, actions: Sequence[str]) -> dict[tuple[int, str], date]:
    """The first date of each timeline action per record."""
    async with db.session() as session:
        rows = (
            await session.exec(
                select(TimelineEntry.record_id, TimelineEntry.action, TimelineEntry.at)
                .where(
                    col(TimelineEntry.record_id).in_(ids), col(TimelineEntry.action).in_(actions)
                )
                .order_by(col(TimelineEntry.id))
            )
        ).all()
    found: dict[tuple[int, str], date] = {}
    for record_id, action, at in rows:
        found.setdefault((record_id, action), local_date(at))
    return found


async def _handling(db: Database, year: int) -> tuple[Sequence[Any], ...]:
    """The year's confirmed co-signers, assignments (with unit names), answers, evaluations."""
    ids = select(Record.id).where(Record.kind == RecordKind.PROPOSAL.value, Record.year == year)
    async with db.session() as session:
        cosigners = (
            await session.exec(
                select(Cosign.record_id, Cosign.name, Cosign.user_id)
                .where(col(Cosign.record_id).in_(ids), Cosign.status == CosignStatus.CONFIRMED)
                .order_by(col(Cosign.id))
            )
        ).all()
        parts = (
            await session.exec(
                select(
                    Assignment.record_id, Assignment.round, Unit.name, Assignment.role,
                    Assignment.assigned_at, Assignment.due_date,
                )
                .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                .where(col(Assignment.record_id).in_(ids))
                .order_by(col(Assignment.id))
            )
        ).all()  # fmt: skip
        answers = (
            await session.exec(
                select(Answer.record_id, Answer.category, Answer.answered_at)
                .where(col(Answer.record_id).in_(ids))
                .order_by(col(Answer.round), col(Answer.id))
            )
        ).all()
        evaluations = (
            await session.exec(
                select(Evaluation.record_id, Evaluation.result)
                .where(col(Evaluation.record_id).in_(ids))
                .order_by(col(Evaluation.round))
            )
        ).all()
    return cosigners, parts, answers, evaluations, await _steps(db, ids, ["conclude"])


async def proposal_rows(db: Database, year: int) -> list[Row]:
    records = await _records(db, RecordKind.PROPOSAL, year)
    cosigners, parts, answers, evaluations, concluded = await _handling(db, year)
    names: dict[int, list[str]] = defaultdict(list)
    for record_id, name, user_id in cosigners:
        names[record_id].append(name or user_id)
    rounds: dict[tuple[int, int], _Round] = defaultdict(_Round)
    for record_id, round_, unit, role, assigned_at, due in parts:
        this = rounds[(record_id, round_)]
        if role == AssignmentRole.LEAD:
            this.lead, this.assigned_on, this.due = unit, local_date(assigned_at), due
        else:
            this.assisting.append(unit)
    latest_answer = {rid: (c, local_date(at)) for rid, c, at in answers}  # ordered: last wins
    latest_evaluation = {rid: _EVALUATION.get(r, r) for rid, r in evaluations}
    numbers = {r.id: r.number for r in records}
    rows: list[Row] = []
    for r in records:
        this = rounds.get((r.id, r.round), _Round())
        units = (f"主办：{this.lead}" if this.lead else "") + (
            f"；会办：{'、'.join(this.assisting)}" if this.assisting else ""
        )
        status = _status(r.status)
        if r.status == RecordStatus.MERGED and r.merged_into_id in numbers:
            status += f"（并入第{numbers[r.merged_into_id]}号）"
        category, answered_on = latest_answer.get(r.id, ("", None))
        rows.append(
            [
                r.number, r.title, r.proposer_name, "、".join(names.get(r.id, [])),
                r.proposer_sector or "", r.category or "", status, units, this.assigned_on,
                this.due, answered_on, category, latest_evaluation.get(r.id, ""),
                concluded.get((r.id, "conclude")), r.round, _source(r),
            ]
        )  # fmt: skip
    return rows


async def opinion_rows(db: Database, year: int) -> list[Row]:
    records = await _records(db, RecordKind.OPINION, year)
    steps = ("adopt", "submit_up", "instruction", "implement")
    ids = select(Record.id).where(Record.kind == RecordKind.OPINION.value, Record.year == year)
    dates = await _steps(db, ids, steps)
    return [
        [
            r.number, r.title, r.proposer_name, r.proposer_sector or "", _status(r.status),
            local_date(r.created_at), *(dates.get((r.id, s)) for s in steps), _source(r),
        ]
        for r in records
    ]  # fmt: skip


async def topic_rows(db: Database, year: int) -> list[Row]:
    records = await _records(db, RecordKind.TOPIC, year)
    return [
        [
            r.number, r.title, r.proposer_name, r.proposer_sector or "", _status(r.status),
            local_date(r.created_at), _source(r),
        ]
        for r in records
    ]  # fmt: skip
