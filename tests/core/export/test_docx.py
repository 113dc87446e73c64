"""The .docx builders read back with python-docx: a member's duty record (履职报告), every
member's in one file (导出 履职), and the annual report draft (导出 报告) with the year's
figures as services.stats gives them, in the 公文 layout. The year: tests/practice_data.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from docx import Document
from docx.oxml.ns import qn

from bot.core.duty import report_texts
from bot.core.export.docx_common import chinese_number
from tests.practice_data import (
    INSTRUCTION,
    PRIVATE_TITLE,
    PUBLIC_TITLE,
    ZHANG_POINTS,
    PracticeYear,
    practice_year_with_people,
)
from tests.workflow_utils import PROPOSER

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def year(
    services: Services, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> PracticeYear:
    monkeypatch.setattr(services.export, "folder", tmp_path / "exports")
    return await practice_year_with_people(services, clock)


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def table_rows(path: Path, index: int) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in Document(str(path)).tables[index].rows]


def east_asian_fonts(path: Path) -> set[str]:
    """The East Asian font names on the runs and on the paragraphs' styles."""
    doc = Document(str(path))
    found = set()
    for p in doc.paragraphs:
        elements = [r._element.rPr for r in p.runs] + [p.style.element.rPr]  # type: ignore[union-attr]
        for rpr in elements:
            if rpr is not None and rpr.rFonts is not None:
                found.add(rpr.rFonts.get(qn("w:eastAsia")))
    return found


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 3, 10, 11, 20, 21)] == [
        "一", "三", "十", "十一", "二十", "二十一",
    ]  # fmt: skip


async def test_member_record_message_and_docx(services: Services, year: PracticeYear) -> None:
    member = await services.members.get(PROPOSER)
    assert member is not None
    record, path = await services.documents.duty_report(member, 2026)
    text = report_texts.report(record)
    assert text.startswith("张三（农业界） 2026年度履职报告\n【提案 2 件】")
    assert (
        f"· 提案第1号《{PUBLIC_TITLE}》（重点提案、优秀提案）：已评价；县教育局答复B类；"
        "本人评价：满意；联名 1 人"
    ) in text
    assert f"· 社情民意信息第1号《农村道路安全隐患》：获批示；领导批示：{INSTRUCTION}" in text
    assert "【参加临时讨论 1 次】\n· D1《农村污水治理的运维》" in text
    assert f"【履职积分 {ZHANG_POINTS} 分】" in text
    # the quality rating is staff's: one sum (5 优秀 + 2 良好), no grade, no proposal named
    assert "· 承办单位提案质量评价：共 7 分（评价档次只向机关工作人员显示）" in text
    assert "提案质量评价优秀" not in text
    assert "良好" not in text
    found = paragraphs(path)
    assert found[0] == "张三（农业界） 2026年度履职报告"
    assert "一、提案 2 件" in found
    assert f"六、履职积分 {ZHANG_POINTS} 分" in found
    assert any(PRIVATE_TITLE in p for p in found)  # the member's own private one
    assert {"方正小标宋简体", "黑体", "仿宋"} <= east_asian_fonts(path)


async def test_every_member_in_one_file(services: Services, year: PracticeYear) -> None:
    result = await services.documents.duty_reports(2026)
    assert result.members == 3
    found = paragraphs(result.path)
    assert found[:2] == ["2026年度委员履职档案", "共 3 人"]
    titles = [p for p in found if p.endswith("年度履职报告")]
    assert titles == [
        "张三（农业界） 2026年度履职报告",
        "李四（农业界） 2026年度履职报告",
        "赵六（经济界） 2026年度履职报告",
    ]
    assert f"提案第1号《{PUBLIC_TITLE}》（提案人：张三）" in found  # 李四's co-sign


async def test_annual_report_draft_holds_the_years_figures(
    services: Services, year: PracticeYear
) -> None:
    result = await services.documents.annual_report(2026)
    found = paragraphs(result.path)
    stats = await services.stats.proposals(2026)
    assert (stats.received, stats.accepted) == (2, 2)
    assert found[0] == "2026年度提案工作情况报告"
    assert found[1] == "（草稿）"
    headings = [
        p for p in found if p[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}
    ]
    assert headings == [
        "一、提案提交和立案情况", "二、提案办理情况", "三、委员评价情况", "四、重点提案督办情况",
        "五、优秀提案评选情况", "六、社情民意信息工作", "七、存在的问题和下一步工作",
    ]  # fmt: skip
    body = "\n".join(found)
    assert (
        "共收到委员提案 2 件（不含撤回 0 件）。经审查，立案 2 件（含并案 0 件），立案率 100.0%"
        in body
    )
    assert "答复中，A类 1 件（占 50.0%）、B类 1 件（占 50.0%）、C类 0 件（占 0.0%）" in body
    assert "办理协商：2 件次答复中，答复前与提案人沟通的 1 件次（50.0%）" in body
    assert "委员已评价 2 件，满意率 100.0%，其中满意 1 件、基本满意 1 件、不满意 0 件" in body
    assert (
        f"第1号《{PUBLIC_TITLE}》，提案人：张三（督办领导：某副主席，牵头单位：县财政局）" in body
    )
    assert f"第1号《{PUBLIC_TITLE}》，提案人：张三（建议具体可行）" in body
    assert f"第2号《{PRIVATE_TITLE}》" in body  # staff's draft: private ones included
    assert "收到社情民意信息 1 件，采用 1 件，采用率 100.0%" in body
    assert body.count("【待撰写：") >= 5
    assert table_rows(result.path, 0) == [
        ["类别", "收到", "立案", "占立案"],
        ["生态文明建设", "2", "2", "100.0%"],
    ]
    assert table_rows(result.path, 1)[1] == ["农业界", "2", "2", "100.0%"]
    assert table_rows(result.path, 2)[1] == ["县教育局", "2", "2", "0", "0", "1/1/0", "100.0%"]
    assert "仿宋" in east_asian_fonts(result.path)
