"""The annual report draft as a .docx (提案工作情况报告, `导出 报告 2026`): the year's figures
(annual.py, i.e. services.stats) written out in the 公文 layout (docx_common.py) with
placeholders 【……】 where the office writes the narrative. Pure: figures in, file out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.export import docx_common as d
from bot.core.stats.texts import days

if TYPE_CHECKING:
    from pathlib import Path

    from docx.document import Document

    from bot.core.export.annual import AnnualFigures, Listed
    from bot.core.stats import ProposalStats

PLACEHOLDER = "【待撰写：{}】"


def _todo(doc: Document, what: str) -> None:
    d.body(doc, PLACEHOLDER.format(what))


def _received(doc: Document, f: AnnualFigures) -> None:
    p = f.proposals
    d.heading(doc, 1, "提案提交和立案情况")
    d.body(
        doc,
        f"{f.year}年，共收到委员提案 {p.received} 件（不含撤回 {p.withdrawn} 件）。经审查，"
        f"立案 {p.accepted} 件（含并案 {p.merged} 件），立案率 {p.acceptance_rate.percent()}；"
        f"不予立案 {p.rejected} 件"
        + (f"，待审查 {p.pending_review} 件。" if p.pending_review else "。"),
    )
    _todo(doc, "提案的总体特点、委员关注的重点领域")
    d.subheading(doc, 1, "按类别分")
    d.table(doc, ("类别", "收到", "立案", "占立案"), _shares(f.by_category, p.accepted))
    d.subheading(doc, 2, "按界别分")
    d.table(doc, ("界别", "收到", "立案", "占立案"), _shares(f.by_sector, p.accepted))


def _shares(rows: list[tuple[str, ProposalStats]], accepted: int) -> list[list[object]]:
    def share(n: int) -> str:
        return f"{n / accepted * 100:.1f}%" if accepted else "—"

    return [[name, s.received, s.accepted, share(s.accepted)] for name, s in rows]


def _handling(doc: Document, f: AnnualFigures) -> None:
    p, c = f.proposals, f.consultation
    d.heading(doc, 2, "提案办理情况")
    abc = "、".join(
        f"{k}类 {p.answer_categories.get(k, 0)} 件（占 {p.answer_category_share(k).percent()}）"
        for k in "ABC"
    )
    d.body(
        doc,
        f"立案提案交 {len(f.units)} 个承办单位办理 {p.assigned} 件，已答复 {p.answered} 件，"
        f"办复率 {p.answer_rate.percent()}；按期答复 {p.answered_on_time} 件，按期答复率 "
        f"{p.on_time_rate.percent()}；平均答复用时 {days(p.average_working_days)} 个工作日。"
        f"答复中，{abc}。已办结 {p.concluded} 件，办结率 {p.conclusion_rate.percent()}；"
        f"重新办理 {p.rehandled} 件；目前逾期未答复 {p.overdue} 件。",
    )
    d.body(
        doc,
        f"办理协商：{c.answers} 件次答复中，答复前与提案人沟通的 {c.with_contact} 件次"
        f"（{c.contact_rate.percent()}）。",
    )
    _todo(doc, "承办单位办理工作的做法和成效、典型事例")
    d.subheading(doc, 1, "承办单位办理情况（主办）")
    d.table(
        doc,
        ("承办单位", "交办", "按期答复", "逾期答复", "当前逾期", "A/B/C", "满意率"),
        [
            [
                u.unit, u.assigned, u.answered_on_time, u.answered_late, u.overdue_now,
                f"{u.a}/{u.b}/{u.c}", u.satisfaction.percent(),
            ]
            for u in f.units
        ],
    )  # fmt: skip


def _evaluation(doc: Document, f: AnnualFigures) -> None:
    p, c = f.proposals, f.consultation
    d.heading(doc, 3, "委员评价情况")
    said = (
        f"评价时 {c.said_consulted} 件表示承办单位与其沟通过、{c.said_not_consulted} 件表示"
        "没有沟通。"
        if c.said
        else ""
    )
    d.body(
        doc,
        f"委员已评价 {p.evaluated} 件，满意率 {p.satisfaction_rate.percent()}，其中满意 "
        f"{p.satisfied} 件、基本满意 {p.basically_satisfied} 件、不满意 {p.unsatisfied} 件；"
        f"初次满意率 {p.first_satisfaction_rate.percent()}。{said}",
    )


def _listed(doc: Document, number: int, heading: str, items: list[Listed], none: str) -> None:
    d.heading(doc, number, heading)
    if not items:
        d.body(doc, none)
    for item in items:
        note = f"（{item.note}）" if item.note else ""
        d.body(doc, f"{item.label}《{item.title}》，提案人：{item.proposer}{note}")
    _todo(doc, f"{heading}的做法和成效")


def write_annual_report(f: AnnualFigures, path: Path) -> Path:
    doc = d.document()
    d.title(doc, f"{f.year}年度提案工作情况报告", "（草稿）")
    _todo(doc, "导语：本年度提案工作的总体情况")
    _received(doc, f)
    _handling(doc, f)
    _evaluation(doc, f)
    _listed(doc, 4, "重点提案督办情况", f.key, f"{f.year}年没有列为重点的提案。")
    _listed(doc, 5, "优秀提案评选情况", f.excellent, f"{f.year}年度优秀提案尚未评出。")
    d.heading(doc, 6, "社情民意信息工作")
    o = f.opinions
    d.body(
        doc,
        f"收到社情民意信息 {o.received} 件，采用 {o.adopted} 件，采用率 "
        f"{o.adoption_rate.percent()}；报送 {o.submitted_up} 件，获领导批示 {o.instructed} 件。",
    )
    d.heading(doc, 7, "存在的问题和下一步工作")
    _todo(doc, "存在的问题")
    _todo(doc, "下一步工作打算")
    d.body(doc, "（数字由政协履职助手按“帮助 统计”的口径生成，与“统计”一致。）", indent=False)
    return d.save(doc, path)
