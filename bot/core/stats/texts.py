"""The `统计` replies: the full figures (staff), the short public version (members, members'
groups), and the tables by unit, sector or category. Pure: data in, text out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.stats.rates import ANSWER_CATEGORIES, OpinionStats, ProposalStats, UnitPerformance

if TYPE_CHECKING:
    from bot.core.stats.practice import ConsultationFigures


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def abc_shares(p: ProposalStats) -> str:
    """``A类 2 件（66.7%）、B类 …`` (also in the monthly digest)."""
    return "、".join(
        f"{c}类 {p.answer_categories.get(c, 0)} 件（{p.answer_category_share(c).percent()}）"
        for c in ANSWER_CATEGORIES
    )


def proposal_lines(p: ProposalStats) -> list[str]:
    """Every proposal figure, one topic a line."""
    lines = [
        f"· 收到提案 {p.received} 件（不含撤回 {p.withdrawn} 件）：立案 {p.accepted} 件"
        f"（含并案 {p.merged} 件），立案率 {p.acceptance_rate}；不予立案 {p.rejected} 件"
        + (f"，待审查 {p.pending_review} 件" if p.pending_review else ""),
        f"· 交办 {p.assigned} 件：已答复 {p.answered} 件，办复率 {p.answer_rate}；"
        f"按期答复 {p.answered_on_time} 件，按期答复率 {p.on_time_rate}",
        f"· 已办结 {p.concluded} 件，办结率 {p.conclusion_rate}；"
        f"当前逾期未答复 {p.overdue} 件；重新办理 {p.rehandled} 件",
        f"· 答复类别：{abc_shares(p)}",
        f"· 委员评价 {p.evaluated} 件：满意率 {p.satisfaction_rate}，"
        f"其中满意 {p.satisfied} 件（{p.satisfied_rate.percent()}）、"
        f"基本满意 {p.basically_satisfied} 件、不满意 {p.unsatisfied} 件；"
        f"初次满意率 {p.first_satisfaction_rate}",
        f"· 平均答复用时 {days(p.average_working_days)} 个工作日（自交办起）",
    ]
    return lines


def consultation_line(c: ConsultationFigures) -> str:
    """办理协商: answers with a recorded contact, and what the proposers said."""
    said = (
        f"委员评价时表示已沟通 {c.said_consulted} 件、未沟通 {c.said_not_consulted} 件"
        f"（已沟通占 {c.said_consulted_rate.percent()}）"
        if c.said
        else "委员评价时还没有人说明是否沟通"
    )
    return (
        f"· 办理协商：答复 {c.answers} 件次，答复前记录了与提案人沟通的 {c.with_contact} 件次"
        f"（{c.contact_rate.percent()}）；{said}"
    )


def opinion_lines(o: OpinionStats) -> list[str]:
    return [
        f"· 社情民意信息 {o.received} 件：采用 {o.adopted} 件，采用率 {o.adoption_rate}；"
        f"报送 {o.submitted_up} 件，获批示 {o.instructed} 件，已落实 {o.implemented} 件"
    ]


def full(
    title: str,
    p: ProposalStats,
    o: OpinionStats | None,
    consulted: ConsultationFigures | None = None,
) -> str:
    lines = [title, "【提案】", *proposal_lines(p)]
    if consulted is not None:
        lines.append(consultation_line(consulted))
    if o is not None:
        lines += ["【社情民意信息】", *opinion_lines(o)]
    lines.append(
        "分项：统计 单位 / 统计 界别 / 统计 类别；口径见“帮助 统计”；Excel：导出"
        + (f" {p.year}" if p.year else "")
    )
    return "\n".join(lines)


def public(p: ProposalStats, o: OpinionStats) -> str:
    """The short version anyone may see (counts and rates only, no unit, no title)."""
    lines = [
        f"{p.year}年提案办理情况",
        f"· 收到提案 {p.received} 件，立案 {p.accepted} 件（立案率 {p.acceptance_rate.percent()}）",
        f"· 交办 {p.assigned} 件，办复率 {p.answer_rate.percent()}，"
        f"办结率 {p.conclusion_rate.percent()}",
        f"· 满意率 {p.satisfaction_rate.percent()}（评价 {p.evaluated} 件）",
        f"· 答复类别：A类 {p.answer_categories.get('A', 0)} 件、"
        f"B类 {p.answer_categories.get('B', 0)} 件、C类 {p.answer_categories.get('C', 0)} 件",
        f"· 社情民意信息 {o.received} 件，采用 {o.adopted} 件（采用率 {o.adoption_rate.percent()}）",
        "口径见“帮助 统计”。",
    ]
    return "\n".join(lines)


UNIT_COLUMNS = "单位：交办｜按期答复/逾期答复｜当前逾期｜A/B/C｜满意率｜平均用时（工作日）"


def unit_lines(rows: list[UnitPerformance]) -> list[str]:
    """One line per unit (also in the monthly digest), after :data:`UNIT_COLUMNS`."""
    return [
        f"· {r.unit}：{r.assigned}｜{r.answered_on_time}/{r.answered_late}｜{r.overdue_now}｜"
        f"{r.a}/{r.b}/{r.c}｜{r.satisfaction}｜{days(r.average_working_days)}"
        for r in rows
    ]


def unit_table(year: int, rows: list[UnitPerformance]) -> str:
    if not rows:
        return f"{year}年还没有交办给承办单位的提案。"
    lines = [f"{year}年承办单位办理情况（主办）", UNIT_COLUMNS, *unit_lines(rows)]
    lines.append("单项：统计 单位 县教育局（含会办的提案）")
    return "\n".join(lines)


def group_table(year: int, label: str, rows: list[tuple[str, ProposalStats]]) -> str:
    if not rows:
        return f"{year}年还没有提案。"
    lines = [
        f"{year}年提案按{label}统计",
        f"{label}：收到｜立案｜交办｜办复率｜办结率｜满意率｜逾期",
    ]
    lines += [
        f"· {name}：{s.received}｜{s.accepted}｜{s.assigned}｜{s.answer_rate.percent()}｜"
        f"{s.conclusion_rate.percent()}｜{s.satisfaction_rate.percent()}｜{s.overdue}"
        for name, s in rows
    ]
    lines.append(f"单项：统计 {label} 名称")
    return "\n".join(lines)


#: `帮助 统计`: the definitions (DESIGN.md §2), as bot/core/stats computes them.
DEFINITIONS = (
    "统计口径（统计、月报、导出和公开进度页用同一套计算）："
    "收到 = 当年提案，不含已撤回；立案率 = 立案 ÷ 收到，并案的提案计入立案；"
    "办复率 = 已答复 ÷ 交办；办结率 = 已办结 ÷ 交办；"
    "按期答复率 = 在答复时限内答复 ÷ 已答复（按最后一次答复及其所在轮次的时限）；"
    "满意率 =（满意 + 基本满意）÷ 已评价，每件提案只计最后一次评价，另列“满意”和"
    "初次满意率（只计第一轮评价）；A/B/C 按每件提案最后一次答复计，重新办理的只计一次；"
    "逾期 = 当前轮次超过答复时限仍未答复；平均答复用时 = 每次答复距交办的工作日数"
    "（按法定节假日和调休）的平均；"
    "承办单位只按主办计（会办不计）：交办件数、按期/逾期答复、当前逾期、A/B/C、满意率按该单位"
    "最后一次主办的轮次计；社情民意信息：采用率 = 采用（含报送、批示、落实）÷ 收到（不含撤回），"
    "报送、批示按是否有过该环节计；"
    "办理协商：沟通占比 = 答复前记录了沟通（沟通 17 面商 …）的答复 ÷ 答复（每轮答复各计一次），"
    "委员的看法按评价时所说的“已沟通/未沟通”计（每次评价各计一次，未说明的不计）。"
)
