"""PublicService (services.public): what the public leaves on the board's forms — comments on
topics and plan items, topic suggestions, proposal tips, ratings of a proposal's handling.

Each submission is checked by the safety layer (bot/core/public/safety.py) in the route, then
here against what the board shows (a comment only on a topic open for suggestions or a public
plan item, a rating only on a public proposal) and the per-address rate limit, counted in the
database so it holds across restarts and processes. A refusal stores nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import func
from sqlmodel import col, select

from bot.core.board.visibility import is_public
from bot.core.clock import Clock, local_date
from bot.core.models import (
    CommentTarget,
    FormKey,
    PlanItem,
    PublicComment,
    PublicRating,
    PublicTip,
    RatingValue,
    Record,
    RecordStatus,
)
from bot.core.public import safety
from bot.core.public.forms import check_scope
from bot.core.public.safety import Refusal
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.db import Database

KEY_NAME = "board-forms"
Stored = TypeVar("Stored", PublicComment, PublicTip)


@dataclass(frozen=True)
class Limits:
    """Submissions (comments, suggestions, tips) and ratings per address."""

    forms: int = 5
    forms_window: timedelta = timedelta(minutes=10)
    forms_per_day: int = 30
    ratings: int = 30
    ratings_window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class RatingCounts:
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> float | None:
        """(满意 + 基本满意) / all ratings, as 满意率 is counted for members."""
        return (self.satisfied + self.basic) / self.total if self.total else None


class PublicService:
    def __init__(self, db: Database, clock: Clock, limits: Limits | None = None) -> None:
        self.db = db
        self.clock = clock
        self.limits = limits or Limits()
        self._secret: str | None = None

    async def secret(self) -> str:
        """The form key: made by the first process that needs it, then read by every other."""
        if self._secret is None:
            async with self.db.session() as session:
                row = {
                    "name": KEY_NAME,
                    "secret": safety.new_secret(),
                    "created_at": self.clock.now(),
                }
                await session.exec(self.db.insert_or_ignore(FormKey.__table__), params=row)  # type: ignore[call-overload]
                await session.commit()
                key = await session.get(FormKey, KEY_NAME)
                assert key is not None
                self._secret = key.secret
        return self._secret

    async def client(self, address: str) -> str:
        return safety.client_key(await self.secret(), address)

    # ------------------------------------------------------------ targets

    async def open_topic(self, year: int, number: int) -> Record | None:
        """A topic open for suggestions as the board shows it (not submitted privately)."""
        async with self.db.session() as session:
            record = await _record(session, RecordKind.TOPIC, year, number)
        if record is None or record.status != RecordStatus.SUBMITTED:
            return None
        return None if record.source_kind == "private" else record

    async def public_plan_item(self, item_id: int) -> tuple[PlanItem, Record] | None:
        async with self.db.session() as session:
            item = await session.get(PlanItem, item_id)
            if item is None or not item.public:
                return None
            record = await session.get(Record, item.record_id)
        if record is None or record.status == RecordStatus.WITHDRAWN:
            return None
        return item, record

    async def public_proposal(self, year: int, number: int) -> Record | None:
        async with self.db.session() as session:
            record = await _record(session, RecordKind.PROPOSAL, year, number)
        return record if record is not None and is_public(record) else None

    # ------------------------------------------------------------ submissions

    async def comment(
        self,
        address: str,
        values: dict[str, str],
        *,
        topic: Record | None = None,
        plan: tuple[PlanItem, Record] | None = None,
    ) -> PublicComment:
        """A comment held for review on a topic (`topic`) or a plan item (`plan`)."""
        if plan is not None:
            item, record = plan
            target, record_id, item_id = CommentTarget.PLAN, record.id, item.id
        elif topic is not None:
            target, record_id, item_id = CommentTarget.TOPIC, topic.id, None
        else:
            raise Refusal("提交失败：没有指明评论哪一项。请从议题或协商计划的页面留言。")
        comment = PublicComment(
            target=target,
            record_id=record_id,
            plan_item_id=item_id,
            body=values["body"],
            name=values["name"],
            contact=values["contact"],
        )
        return await self._store(address, comment)

    async def suggest(self, address: str, values: dict[str, str]) -> PublicComment:
        comment = PublicComment(
            target=CommentTarget.SUGGESTION,
            title=values["title"],
            body=values["body"],
            name=values["name"],
            contact=values["contact"],
        )
        return await self._store(address, comment)

    async def tip(self, address: str, values: dict[str, str], categories: list[str]) -> PublicTip:
        category = values["category"]
        if category:
            safety.choice(category, categories, "类别")
        check_scope(values["matter"], values["place"], values["suggestion"])
        tip = PublicTip(
            matter=values["matter"],
            place=values["place"],
            suggestion=values["suggestion"],
            category=category,
            name=values["name"],
            contact=values["contact"],
        )
        return await self._store(address, tip)

    async def _store(self, address: str, row: Stored) -> Stored:
        client = await self.client(address)
        now = self.clock.now()
        async with self.db.session() as session:
            recent = await _submissions_since(session, client, now - self.limits.forms_window)
            today = await _submissions_since(session, client, now - timedelta(days=1))
            if recent >= self.limits.forms or today >= self.limits.forms_per_day:
                raise Refusal(
                    "提交太频繁了：同一网络地址短时间内只能提交"
                    f"{self.limits.forms}条。请过一段时间再来，感谢您的参与。",
                    429,
                )
            row.client = client
            row.created_at = now
            session.add(row)
            await session.commit()
            await session.refresh(row)
        return row

    async def rate(self, address: str, visitor_id: str, record: Record, value: str) -> PublicRating:
        """网民满意度: once per visitor (cookie id hashed with the address), proposal and day."""
        safety.choice(value, [v.value for v in RatingValue], "评价")
        secret = await self.secret()
        client = safety.client_key(secret, address)
        visitor = safety.visitor_key(secret, visitor_id, address)
        now = self.clock.now()
        day = local_date(now)
        async with self.db.session() as session:
            done = await session.exec(
                select(PublicRating.id).where(
                    PublicRating.record_id == record.id,
                    PublicRating.visitor == visitor,
                    PublicRating.day == day,
                )
            )
            if done.first() is not None:
                raise Refusal("您今天已经评价过这件提案了，每人每天只能评价一次，请明天再来。", 429)
            count = await session.exec(
                select(func.count())
                .select_from(PublicRating)
                .where(
                    PublicRating.client == client,
                    col(PublicRating.created_at) >= now - self.limits.ratings_window,
                )
            )
            if count.one() >= self.limits.ratings:
                raise Refusal(
                    "评价太频繁了：同一网络地址短时间内评价次数已达上限，请稍后再来。", 429
                )
            row = PublicRating(
                record_id=record.id,
                visitor=visitor,
                day=day,
                value=value,
                client=client,
                created_at=now,
            )
            session.add(row)
            await session.commit()
            await session.refresh(row)
        return row

    # ------------------------------------------------------------ reading

    async def ratings(self, record_ids: list[int]) -> dict[int, RatingCounts]:
        """The public's ratings of each proposal (all days)."""
        if not record_ids:
            return {}
        async with self.db.session() as session:
            rows = await session.exec(
                select(PublicRating.record_id, PublicRating.value, func.count())
                .where(col(PublicRating.record_id).in_(record_ids))
                .group_by(col(PublicRating.record_id), col(PublicRating.value))
            )
            found: dict[int, dict[str, int]] = {}
            for record_id, value, n in rows.all():
                found.setdefault(record_id, {})[value] = int(n)
        return {rid: _counts(v) for rid, v in found.items()}

    async def year_ratings(self, year: int) -> RatingCounts:
        """Every public rating of the year's proposals (统计, export)."""
        return await year_ratings(self.db, year)


async def year_ratings(db: Database, year: int) -> RatingCounts:
    """Every public rating of `year`'s proposals, all days together."""
    async with db.session() as session:
        rows = await session.exec(
            select(PublicRating.value, func.count())
            .join(Record, col(Record.id) == col(PublicRating.record_id))
            .where(Record.year == year, Record.kind == RecordKind.PROPOSAL.value)
            .group_by(col(PublicRating.value))
        )
        return _counts({value: int(n) for value, n in rows.all()})


def _counts(values: dict[str, int]) -> RatingCounts:
    return RatingCounts(
        satisfied=values.get(RatingValue.SATISFIED, 0),
        basic=values.get(RatingValue.BASIC, 0),
        unsatisfied=values.get(RatingValue.UNSATISFIED, 0),
    )


async def _record(session: AsyncSession, kind: RecordKind, year: int, number: int) -> Record | None:
    rows = await session.exec(
        select(Record).where(
            Record.kind == kind.value, Record.year == year, Record.number == number
        )
    )
    return rows.first()


async def _submissions_since(session: AsyncSession, client: str, since: datetime) -> int:
    total = 0
    for table in (PublicComment, PublicTip):
        rows = await session.exec(
            select(func.count())
            .select_from(table)
            .where(table.client == client, col(table.created_at) >= since)
        )
        total += int(rows.one())
    return total
