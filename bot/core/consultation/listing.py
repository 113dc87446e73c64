"""The texts of `协商计划 [2027]` and `议题` (the pool): read from the queries, worded by texts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.consultation import texts
from bot.core.consultation.queries import POOL_LIMIT, plan_rows, pool
from bot.core.errors import InvalidInput
from bot.core.records.service import record_label, ref_text

if TYPE_CHECKING:
    from datetime import date

    from bot.core.consultation.forms import FormList
    from bot.core.db import Database

PLAN_LIST_USAGE = "协商计划 [年份]，例如：协商计划 2027"


def plan_year(text: str, current_year: int) -> int:
    """The year typed after 协商计划 (this year when none)."""
    text = text.strip().rstrip("年度").rstrip("年")
    if not text:
        return current_year
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    raise InvalidInput(f"“{text[:12]}”不是年份。用法：{PLAN_LIST_USAGE}")


async def plan_listing(
    db: Database,
    year: int,
    *,
    today: date,
    current_year: int,
    include_private: bool,
    forms: FormList,
) -> str:
    """The year's plan by form; items of privately submitted topics only with
    `include_private` (staff, privately), else counted."""
    rows = await plan_rows(db, year, forms=forms)
    shown = [r for r in rows if include_private or r.item.public]
    by_form: list[tuple[str, list]] = []
    for row in shown:
        if not by_form or by_form[-1][0] != row.item.form:
            by_form.append((row.item.form, []))
        by_form[-1][1].append((row.item, row.record.status, ref_text(row.record, current_year)))
    return texts.plan_text(year, by_form, today, len(rows) - len(shown))


async def pool_listing(
    db: Database, *, current_year: int, include_private: bool, own_user_id: str | None
) -> str:
    rows = await pool(db, include_private=include_private, own_user_id=own_user_id)
    if not rows:
        return "目前没有征集中的协商议题。委员可发送“#议题 内容”建议协商议题。"
    more = len(rows) > POOL_LIMIT
    lines = [
        f"征集中的协商议题（按支持人数排列{'，显示前' + str(POOL_LIMIT) + '项' if more else ''}）："
    ]
    for row in rows[:POOL_LIMIT]:
        label = record_label(row.record, current_year=current_year)
        private = "（私聊提交）" if row.record.source_kind == "private" else ""
        lines.append(
            f"· {label}《{row.record.title}》——{row.record.proposer_name}{private}，"
            f"支持 {row.supporters} 人"
        )
    lines.append("赞同的委员可发送“附议 议题 编号”表示支持；发送“查议题 编号”查看详情。")
    return "\n".join(lines)
