"""ExportService (``services.export``): `导出 [2026]` and ``python -m bot export``: one .xlsx
with the year's figures (from ``services.stats``: the same as `统计`), every proposal, the units'
table, opinion leads, topics and duty points."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.clock import Clock, to_local
from bot.core.export import public_sheet, rows
from bot.core.export.files import reserve_file
from bot.core.export.workbook import Percent, Sheet, write_workbook
from bot.core.public.service import year_ratings
from bot.core.stats.texts import DEFINITIONS

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.db import Database
    from bot.core.duty.service import DutyService
    from bot.core.people.members import MemberService
    from bot.core.stats import OpinionStats, ProposalStats, Rate, StatsService, UnitPerformance

SHEETS = (
    "年度统计", "提案办理情况汇总", "单位办理情况", "社情民意", "议题", "履职积分", "网民满意度",
)  # fmt: skip
UNIT_HEADERS = (
    "单位", "交办", "按期答复", "逾期答复", "当前逾期", "A类", "B类", "C类", "满意率",
    "评价件数", "平均用时（工作日）",
)  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    path: Path
    year: int
    proposals: int
    opinions: int
    topics: int
    members: int


def _percent(rate: Rate) -> Percent | str:
    value = rate.value
    return "—" if value is None else Percent(value)


def _summary(p: ProposalStats, o: OpinionStats) -> list[list[object]]:
    def line(name: str, value: object, note: str = "") -> list[object]:
        return [name, value, note]

    def rate(name: str, r: Rate) -> list[object]:
        return line(name, _percent(r), f"{r.numerator}/{r.denominator}")

    return [
        line("收到提案（不含撤回）", p.received, f"撤回 {p.withdrawn} 件"),
        line("立案（含并案）", p.accepted, f"并案 {p.merged} 件；不予立案 {p.rejected} 件"),
        rate("立案率", p.acceptance_rate),
        line("交办", p.assigned, f"重新办理 {p.rehandled} 件"),
        rate("办复率", p.answer_rate),
        rate("按期答复率", p.on_time_rate),
        rate("办结率", p.conclusion_rate),
        rate("满意率（满意+基本满意）", p.satisfaction_rate),
        rate("满意", p.satisfied_rate),
        rate("初次满意率", p.first_satisfaction_rate),
        *(rate(f"{c}类答复", p.answer_category_share(c)) for c in "ABC"),
        line("当前逾期未答复", p.overdue),
        line("平均答复用时（工作日）", p.average_working_days or "—"),
        line("社情民意信息（不含撤回）", o.received),
        rate("采用率", o.adoption_rate),
        line("报送", o.submitted_up),
        line("获批示", o.instructed),
        line("已落实", o.implemented),
        line("统计口径", "", DEFINITIONS),
    ]


def _unit_row(u: UnitPerformance) -> list[object]:
    return [
        u.unit, u.assigned, u.answered_on_time, u.answered_late, u.overdue_now, u.a, u.b, u.c,
        _percent(u.satisfaction), u.satisfaction.denominator,
        round(u.average_working_days, 1) if u.average_working_days is not None else "—",
    ]  # fmt: skip


class ExportService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        stats: StatsService,
        duty: DutyService,
        members: MemberService,
        folder: Path,
    ) -> None:
        self.db = db
        self.clock = clock
        self.stats = stats
        self.duty = duty
        self.members = members
        self.folder = folder

    def default_path(self, year: int) -> Path:
        """A new file each time, reserved at once: two exports in the same second (also at
        the same time) get `-2`, `-3`…"""
        stamp = to_local(self.clock.now()).strftime("%Y%m%d-%H%M%S")
        return reserve_file(self.folder, f"{year}年提案办理情况", ".xlsx", stamp)

    async def export(self, year: int, path: Path | None = None) -> ExportResult:
        target = path or self.default_path(year)
        proposals = await rows.proposal_rows(self.db, year)
        opinions = await rows.opinion_rows(self.db, year)
        topics = await rows.topic_rows(self.db, year)
        people = await self.members.list_members()
        points = await self.duty.members(people, year)
        items = [i.name for i in self.duty.table.items]
        duty_rows = [
            [p.name, p.sector or "", *(_points(p.items.get(n)) for n in items), p.total]
            for p in points
        ]
        summary = _summary(await self.stats.proposals(year), await self.stats.opinions(year))
        # the public's ratings on the board, apart from the members' evaluations
        summary.insert(-1, public_sheet.summary_line(await year_ratings(self.db, year)))
        sheets = [
            Sheet(SHEETS[0], ("指标", "数值", "说明"), summary),
            Sheet(SHEETS[1], rows.PROPOSAL_HEADERS, proposals),
            Sheet(SHEETS[2], UNIT_HEADERS, [_unit_row(u) for u in await self.stats.units(year)]),
            Sheet(SHEETS[3], rows.OPINION_HEADERS, opinions),
            Sheet(SHEETS[4], rows.TOPIC_HEADERS, topics),
            Sheet(SHEETS[5], ("姓名", "界别", *items, "总分"), duty_rows),
            await public_sheet.rating_sheet(self.db, year),  # SHEETS[6]
        ]
        await asyncio.to_thread(write_workbook, sheets, target)
        return ExportResult(target, year, len(proposals), len(opinions), len(topics), len(points))


def _points(entry: object) -> int:
    return getattr(entry, "points", 0)
