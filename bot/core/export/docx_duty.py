"""The duty report as a .docx (履职报告): one member's record for the year, or every member's
one after another, each from a new page (导出 履职). The same sections as the message
(bot/core/duty/report_texts.py), in the 公文 layout (docx_common.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.duty import report_texts
from bot.core.export import docx_common as d

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from docx.document import Document

    from bot.core.duty.record import DutyRecord


def _member(doc: Document, record: DutyRecord) -> None:
    d.title(doc, report_texts.title(record))
    for number, (heading, items) in enumerate(report_texts.sections(record), start=1):
        d.heading(doc, number, heading)
        for item in items or ["无。"]:
            d.body(doc, item)


def write_duty_reports(records: Sequence[DutyRecord], path: Path, cover: str = "") -> Path:
    """One file: ``cover`` (the staff export's title) then each member's record."""
    doc = d.document()
    if cover:
        d.title(doc, cover, f"共 {len(records)} 人")
    for index, record in enumerate(records):
        if index or cover:
            d.page_break(doc)
        _member(doc, record)
    if not records:
        d.body(doc, "没有登记的委员。")
    return d.save(doc, path)
