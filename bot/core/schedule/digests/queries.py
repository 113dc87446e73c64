"""What the digests read from the database: the records new or moved on in a window (members'
digests), the rejections and withdrawals of a window (staff digest), and a sector's totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import col, func, select

from bot.core.models import KeySupervision, Record, RecordStatus, TimelineEntry
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from datetime import datetime

    from bot.core.db import Database

#: States members' groups are not told of (offices do not announce rejections there): the member
#: is told privately, the staff digest counts them.
UNANNOUNCED = frozenset(
    {
        RecordStatus.REJECTED,
        RecordStatus.NOT_ADOPTED,
        RecordStatus.WITHDRAWN,
        RecordStatus.NOT_PLANNED,
    }
)


@dataclass
class Changes:
    """What a members' digest covers: new records and records that moved on (those submitted
    privately only counted)."""

    new: list[Record]
    progress: list[tuple[Record, str]]
    private_new: int = 0
    private_progress: int = 0

    @property
    def count(self) -> int:
        return len(self.new) + len(self.progress) + self.private_new + self.private_progress

    @property
    def private_note(self) -> str:
        """`另有私聊提交的事项：新提交 1 件、有新进展 2 件` ("" when there are none)."""
        parts = []
        if self.private_new:
            parts.append(f"新提交 {self.private_new} 件")
        if self.private_progress:
            parts.append(f"有新进展 {self.private_progress} 件")
        return f"另有私聊提交的事项：{'、'.join(parts)}" if parts else ""


async def changes(
    db: Database, start: datetime, end: datetime, sector: str | None = None
) -> Changes:
    """What a members' digest may say of ``start`` to ``end`` (only the sector's records when
    given): new records and positive progress; privately submitted ones only counted. Rejected,
    not adopted and withdrawn records are left out altogether (see :data:`UNANNOUNCED`)."""
    async with db.session() as session:
        query = select(Record).where(
            Record.created_at >= start,
            Record.created_at < end,
            Record.status != RecordStatus.WITHDRAWN,
        )
        if sector is not None:
            query = query.where(Record.proposer_sector == sector)
        new = list((await session.exec(query.order_by(col(Record.id)))).all())
        moves = select(TimelineEntry, Record).join(
            Record, col(Record.id) == col(TimelineEntry.record_id)
        )
        moves = moves.where(
            TimelineEntry.at >= start,
            TimelineEntry.at < end,
            col(TimelineEntry.to_status).is_not(None),
            TimelineEntry.public,
            TimelineEntry.action != "submit",
        )
        if sector is not None:
            moves = moves.where(Record.proposer_sector == sector)
        rows = (
            await session.exec(moves.order_by(col(TimelineEntry.at), col(TimelineEntry.id)))
        ).all()
    return _announced(new, list(rows))


def _announced(new: list[Record], rows: list[Any]) -> Changes:
    """The new records and each other record's latest move, less what members are not told."""
    new_ids = {r.id for r in new}
    latest: dict[int, tuple[Record, str]] = {}
    for entry, record in rows:
        if record.id in new_ids or entry.to_status == RecordStatus.SUBMITTED:
            continue
        latest[record.id or 0] = (record, entry.to_status or record.status)
    # a rejection is told to its member privately, never announced in a members' group
    new = [r for r in new if r.status not in UNANNOUNCED]
    moved = [
        (r, s) for r, s in latest.values() if s not in UNANNOUNCED and r.status not in UNANNOUNCED
    ]
    progress = [(r, s) for r, s in moved if r.source_kind != "private"]
    progress.sort(key=lambda item: (item[0].kind, item[0].year, item[0].number))
    return Changes(
        new=[r for r in new if r.source_kind != "private"],
        progress=progress,
        private_new=sum(1 for r in new if r.source_kind == "private"),
        private_progress=len(moved) - len(progress),
    )


async def unannounced_counts(db: Database, start: datetime, end: datetime) -> dict[str, int]:
    """How many records became 不予立案 / 已撤回 / 未采用 between ``start`` and ``end`` (for the
    staff digest: members' digests do not name them)."""
    async with db.session() as session:
        rows = (
            await session.exec(
                select(TimelineEntry.to_status, func.count(func.distinct(TimelineEntry.record_id)))
                .where(
                    TimelineEntry.at >= start,
                    TimelineEntry.at < end,
                    col(TimelineEntry.to_status).in_([s.value for s in UNANNOUNCED]),
                )
                .group_by(TimelineEntry.to_status)
            )
        ).all()
    return {str(status): int(n) for status, n in rows}


async def awaiting_evaluation(db: Database) -> int:
    """Proposals answered and waiting for the proposer's evaluation."""
    async with db.session() as session:
        return (
            await session.exec(
                select(func.count()).where(
                    Record.kind == RecordKind.PROPOSAL.value,
                    Record.status == RecordStatus.ANSWERED,
                )
            )
        ).one()


async def sector_counts(db: Database, sector: str, year: int) -> dict[str, int]:
    """The sector's members' proposals of ``year`` by state (withdrawn ones left out)."""
    async with db.session() as session:
        rows = (
            await session.exec(
                select(Record.status, func.count())
                .where(
                    Record.kind == RecordKind.PROPOSAL.value,
                    Record.year == year,
                    Record.proposer_sector == sector,
                    Record.status != RecordStatus.WITHDRAWN,
                )
                .group_by(Record.status)
            )
        ).all()
    return {str(status): int(n) for status, n in rows}


@dataclass(frozen=True)
class KeyItem:
    """A key proposal (重点提案) of the year, for the monthly digest's own section: its
    supervising leader (督办领导) and how many 督办 activities it has had."""

    record: Record
    leader: str | None
    activities: int


async def key_proposals(db: Database, year: int) -> list[KeyItem]:
    activities = (
        select(func.count(col(TimelineEntry.id)))
        .where(col(TimelineEntry.record_id) == col(Record.id), TimelineEntry.action == "supervise")
        .scalar_subquery()
    )
    query = (
        select(Record, KeySupervision.leader, activities)
        .outerjoin(KeySupervision, col(KeySupervision.record_id) == col(Record.id))
        .where(
            Record.kind == RecordKind.PROPOSAL.value,
            Record.year == year,
            col(Record.is_key).is_(True),
        )
        .order_by(col(Record.number))
    )
    async with db.session() as session:
        rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return [KeyItem(record, leader, int(n or 0)) for record, leader, n in rows]
