"""The 履职 replies: a member's own points item by item, the staff table, the point table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.duty.practice import QUALITY_SOURCES

if TYPE_CHECKING:
    from bot.core.duty.minimum import Shortfalls
    from bot.core.duty.service import ItemPoints, MemberPoints
    from bot.core.duty.table import DutyTable

DUTY_USAGE = "履职 [年份]"
TABLE_USAGE = "履职 统计 [年份] [界别]"
RECORD_USAGE = "履职 登记 @委员 项目名称 [次数] [说明]"


#: How a member sees their quality-rating points: one sum, no grade and no proposal named (the
#: rating is shown to staff only; the total counts it, as the point table says).
QUALITY_LINE = "承办单位提案质量评价：共 {} 分（评价档次只向机关工作人员显示）"


def member_items(points: MemberPoints) -> tuple[list[ItemPoints], int | None]:
    """A member's items but the quality-rating ones, and those summed (None: there are none)."""
    shown = [e for e in points.items.values() if e.item.source not in QUALITY_SOURCES]
    rated = [e.points for e in points.items.values() if e.item.source in QUALITY_SOURCES]
    return shown, (sum(rated) if rated else None)


def _unit(source_recorded: bool) -> str:
    return "次" if source_recorded else "件"


def own(points: MemberPoints, year: int) -> str:
    lines = [f"{points.name} · {year}年履职积分：共 {points.total} 分"]
    if not points.items:
        lines.append(
            "今年还没有计分的履职记录。提交提案、社情民意信息、协商议题，联名提案，都会计分。"
        )
    shown, rated = member_items(points)
    for entry in shown:
        item = entry.item
        unit = _unit(item.recorded)
        lines.append(
            f"· {item.name} {entry.count} {unit} × {item.points} 分 = {entry.points} 分："
            + "、".join(entry.reasons)
        )
    if rated is not None:
        lines.append("· " + QUALITY_LINE.format(rated))
    lines.append("计分办法：发送“履职 积分表”。如有出入，请联系机关工作人员。")
    return "\n".join(lines)


def staff_table(rows: list[MemberPoints], year: int, sector: str | None) -> str:
    where = f"（{sector}）" if sector else ""
    if not rows:
        return f"{year}年{where}还没有登记的委员。"
    ordered = sorted(rows, key=lambda r: (-r.total, r.name))
    lines = [f"{year}年委员履职积分{where}，{len(rows)} 人，按总分排列（仅供机关工作人员查看）"]
    for row in ordered:
        parts = "、".join(f"{e.item.name} {e.points}" for e in row.items.values())
        sector_text = f"（{row.sector}）" if row.sector and not sector else ""
        lines.append(
            f"· {row.name}{sector_text}：{row.total} 分" + (f"（{parts}）" if parts else "")
        )
    return "\n".join(lines)


def point_table(table: DutyTable) -> str:
    lines = ["履职积分表（每件/每次的分值）"]
    for item in table.items:
        how = "机关工作人员登记" if item.recorded else "自动计分"
        lines.append(f"· {item.name}：{item.points} 分（{how}）")
    lines.append("分值和项目由政协机关在积分表文件中设定。")
    return "\n".join(lines)


def _names(rows: list[MemberPoints], *, points: bool = False) -> str:
    shown = [f"{r.name}（{r.total} 分）" if points else r.name for r in rows]
    return "、".join(shown) if shown else "无"


def shortfall_lines(s: Shortfalls) -> list[str]:
    """履职 统计's section on who is short of the year's expectations."""
    lines = [
        "【需关注】（不在委员群公布）",
        f"· 没有提案（第一提案人）{len(s.no_proposal)} 人：{_names(s.no_proposal)}",
        f"· 没有社情民意信息 {len(s.no_opinion)} 人：{_names(s.no_opinion)}",
    ]
    if s.minimum:
        lines.append(
            f"· 积分低于本会最低要求 {s.minimum} 分的 {len(s.below)} 人："
            + _names(s.below, points=True)
        )
    else:
        lines.append("· 本会未设最低积分（设置 DUTY_MINIMUM_POINTS 后列出低于它的委员）")
    return lines
