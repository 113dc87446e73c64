"""The texts of the digests (日报 / 周报 / 月报), built from what the queries and the statistics
found: pure functions, no database. A digest with ``news == 0`` is not sent."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.clock import to_local
from bot.core.delivery.outbox import Part, text_part
from bot.core.models import Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import record_label
from bot.core.schedule.digests.links import BoardLinks
from bot.core.schedule.digests.periods import Period, short_date
from bot.core.schedule.digests.plan import PLAN_STATES, PlanNews, PlanTotals
from bot.core.stats import (
    ACCEPTED_STATES,
    OpinionStats,
    OverdueItem,
    PeriodCounts,
    ProposalStats,
    UnitPerformance,
    overdue_by_unit,
)
from bot.core.stats.texts import UNIT_COLUMNS, abc_shares, unit_lines

if TYPE_CHECKING:
    from bot.core.schedule.digests.queries import Changes, KeyItem

#: More item lines than this and the digest goes as a forward message (合并转发).
FORWARD_THRESHOLD = 10
#: Items listed per section; the rest are counted.
MAX_LINES = 60


@dataclass
class Digest:
    title: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    news: int = 0  # new things; 0 -> not sent

    @property
    def line_count(self) -> int:
        return sum(len(lines) for _, lines in self.sections)

    def text(self) -> str:
        blocks = [self.title]
        for heading, lines in self.sections:
            blocks.append("\n".join([heading, *lines]))
        if self.notes:
            blocks.append("\n".join(self.notes))
        return "\n\n".join(blocks)

    @property
    def as_forward(self) -> bool:
        return self.line_count > FORWARD_THRESHOLD

    def parts(self) -> list[Part]:
        """One text part (an ordinary message), or one part per node of a forward message."""
        if not self.as_forward:
            return [text_part(self.text())]
        nodes = [self.title + ("\n" + "\n".join(self.notes) if self.notes else "")]
        nodes += ["\n".join([heading, *lines]) for heading, lines in self.sections]
        return [text_part(node) for node in nodes]


@dataclass(frozen=True)
class MonthFigures:
    """What the monthly digest reports: the month's counts, the year's statistics, overdue
    assignments (as of ``today``) and the month's rejections and withdrawals."""

    year: int
    today: date
    counts: PeriodCounts
    proposals: ProposalStats
    opinions: OpinionStats
    overdue: list[OverdueItem]
    unannounced: dict[str, int]
    plan: PlanTotals | None = None  # the year's consultation plan, when it has items
    units: list[UnitPerformance] = field(default_factory=list)  # the year's, as 统计 单位
    board: BoardLinks = field(default_factory=BoardLinks)
    key: list[KeyItem] = field(default_factory=list)  # the year's key proposals
    unreachable: list[str] = field(default_factory=list)
    """People one-to-one messages could not reach this month (``张三（QQ 20001）``)."""


def listed(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"……另有 {len(lines) - MAX_LINES} 项"]


def record_line(
    record: Record, *, year: int, with_person: bool = True, links: BoardLinks | None = None
) -> str:
    line = f"· {record_label(record, current_year=year)}《{record.title}》"
    if with_person:
        who = record.proposer_name
        if record.proposer_sector:
            who += f"（{record.proposer_sector}）"
        line += f"——{who}"
    if record.status not in (RecordStatus.SUBMITTED, RecordStatus.WITHDRAWN):
        line += f"（{RecordStatus(record.status).label}）"
    link = links.record(record) if links is not None else None
    return f"{line} {link}" if link else line


def progress_line(record: Record, status: str, *, year: int, with_person: bool = False) -> str:
    label = record_label(record, current_year=year)
    who = f"（{record.proposer_name}）" if with_person else ""
    return f"· {label}《{record.title}》{who}：{RecordStatus(status).label}"


def daily_year(period: Period) -> int:
    return to_local(period.end).year


def weekly_year(period: Period) -> int:
    """The year of the week's last day (the period ends at the next Monday's midnight)."""
    return to_local(period.end - timedelta(seconds=1)).year


def _members_digest(
    title: str,
    changes: Changes,
    *,
    year: int,
    new_heading: str,
    with_person: bool,
    links: BoardLinks | None = None,
) -> Digest:
    digest = Digest(title)
    new, progress = changes.new, changes.progress
    if new:
        lines = [record_line(r, year=year, links=links) for r in new]
        digest.sections.append((f"{new_heading}（{len(new)}）：", listed(lines)))
    if progress:
        lines = [progress_line(r, s, year=year, with_person=with_person) for r, s in progress]
        digest.sections.append((f"办理进展（{len(progress)}）：", listed(lines)))
    digest.news = changes.count
    return digest


def daily(
    period: Period,
    changes: Changes,
    awaiting_evaluation: int,
    plan: PlanNews | None = None,
    links: BoardLinks | None = None,
) -> Digest:
    """日报 for a whole-body group: new records (filed proposals linked to the board when it
    is public), progress, answers awaiting evaluation; the consultation plan's progress and
    the work news (政协动态) when there are any."""
    plan = plan or PlanNews()
    if plan.plan:  # the plan section tells what happened to topics in the plan
        changes = replace(
            changes,
            progress=[
                (r, s)
                for r, s in changes.progress
                if not (r.kind == RecordKind.TOPIC and s in PLAN_STATES)
            ],
        )
    digest = _members_digest(
        f"【日报】{period.label}",
        changes,
        year=daily_year(period),
        new_heading="新提交",
        with_person=False,
        links=links,
    )
    if plan.plan:
        digest.sections.append((f"协商计划进展（{len(plan.plan)}）：", listed(plan.plan)))
    if plan.news:
        digest.sections.append((f"政协动态（{len(plan.news)}）：", listed(plan.news)))
    digest.news += plan.count
    if changes.private_note:
        digest.notes.append(f"{changes.private_note}，提交人可发送“我的”查看。")
    if awaiting_evaluation:
        digest.notes.append(f"目前有 {awaiting_evaluation} 件提案已答复、待提案人评价。")
    if changes.count:
        digest.notes.append("发送“查提案 编号”可查看详情。")
    if plan.plan:
        digest.notes.append("发送“协商计划”查看本年度协商计划。")
    return digest


def weekly(
    period: Period,
    sector: str,
    changes: Changes,
    totals: dict[str, int],
    tips: list[str] | None = None,
) -> Digest:
    """周报 for a sector group: its members' new records and progress, and the year's totals
    (``totals``: the sector's proposals by state; read only when there is news); the public's
    proposal tips approved in the week (提案选题参考, ``tips``: their lines)."""
    year = weekly_year(period)
    digest = _members_digest(
        f"【{sector}周报】{period.label}",
        changes,
        year=year,
        new_heading="本界别委员新提交",
        with_person=True,
    )
    if changes.private_note:
        digest.notes.append(f"{changes.private_note}。")
    if digest.news:
        digest.notes.append(sector_totals(totals, year))
    if tips:
        heading = f"提案选题参考·本周新增群众线索（{len(tips)}）："
        digest.sections.append(
            (heading, [*listed(tips), "发送“线索”查看全部，写提案时注明“线索 L编号”。"])
        )
        digest.news += len(tips)
    return digest


def sector_totals(counts: dict[str, int], year: int) -> str:
    total = sum(counts.values())
    accepted = sum(n for s, n in counts.items() if s in ACCEPTED_STATES)
    answered = sum(
        counts.get(s, 0)
        for s in (RecordStatus.ANSWERED, RecordStatus.EVALUATED, RecordStatus.CONCLUDED)
    )
    concluded = counts.get(RecordStatus.CONCLUDED, 0)
    return (
        f"本界别委员{year}年共提交提案 {total} 件：已立案 {accepted} 件、"
        f"已答复 {answered} 件、已办结 {concluded} 件。"
    )


def monthly(period: Period, figures: MonthFigures) -> Digest:
    """月报 for the staff group: the month, the year so far, overdue units."""
    counts, unannounced, overdue = figures.counts, figures.unannounced, figures.overdue
    digest = Digest(f"【月报】{period.label} 履职工作统计")
    digest.sections.append(("本期：", _month_lines(counts, unannounced)))
    digest.sections.append(
        (f"{figures.year}年累计：", _year_lines(figures.proposals, figures.opinions))
    )
    if figures.plan is not None and figures.plan.total:
        digest.sections.append(("协商计划：", [figures.plan.line()]))
    if figures.units:
        heading = f"{figures.year}年承办单位办理情况（主办）：\n{UNIT_COLUMNS}"
        digest.sections.append((heading, listed(unit_lines(figures.units))))
    if figures.key:
        digest.sections.append(
            (f"重点提案（{len(figures.key)}件）：", listed(_key_lines(figures.key, figures.year)))
        )
    if overdue:
        digest.sections.append(
            (
                f"逾期未答复（截至{short_date(figures.today)}）：",
                listed(_overdue_lines(overdue, figures.today.year)),
            )
        )
    if figures.unreachable:
        digest.sections.append(
            ("私聊联系不上（请提醒其加机器人为好友）：", listed(figures.unreachable))
        )
    home = figures.board.home()
    if home:
        digest.notes.append(f"办理进度公开平台：{home}")
    digest.news = (
        sum(counts.new_by_kind.values())
        + counts.answers
        + counts.concluded
        + len(overdue)
        + sum(unannounced.values())
        + len(figures.unreachable)
    )
    return digest


def _month_lines(counts: PeriodCounts, unannounced: dict[str, int]) -> list[str]:
    lines = [
        "· 新收："
        + "、".join(
            f"{kind.label} {counts.new_by_kind.get(kind.value, 0)} 件" for kind in RecordKind
        ),
        f"· 答复提案 {counts.answers} 件，办结 {counts.concluded} 件",
    ]
    if unannounced:
        lines.append(
            f"· 不予立案 {unannounced.get(RecordStatus.REJECTED, 0)} 件，"
            f"撤回 {unannounced.get(RecordStatus.WITHDRAWN, 0)} 件；"
            f"社情民意信息未采用 {unannounced.get(RecordStatus.NOT_ADOPTED, 0)} 件"
        )
    return lines


def _year_lines(p: ProposalStats, opinions: OpinionStats) -> list[str]:
    lines = [
        f"· 收到提案 {p.received} 件（不含撤回），立案 {p.accepted} 件，"
        f"立案率 {p.acceptance_rate.percent()}"
        + (f"；待审查 {p.pending_review} 件" if p.pending_review else ""),
        f"· 交办 {p.assigned} 件，已答复 {p.answered} 件，办复率 {p.answer_rate.percent()}；"
        f"已办结 {p.concluded} 件，办结率 {p.conclusion_rate.percent()}",
    ]
    if p.answered:
        lines.append(f"· 答复类别：{abc_shares(p)}")
    if p.evaluated:
        lines.append(
            f"· 委员评价 {p.evaluated} 件：满意率 {p.satisfaction_rate.percent()}"
            f"（其中满意 {p.satisfied_rate.percent()}），"
            f"初次满意率 {p.first_satisfaction_rate.percent()}"
        )
    lines.append(
        f"· 社情民意信息 {opinions.received} 件，采用 {opinions.adopted} 件，"
        f"采用率 {opinions.adoption_rate.percent()}"
        + (f"；获批示 {opinions.instructed} 件" if opinions.instructed else "")
    )
    return lines


def _key_lines(items: list[KeyItem], year: int) -> list[str]:
    """Key proposals: state, supervising leader, 督办 activities (the staff group only)."""
    lines = []
    for item in items:
        line = progress_line(item.record, item.record.status, year=year)
        if item.leader:
            line += f"，{item.leader}督办"
        if item.activities:
            line += f"，督办活动 {item.activities} 次"
        lines.append(line)
    return lines


def _overdue_lines(overdue: list[OverdueItem], current_year: int) -> list[str]:
    lines = []
    for unit, items in overdue_by_unit(overdue).items():
        worst = max(item.workdays_overdue for item in items)
        numbers = "、".join(
            record_label(item.record, current_year=current_year) for item in items[:5]
        )
        more = f"等{len(items)}件" if len(items) > 5 else ""
        lines.append(f"· {unit}：{len(items)} 件（{numbers}{more}），最长逾期 {worst} 个工作日")
    return lines


def covered_year(start: datetime) -> int:
    """The year a monthly digest's statistics are for: the covered month's."""
    return to_local(start).year
