"""The 履职报告 texts: a member's duty record as a readable message, and the lines the .docx
builders share (pure: data in, text out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.duty.texts import QUALITY_LINE, member_items
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from bot.core.duty.record import DutyRecord, OpinionLine, OtherLine, ProposalLine

REPORT_USAGE = "履职报告 [年份]"


def proposal_text(p: ProposalLine) -> str:
    """``提案第3号《…》：已办结；县教育局答复A类，评价满意`` and what else it was."""
    marks = [m for m, on in (("重点提案", p.is_key), ("优秀提案", p.excellent)) if on]
    head = f"{RecordKind.PROPOSAL.describe(p.number)}《{p.title}》"
    head += f"（{'、'.join(marks)}）" if marks else ""
    facts = [p.status]
    if p.answer:
        facts.append(f"{p.unit or '承办单位'}答复{p.answer}类")
    if p.evaluation:
        facts.append(f"本人评价：{p.evaluation}")
    if p.rounds > 1:
        facts.append("经重新办理")
    if p.lookback:
        facts.append(f"回头看：{p.lookback}")
    if p.cosigners:
        facts.append(f"联名 {p.cosigners} 人")
    return f"{head}：{'；'.join(facts)}"


def opinion_text(o: OpinionLine) -> str:
    head = f"{RecordKind.OPINION.describe(o.number)}《{o.title}》：{o.status}"
    if o.instructions:
        head += "；领导批示：" + "；".join(o.instructions)
    return head


def other_text(o: OtherLine) -> str:
    return f"{o.label}《{o.title}》" + (f"（{o.note}）" if o.note else "")


def sections(record: DutyRecord) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each part of the record, in the report's order."""
    adopted = sum(o.adopted for o in record.opinions)
    instructed = sum(bool(o.instructions) for o in record.opinions)
    shown, rated = member_items(record.points)
    point_lines = [
        f"{e.item.name} {e.count} × {e.item.points} 分 = {e.points} 分" for e in shown
    ] + ([QUALITY_LINE.format(rated)] if rated is not None else [])
    return [
        (f"提案 {len(record.proposals)} 件", [proposal_text(p) for p in record.proposals]),
        (
            f"社情民意信息 {len(record.opinions)} 件（采用 {adopted} 件，获批示 {instructed} 件）",
            [opinion_text(o) for o in record.opinions],
        ),
        (f"联名提案 {len(record.cosigns)} 件", [other_text(c) for c in record.cosigns]),
        (f"参加临时讨论 {len(record.discussions)} 次", [other_text(d) for d in record.discussions]),
        (f"提交协商议题 {len(record.topics)} 件", [other_text(t) for t in record.topics]),
        (f"履职积分 {record.points.total} 分", point_lines),
    ]


def title(record: DutyRecord) -> str:
    sector = f"（{record.sector}）" if record.sector else ""
    return f"{record.name}{sector} {record.year}年度履职报告"


def report(record: DutyRecord) -> str:
    """The readable message (the .docx carries the same)."""
    lines = [title(record)]
    for heading, items in sections(record):
        lines.append(f"【{heading}】")
        lines += [f"· {item}" for item in items] or ["· 无"]
    if record.empty:
        lines.append(
            f"{record.year}年还没有您的履职记录。提交提案、社情民意信息、协商议题，"
            "联名提案，参加讨论，都会记入履职档案。"
        )
    return "\n".join(lines)


def file_sent(name: str) -> str:
    return f"Word 文件（可打印）随后私聊发给您：{name}"


def file_fallback(path: str) -> str:
    return (
        "履职报告的 Word 文件未能通过 QQ 发送（客户端不支持文件）。"
        f"文件已保存在服务器：{path}，可请机关工作人员打印。"
    )
