"""The export's 网民满意度 sheet and its line in 年度统计: the public's ratings on the board,
apart from the members' evaluations (a separate module, so rows.py and workbook.py stay as
they are)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from bot.core.export.workbook import Percent, Sheet
from bot.core.models import Evaluation, EvaluationResult, PublicRating, RatingValue, Record
from bot.core.public.service import RatingCounts
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from bot.core.db import Database

TITLE = "网民满意度"
HEADERS = (
    "编号", "标题", "委员评价（最近一轮）", "网民：满意", "网民：基本满意", "网民：不满意",
    "网民评价人次", "网民满意率",
)  # fmt: skip
NOTE = "公众在公开网页上的评价（每人每天每件一次），与委员评价分开统计"


def summary_line(counts: RatingCounts) -> list[object]:
    """The 年度统计 line: the year's public satisfaction rate, with its counts."""
    value: object = Percent(counts.rate) if counts.rate is not None else "—"
    note = (
        f"满意 {counts.satisfied}、基本满意 {counts.basic}、不满意 {counts.unsatisfied}，"
        f"共 {counts.total} 人次；{NOTE}"
    )
    return ["网民满意率（网页评价）", value, note]


async def rating_sheet(db: Database, year: int) -> Sheet:
    """One row per proposal of `year` the public rated, by number."""
    async with db.session() as session:
        counted = await session.exec(
            select(Record.id, Record.number, Record.title, PublicRating.value, func.count())
            .join(PublicRating, col(PublicRating.record_id) == col(Record.id))
            .where(Record.year == year, Record.kind == RecordKind.PROPOSAL.value)
            .group_by(
                col(Record.id), col(Record.number), col(Record.title), col(PublicRating.value)
            )
        )
        by_record: dict[int, tuple[int, str, dict[str, int]]] = {}
        for record_id, number, title, value, n in counted.all():
            by_record.setdefault(record_id, (number, title, {}))[2][value] = int(n)
        evaluations = await session.exec(
            select(Evaluation.record_id, Evaluation.result)
            .where(col(Evaluation.record_id).in_(list(by_record)))
            .order_by(col(Evaluation.round))
        )
        latest = dict(evaluations.all())
    rows: list[list[object]] = []
    for record_id, (number, title, values) in sorted(by_record.items(), key=lambda x: x[1][0]):
        c = RatingCounts(
            values.get(RatingValue.SATISFIED, 0),
            values.get(RatingValue.BASIC, 0),
            values.get(RatingValue.UNSATISFIED, 0),
        )
        member = latest.get(record_id)
        rows.append(
            [
                f"第{number}号",
                title,
                EvaluationResult(member).label if member else "未评价",
                c.satisfied,
                c.basic,
                c.unsatisfied,
                c.total,
                Percent(c.rate) if c.rate is not None else "—",
            ]
        )
    return Sheet(TITLE, HEADERS, rows)
