"""Roster files (.xlsx / .csv): columns 姓名, QQ, 界别, 职务, 专委会; extra columns ignored."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.models import Member
from bot.core.people.members import roster_order

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.sectors import SectorService

COLUMNS = ("姓名", "QQ", "界别", "职务", "专委会")
REQUIRED = ("姓名", "QQ")
MAX_LENGTH = 64
_QQ = re.compile(r"^[1-9][0-9]{4,11}$")
_HEADER_ALIASES = {
    "qq": "QQ",
    "qq号": "QQ",
    "qq号码": "QQ",
    "名字": "姓名",
    "委员姓名": "姓名",
    "所属界别": "界别",
    "专门委员会": "专委会",
    "所属专委会": "专委会",
}
# Rows looked at for the header: a roster often starts with a title row ("XX县政协委员名单").
_HEADER_SEARCH_ROWS = 10
# A spreadsheet runs a cell starting with one of these as a formula: exported text is guarded.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    user_id: str
    sector: str | None
    title: str | None
    committee: str | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


@dataclass
class RosterReadResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: frozenset[str] = frozenset(COLUMNS)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    skipped: list[RowError]
    imported: bool


class RosterFileError(ValueError):
    """The file cannot be read at all (wrong type, no header)."""


def _read_table(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterFileError("CSV 文件编码无法识别，请另存为 UTF-8 编码。")
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise RosterFileError(f"无法打开 Excel 文件：{exc}") from exc
        sheet = workbook.worksheets[0]
        table = [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return table
    raise RosterFileError(
        "只支持 .xlsx 或 .csv 文件（第一行为表头：姓名, QQ, 界别, 职务, 专委会）。"
    )


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_name(cell: str) -> str:
    """`姓　名`, ` QQ号 ` -> `姓名`, `QQ` (Chinese tables pad headers with spaces)."""
    compact = "".join(cell.split())
    return _HEADER_ALIASES.get(compact.lower(), compact)


def _find_header(table: list[list[str]]) -> tuple[int, list[str]]:
    filled = [i for i, row in enumerate(table) if any(c.strip() for c in row)]
    if not filled:
        raise RosterFileError("文件是空的。第一行应为表头：姓名, QQ, 界别, 职务, 专委会。")
    for index in filled[:_HEADER_SEARCH_ROWS]:
        header = [_header_name(c) for c in table[index]]
        if all(name in header for name in REQUIRED):
            return index, header
    header = [_header_name(c) for c in table[filled[0]]]
    missing = [name for name in REQUIRED if name not in header]
    raise RosterFileError(
        f"表头缺少列：{'、'.join(missing)}。第一行应为：姓名, QQ, 界别, 职务, 专委会"
        "（多余的列会被忽略）。"
    )


def _unguard(value: str) -> str:
    """Undo the `'` an export puts before text a spreadsheet would run as a formula."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def _guard(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _qq_text(value: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", value).split())
    return text[:-2] if text.endswith(".0") else text


def read_roster(path: Path, sectors: SectorService) -> RosterReadResult:
    table = _read_table(path)
    result = RosterReadResult()
    header_index, header = _find_header(table)
    positions = {name: header.index(name) for name in COLUMNS if name in header}
    result.columns = frozenset(positions)
    seen: dict[str, int] = {}
    for offset, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = positions.get(column)
            return _unguard(row[index].strip()) if index is not None and index < len(row) else ""

        name = _CJK_SPACE.sub("", cell("姓名"))
        qq = _qq_text(cell("QQ"))
        sector_text = cell("界别")
        title, committee = cell("职务"), cell("专委会")
        problems: list[str] = []
        if not name:
            problems.append("姓名为空")
        elif len(name) > MAX_LENGTH:
            problems.append(f"姓名过长（最多{MAX_LENGTH}字）")
        for label, value in (("职务", title), ("专委会", committee)):
            if len(value) > MAX_LENGTH:
                problems.append(f"{label}过长（最多{MAX_LENGTH}字）")
        if not _QQ.match(qq):
            problems.append(f"QQ 号“{qq}”不正确（应为5到12位数字）" if qq else "QQ 号为空")
        elif qq in seen:
            problems.append(f"QQ 号 {qq} 与第{seen[qq]}行重复")
        sector = None
        if sector_text:
            sector = sectors.resolve(sector_text)
            if sector is None:
                problems.append(f"界别“{sector_text}”不在界别表中")
        if problems:
            result.errors.append(RowError(offset, "；".join(problems)))
            continue
        seen[qq] = offset
        result.rows.append(
            RosterRow(
                line=offset,
                name=name,
                user_id=qq,
                sector=sector,
                title=title or None,
                committee=committee or None,
            )
        )
    return result


class RosterService:
    def __init__(self, db: Database, clock: Clock, sectors: SectorService) -> None:
        self.db = db
        self.clock = clock
        self.sectors = sectors

    async def import_file(self, path: Path, *, skip_bad: bool = False) -> ImportReport:
        read = read_roster(path, self.sectors)
        if read.errors and not skip_bad:
            return ImportReport(0, 0, read.errors, imported=False)
        created = updated = 0
        now = self.clock.now()
        async with self.db.session() as session:
            existing = {
                m.user_id: m
                for m in (await session.exec(select(Member).where(Member.platform == "qq"))).all()
            }
            for row in read.rows:
                member = existing.get(row.user_id)
                if member is None:
                    member = Member(
                        user_id=row.user_id, name=row.name, source="roster", created_at=now
                    )
                    created += 1
                else:
                    updated += 1
                # A blank cell or a missing column keeps what is stored (e.g. a sector learned
                # in a sector group); only values the file gives are written.
                member.name = row.name
                if row.sector is not None:
                    member.sector = row.sector
                if row.title is not None:
                    member.title = row.title
                if row.committee is not None:
                    member.committee = row.committee
                member.is_member = True
                member.active = True
                member.updated_at = now
                session.add(member)
            await session.commit()
        return ImportReport(created, updated, read.errors, imported=True)

    async def export_file(self, path: Path) -> int:
        async with self.db.session() as session:
            members = sorted(
                (
                    await session.exec(
                        select(Member).where(
                            Member.platform == "qq", Member.is_member, Member.active
                        )
                    )
                ).all(),
                key=roster_order,
            )
        suffix = path.suffix.lower()
        if suffix not in {".csv", ".xlsx"}:
            raise RosterFileError(
                "只能导出为 .xlsx 或 .csv 文件，例如：members export 委员名单.xlsx"
            )
        # Names come from group cards, i.e. from anyone: never let a spreadsheet run them.
        rows = [
            [
                _guard(value)
                for value in (m.name, m.user_id, m.sector or "", m.title or "", m.committee or "")
            ]
            for m in members
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows(rows)
        else:
            from openpyxl import Workbook

            workbook = Workbook()
            sheet = workbook.active
            sheet.title = "委员名单"
            sheet.append(list(COLUMNS))
            for row in rows:
                sheet.append(row)
            for cells in sheet.iter_rows(min_row=2):
                for cell in cells:
                    cell.data_type = "s"  # text, never a formula
            sheet.column_dimensions["B"].width = 14
            workbook.save(path)
        return len(rows)
