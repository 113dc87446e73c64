"""The consultation plan and the work news in the daily digest (日报): what happened to public
plan items in the window (列入计划, 活动, 成果, 批示, 落实, 办结) and the news posted in it that
is still published. Queries and the lines they make; nothing private, withdrawn or hidden."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.models import (
    NewsItem,
    NewsStatus,
    PlanEntry,
    PlanEntryKind,
    PlanItem,
    Record,
    RecordStatus,
)

if TYPE_CHECKING:
    from datetime import date, datetime

    from bot.core.db import Database

#: Topic states the plan section reports (the members' progress section leaves them out).
PLAN_STATES = frozenset(
    {
        RecordStatus.PLANNED,
        RecordStatus.CONSULTING,
        RecordStatus.RESULTED,
        RecordStatus.INSTRUCTED,
        RecordStatus.IMPLEMENTING,
        RecordStatus.CONCLUDED,
    }
)
#: Characters of a news item's body shown in a digest.
NEWS_EXCERPT = 80


@dataclass
class PlanNews:
    """The plan section and the news section of a daily digest."""

    plan: list[str] = field(default_factory=list)
    news: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.plan) + len(self.news)


@dataclass(frozen=True)
class PlanTotals:
    """A year's consultation plan in the monthly staff digest."""

    year: int
    total: int = 0
    closed: int = 0
    overdue: int = 0

    def line(self) -> str:
        late = f"，逾期未办结 {self.overdue} 项" if self.overdue else ""
        return f"· {self.year}年度协商计划 {self.total} 项，已办结 {self.closed} 项{late}"


async def plan_totals(db: Database, year: int, today: date) -> PlanTotals:
    async with db.session() as session:
        rows = (
            await session.exec(
                select(PlanItem.closed_at, PlanItem.due_date)
                .join(Record, col(Record.id) == col(PlanItem.record_id))
                .where(PlanItem.year == year, Record.status != RecordStatus.WITHDRAWN)
            )
        ).all()
    return PlanTotals(
        year,
        total=len(rows),
        closed=sum(1 for closed, _ in rows if closed is not None),
        overdue=sum(1 for closed, due in rows if closed is None and due < today),
    )


async def plan_news(db: Database, start: datetime, end: datetime) -> PlanNews:
    found = PlanNews()
    async with db.session() as session:
        planned = (
            await session.exec(
                select(PlanItem)
                .where(
                    PlanItem.planned_at >= start,
                    PlanItem.planned_at < end,
                    col(PlanItem.public).is_(True),
                )
                .order_by(col(PlanItem.id))
            )
        ).all()
        moved = (
            await session.exec(
                select(PlanEntry, PlanItem)
                .join(PlanItem, col(PlanItem.id) == col(PlanEntry.plan_item_id))
                .join(Record, col(Record.id) == col(PlanItem.record_id))
                .where(
                    PlanEntry.at >= start,
                    PlanEntry.at < end,
                    col(PlanItem.public).is_(True),
                    Record.status != RecordStatus.WITHDRAWN,
                )
                .order_by(col(PlanEntry.at), col(PlanEntry.id))
            )
        ).all()
        news = (
            await session.exec(
                select(NewsItem)
                .where(
                    NewsItem.status == NewsStatus.PUBLISHED,
                    NewsItem.created_at >= start,
                    NewsItem.created_at < end,
                )
                .order_by(col(NewsItem.id))
            )
        ).all()
    found.plan = [planned_line(item) for item in planned]
    found.plan += [entry_line(entry, item) for entry, item in moved]
    found.news = [news_line(item) for item in news]
    return found


def planned_line(item: PlanItem) -> str:
    return (
        f"· 《{item.title}》列入{item.year}年度协商计划（{item.form}第{item.form_number}项），"
        f"牵头：{item.lead_leader}，责任：{item.unit_name}"
    )


def entry_line(entry: PlanEntry, item: PlanItem) -> str:
    head = f"· {item.form}第{item.form_number}项《{item.title}》"
    kind = PlanEntryKind(entry.kind)
    if kind is PlanEntryKind.ACTIVITY:
        when = f"{entry.on_date.month}月{entry.on_date.day}日" if entry.on_date else ""
        return f"{head}：{when}开展{entry.subtype}"
    if kind is PlanEntryKind.RESULT:
        return f"{head}：形成{entry.subtype}"
    if kind is PlanEntryKind.INSTRUCTION:
        return f"{head}：获领导批示"
    if kind is PlanEntryKind.FOLLOW_UP:
        return f"{head}：跟踪落实有新进展"
    return f"{head}：已办结"


def news_line(item: NewsItem) -> str:
    body = item.body.replace("\n", " ").strip()
    if len(body) > NEWS_EXCERPT:
        body = body[:NEWS_EXCERPT] + "……"
    pictures = f"（附图{len(item.images)}张）" if item.images else ""
    return f"· {item.title}{pictures}" + (f"\n  {body}" if body else "")
