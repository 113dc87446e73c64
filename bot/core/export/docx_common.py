"""The 公文 layout shared by the .docx files (python-docx): A4 with the usual margins, the
title in 方正小标宋简体 (二号), headings 一、二、三 in 黑体 (三号), （一）（二） in 楷体, the body
in 仿宋 (三号, first line indented two characters, 28-point lines). The East Asian font name is
set on every run (w:eastAsia), so Word uses it where the font exists and a fallback elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
BODY_FONT = "仿宋"
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
#: The body paragraphs' style (仿宋 三号, first line indented two characters): a style rather
#: than per-run formatting, so a file of every member's record (tens of thousands of
#: paragraphs) is written in seconds.
BODY_STYLE = "公文正文"
BODY_STYLE_ID = "GongwenBody"
_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (headings up to 99)."""
    if n <= 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens] if tens > 1 else "") + "十" + (_NUMERALS[ones] if ones else "")


def set_font(run: Run, name: str, size: Pt | None = None, *, bold: bool = False) -> Run:
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = size
    run.font.bold = bold
    return run


def document() -> Document:
    """An empty A4 document in the 公文 layout (the Normal style is the body)."""
    doc = new_document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT  # type: ignore[attr-defined]
    normal.font.size = BODY_SIZE  # type: ignore[attr-defined]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = normal.paragraph_format  # type: ignore[attr-defined]
    spacing.line_spacing = Pt(28)
    spacing.space_before = spacing.space_after = Pt(0)
    style = doc.styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = BODY_STYLE_ID
    style.base_style = normal
    style.font.name = BODY_FONT  # type: ignore[attr-defined]
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    style.paragraph_format.first_line_indent = Pt(32)  # type: ignore[attr-defined]
    return doc


def title(doc: Document, text: str, subtitle: str = "") -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), TITLE_FONT, Pt(22))
    if subtitle:
        below = doc.add_paragraph()
        below.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(below.add_run(subtitle), SUBHEADING_FONT, BODY_SIZE)
    doc.add_paragraph()


def heading(doc: Document, number: int, text: str) -> Paragraph:
    """``一、text`` in 黑体."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    set_font(paragraph.add_run(f"{chinese_number(number)}、{text}"), HEADING_FONT, BODY_SIZE)
    return paragraph


def subheading(doc: Document, number: int, text: str) -> Paragraph:
    """``（一）text`` in 楷体."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    set_font(paragraph.add_run(f"（{chinese_number(number)}）{text}"), SUBHEADING_FONT, BODY_SIZE)
    return paragraph


def body(doc: Document, text: str, *, indent: bool = True) -> Paragraph:
    """A body paragraph (:data:`BODY_STYLE`; ``indent=False``: the plain Normal style)."""
    paragraph = doc.add_paragraph(text)
    if indent:  # the style's id set directly: looking a style up by name costs a scan
        paragraph._p.style = BODY_STYLE_ID
    return paragraph


def table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A bordered table, header row bold, 仿宋 小四."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell_text(cell.paragraphs[0], str(text), bold=True)
    for row in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell_text(cell.paragraphs[0], "" if value is None else str(value))
    doc.add_paragraph()


def _cell_text(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    set_font(paragraph.add_run(text), BODY_FONT, TABLE_SIZE, bold=bold)


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc: Document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
