"""DutyService (``services.duty``): each member's duty points (履职积分) for a year, item by item
and one-to-one with the records (or staff-recorded entries) behind them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.duty.practice import practice_facts
from bot.core.duty.table import DutyItem, DutyTable, Source
from bot.core.errors import InvalidInput
from bot.core.models import (
    Cosign,
    CosignStatus,
    DutyEntry,
    Member,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.records.kinds import RecordKind
from bot.core.stats.rates import ACCEPTED_STATES, ADOPTED_STATES

if TYPE_CHECKING:
    from datetime import datetime

    from bot.core.clock import Clock
    from bot.core.db import Database

#: A provider of facts for a source the bot does not keep itself (e.g. discussions): given the
#: year and the people asked about (None: everyone), (user_id, what it was) pairs.
Provider = Callable[[int, Sequence[str] | None], Awaitable[list[tuple[str, str]]]]


@dataclass
class ItemPoints:
    """One item of one member's points: the item, and what earned it (one line each)."""

    item: DutyItem
    reasons: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def points(self) -> int:
        return self.count * self.item.points


@dataclass
class MemberPoints:
    user_id: str
    name: str
    sector: str | None
    items: dict[str, ItemPoints] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(i.points for i in self.items.values())

    def add(self, item: DutyItem, reason: str, count: int = 1) -> None:
        entry = self.items.setdefault(item.name, ItemPoints(item))
        entry.count += count
        entry.reasons.append(reason)


class DutyService:
    def __init__(self, db: Database, clock: Clock, table: DutyTable) -> None:
        self.db = db
        self.clock = clock
        self.table = table
        self._providers: dict[Source, Provider] = {}

    def provide(self, source: Source, provider: Provider) -> None:
        """Let a feature count a source of its own (discussions: ``Source.DISCUSSION``)."""
        self._providers[source] = provider

    async def member(self, member: Member, year: int) -> MemberPoints:
        """One member's points for the year (for `履职`, told to them privately)."""
        found = await self.members([member], year)
        return found[0]

    async def members(self, people: Sequence[Member], year: int) -> list[MemberPoints]:
        """The points of ``people`` (in their order) for the year."""
        points = {m.user_id: MemberPoints(m.user_id, m.name, m.sector) for m in people}
        ids = list(points)
        by_source = self.table.by_source()
        for user_id, source, reason in await self._facts(year, ids):
            item = by_source.get(source)
            if item is not None and user_id in points:
                points[user_id].add(item, reason)
        for entry in await self._entries(year, ids):
            item = next((i for i in self.table.items if i.name == entry.item), None)
            if item is not None and entry.user_id in points:
                note = f"（{entry.note}）" if entry.note else ""
                times = f" ×{entry.count}" if entry.count != 1 else ""
                points[entry.user_id].add(item, f"机关登记{times}{note}", entry.count)
        order = [i.name for i in self.table.items]
        for found in points.values():  # the table's order
            found.items = {name: found.items[name] for name in order if name in found.items}
        return list(points.values())

    async def record(
        self,
        user_ids: Sequence[str],
        item_name: str,
        year: int,
        *,
        count: int = 1,
        note: str = "",
        by: str = "",
    ) -> DutyItem:
        """Staff record an item of the table for members (履职 登记)."""
        item = self.table.recorded_item(item_name)
        if item is None:
            names = "、".join(self.table.recorded_names()) or "（积分表里没有需登记的项目）"
            raise InvalidInput(
                f"积分表里没有需要登记的“{item_name[:20]}”。可登记的项目：{names}。"
                "自动计分的项目（提案、社情民意等）不用登记。"
            )
        if not 1 <= count <= 99:
            raise InvalidInput("次数要在 1 到 99 之间，例如：履职 登记 @张三 参加视察调研活动 2")
        now: datetime = self.clock.now()
        async with self.db.session() as session:
            for user_id in user_ids:
                session.add(
                    DutyEntry(
                        user_id=user_id,
                        year=year,
                        item=item.name,
                        count=count,
                        note=note[:200],
                        recorded_by=by,
                        recorded_at=now,
                    )
                )
            await session.commit()
        return item

    async def _entries(self, year: int, user_ids: Sequence[str]) -> list[DutyEntry]:
        query = select(DutyEntry).where(DutyEntry.year == year)
        if len(user_ids) <= FEW:
            query = query.where(col(DutyEntry.user_id).in_(list(user_ids)))
        async with self.db.session() as session:
            return list((await session.exec(query.order_by(col(DutyEntry.id)))).all())

    async def _facts(self, year: int, user_ids: Sequence[str]) -> list[tuple[str, Source, str]]:
        """(user_id, source, what it was) for every counted thing of the year."""
        facts = await _record_facts(self.db, year, user_ids)
        wanted = set(user_ids)
        few = list(wanted) if len(wanted) <= FEW else None
        facts += [f for f in await practice_facts(self.db, year, few) if f[0] in wanted]
        for source, provider in self._providers.items():
            facts += [(u, source, what) for u, what in await provider(year, user_ids)]
        return facts


#: Asked about more people than this, the year is read whole and filtered here (a long IN
#: list is slower than reading the year's rows).
FEW = 50


async def _record_facts(
    db: Database, year: int, user_ids: Sequence[str]
) -> list[tuple[str, Source, str]]:
    wanted = set(user_ids)
    few = list(wanted) if len(wanted) <= FEW else None
    not_withdrawn = [Record.year == year, Record.status != RecordStatus.WITHDRAWN]
    own_query = select(
        Record.id, Record.kind, Record.number, Record.status, Record.is_key,
        Record.proposer_user_id,
    ).where(*not_withdrawn)  # fmt: skip
    cosign_query = (
        select(Cosign.user_id, Record.number)
        .join(Record, col(Record.id) == col(Cosign.record_id))
        .where(
            *not_withdrawn,
            Record.kind == RecordKind.PROPOSAL.value,
            Cosign.status == CosignStatus.CONFIRMED,
        )
    )
    if few is not None:
        own_query = own_query.where(col(Record.proposer_user_id).in_(few))
        cosign_query = cosign_query.where(col(Cosign.user_id).in_(few))
    instructed_query = (
        select(TimelineEntry.record_id)
        .join(Record, col(Record.id) == col(TimelineEntry.record_id))
        .where(
            Record.year == year,
            Record.kind == RecordKind.OPINION.value,
            TimelineEntry.action == "instruction",
        )
    )
    async with db.session() as session:
        own = (await session.exec(own_query.order_by(col(Record.kind), col(Record.number)))).all()
        instructed = set((await session.exec(instructed_query)).all())
        cosigned = (await session.exec(cosign_query.order_by(col(Record.number)))).all()
    facts: list[tuple[str, Source, str]] = []
    for rid, kind, number, status, is_key, user_id in own:
        if user_id in wanted:
            label = _label(kind, number)
            sources = _sources(kind, status, is_key, rid in instructed)
            facts += [(user_id, source, label) for source in sources]
    proposal = RecordKind.PROPOSAL
    facts += [(u, Source.COSIGN, _label(proposal, n)) for u, n in cosigned if u in wanted]
    return facts


def _sources(kind: str, status: str, is_key: bool, instructed: bool) -> list[Source]:
    if kind == RecordKind.PROPOSAL:
        found = [Source.PROPOSAL]
        found += [Source.PROPOSAL_ACCEPTED] if status in ACCEPTED_STATES else []
        return found + ([Source.KEY_PROPOSAL] if is_key else [])
    if kind == RecordKind.OPINION:
        found = [Source.OPINION]
        found += [Source.OPINION_ADOPTED] if status in ADOPTED_STATES else []
        # as 统计 counts 批示: the status now, or a 批示 step in its timeline
        sent = instructed or status == RecordStatus.INSTRUCTED
        return found + ([Source.OPINION_INSTRUCTED] if sent else [])
    return [Source.TOPIC]


def _label(kind: str, number: int) -> str:
    return RecordKind(kind).describe(number)
