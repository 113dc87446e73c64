"""The export read back with openpyxl against the hand-counted year (tests/stats_data.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from bot.core.people.members import MemberUpdate
from tests.core.schedule_data import add_record
from tests.stats_data import COSIGNER, PROPOSER, handled_year

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from bot.core.clock import FakeClock
    from bot.core.services import Services


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _export(services: Services, clock: FakeClock, tmp_path: Path):  # type: ignore[no-untyped-def]
    year = await handled_year(services, clock)
    await services.members.update(PROPOSER, MemberUpdate(sector="农业界", name="张三"))
    await services.members.update(COSIGNER, MemberUpdate(sector="农业界", name="李四"))
    result = await services.export.export(2026, tmp_path / "out" / "2026.xlsx")
    return year, result, load_workbook(result.path)


async def test_sheets_and_proposal_rows(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    _, result, book = await _export(services, clock, tmp_path)
    assert book.sheetnames == [
        "年度统计",
        "提案办理情况汇总",
        "单位办理情况",
        "社情民意",
        "议题",
        "履职积分",
        "网民满意度",
    ]
    assert (result.proposals, result.opinions, result.topics, result.members) == (8, 7, 1, 2)
    sheet = book["提案办理情况汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "标题", "提案人", "联名人", "界别")
    by_title = {row[1]: row for row in rows[1:]}
    assert len(by_title) == 8  # withdrawn and private ones listed too; not 2025's
    p1 = by_title["满意的提案"]
    assert p1[3] == "委员20002"  # the confirmed co-signer
    assert p1[6:15] == (
        "已办结",
        "主办：县教育局；会办：县财政局",
        _day("2026-03-02"),
        _day("2026-06-01"),
        _day("2026-03-16"),
        "A",
        "满意",
        None,
        1,
    )  # fmt: skip  (concluded directly in the fixture: no 办结 step, no date)
    p2 = by_title["重新办理的提案"]
    assert p2[6:15] == (
        "已评价",
        "主办：县财政局",
        _day("2026-03-10"),
        _day("2026-03-20"),
        _day("2026-03-23"),
        "A",
        "满意",
        None,
        2,
    )  # fmt: skip  (the current round: round 2)
    assert by_title["逾期的私聊提案"][6:8] == ("办理中", "主办：县住建局")
    assert by_title["逾期的私聊提案"][15] == "私聊"
    assert by_title["撤回的提案"][6] == "已撤回"
    assert by_title["并入第1号的提案"][6] == "已并案"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:P9"
    assert sheet["A1"].font.bold
    assert sheet["I2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["B"].width == 40


async def test_figures_units_opinions_duty(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    _, _, book = await _export(services, clock, tmp_path)
    summary = {row[0]: row[1:] for row in book["年度统计"].iter_rows(min_row=2, values_only=True)}
    assert summary["收到提案（不含撤回）"][0] == 7
    assert summary["立案率"] == (5 / 7, "5/7")
    assert summary["按期答复率"] == (1 / 3, "1/3")
    assert summary["采用率"] == (4 / 6, "4/6")
    assert book["年度统计"]["B4"].number_format == "0.0%"
    units = list(book["单位办理情况"].iter_rows(min_row=2, values_only=True))
    assert units == [
        ("县教育局", 3, 2, 1, 0, 1, 1, 1, 0.5, 2, 12.3),
        ("县住建局", 1, 0, 0, 1, 0, 0, 0, "—", 0, "—"),
        ("县财政局", 1, 0, 1, 0, 1, 0, 0, 1.0, 1, 9.0),
    ]
    opinions = {r[1]: r for r in book["社情民意"].iter_rows(min_row=2, values_only=True)}
    assert opinions["报送后获批示"][4] == "获批示"
    assert opinions["报送后获批示"][7] is not None  # 报送 date
    assert opinions["采用后直接批示"][7] is None
    assert [r[1] for r in book["议题"].iter_rows(min_row=2, values_only=True)] == ["议题一则"]
    duty = list(book["履职积分"].iter_rows(values_only=True))
    assert duty[0][:3] == ("姓名", "界别", "提交提案")
    assert duty[0][-1] == "总分"
    assert {r[0]: r[-1] for r in duty[1:]} == {"张三": 217, "李四": 3}


async def test_hostile_titles_stay_text(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    clock.set(datetime.fromisoformat("2026-05-01T02:00:00+00:00"))
    await add_record(services, '=HYPERLINK("http://x","点我")')
    await add_record(services, "控制\x07字符")
    result = await services.export.export(2026, tmp_path / "h.xlsx")
    sheet = load_workbook(result.path)["提案办理情况汇总"]
    assert sheet["B2"].value == '=HYPERLINK("http://x","点我")'
    assert sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "控制字符"


async def test_two_exports_in_the_same_second_get_two_files(
    services: Services, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.export, "folder", tmp_path / "exports")
    first = await services.export.export(2026)
    second = await services.export.export(2026)  # the fake clock has not moved
    assert first.path != second.path
    assert second.path.name == first.path.name.replace(".xlsx", "-2.xlsx")
    assert load_workbook(first.path).sheetnames == load_workbook(second.path).sheetnames
