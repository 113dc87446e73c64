"""DocumentService (``services.documents``): the .docx files — a member's 履职报告, every
member's records in one file (`导出 履职 2026`), and the office's annual report draft
(`导出 报告 2026`). Written under the export folder (``services.export.folder``), each a new
file; the plugins queue them through the outbox as file parts, as 导出 does."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.clock import Clock, to_local
from bot.core.export.annual import AnnualFigures, annual_figures
from bot.core.export.docx_duty import write_duty_reports
from bot.core.export.docx_report import write_annual_report
from bot.core.export.files import reserve_file

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.db import Database
    from bot.core.duty.record import DutyRecord, DutyRecords
    from bot.core.export.service import ExportService
    from bot.core.models import Member
    from bot.core.people.members import MemberService
    from bot.core.stats import StatsService

_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff-]+")


@dataclass(frozen=True)
class DocumentResult:
    path: Path
    year: int
    members: int = 0


class DocumentService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        stats: StatsService,
        records: DutyRecords,
        members: MemberService,
        export: ExportService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.stats = stats
        self.records = records
        self.members = members
        self.export = export  # its folder (tests move it)

    def new_path(self, stem: str) -> Path:
        """``folder/stem-20260415-100000.docx`` (absolute), reserved at once (`-2`, `-3`…
        when taken)."""
        stamp = to_local(self.clock.now()).strftime("%Y%m%d-%H%M%S")
        safe = _UNSAFE.sub("_", stem)[:60] or "文件"
        return reserve_file(self.export.folder.resolve(), safe, ".docx", stamp)

    async def duty_report(self, member: Member, year: int) -> tuple[DutyRecord, Path]:
        """One member's record for the year, and its .docx."""
        record = await self.records.one(member, year)
        path = self.new_path(f"{member.name}-{year}年度履职报告")
        await asyncio.to_thread(write_duty_reports, [record], path)
        return record, path

    async def duty_reports(self, year: int) -> DocumentResult:
        """Every member's record (the roster's order) in one file."""
        people = await self.members.list_members()
        records = await self.records.many(people, year)
        path = self.new_path(f"{year}年度委员履职档案")
        cover = f"{year}年度委员履职档案"
        await asyncio.to_thread(write_duty_reports, records, path, cover)
        return DocumentResult(path, year, len(records))

    async def annual_figures(self, year: int) -> AnnualFigures:
        return await annual_figures(self.db, self.stats, year)

    async def annual_report(self, year: int) -> DocumentResult:
        """The draft of the year's 提案工作情况报告."""
        figures = await self.annual_figures(year)
        path = self.new_path(f"{year}年度提案工作情况报告草稿")
        await asyncio.to_thread(write_annual_report, figures, path)
        return DocumentResult(path, year)
