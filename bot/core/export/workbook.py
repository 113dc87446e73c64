"""The .xlsx itself (openpyxl, write-only: fast at tens of thousands of rows): styled headers,
the header row frozen, filters, column widths and dates as dates, as WPS and Excel show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"


class Percent(float):
    """A share written as a number shown as a percentage (sortable in the sheet)."""


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
#: Column widths (characters) by header; others get DEFAULT_WIDTH.
WIDTHS = {
    "编号": 8, "标题": 40, "内容": 40, "联名人": 20, "承办单位": 30, "状态": 16, "单位": 20,
    "项目": 24, "姓名": 10, "指标": 22, "数值": 14, "说明": 40, "满意率": 16,
}  # fmt: skip
DEFAULT_WIDTH = 12


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value as written: dates formatted, text cleaned and never a formula."""
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
    return value


def _header(sheet: WriteOnlyWorksheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=title)
    cell.font, cell.fill, cell.alignment, cell.border = (
        HEADER_FONT,
        HEADER_FILL,
        HEADER_ALIGN,
        HEADER_BORDER,
    )
    return cell


def write_workbook(sheets: Sequence[Sheet], path: Path) -> Path:
    """Write ``sheets`` to ``path`` (its folder created); synchronous: run it off the loop."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        for index, title in enumerate(spec.headers, start=1):
            width = WIDTHS.get(title, DEFAULT_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(spec.headers)))
        sheet.auto_filter.ref = f"A1:{last}{len(spec.rows) + 1}"
        sheet.append([_header(sheet, t) for t in spec.headers])
        for row in spec.rows:
            sheet.append([_cell(sheet, v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
