"""网民满意度 in `统计` (a line of its own, apart from the members' 满意率) and in the export
(a 网民满意度 sheet beside the members' evaluation, a line in 年度统计)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl import load_workbook

from tests.utils import MEMBER_GROUP, STAFF_GROUP, group_message, say
from tests.workflow_utils import PROPOSER, STAFF

if TYPE_CHECKING:
    from pathlib import Path

    from nonebug import App

    from bot.core.services import Services
    from tests.public_data import PublicData

LINE = (
    "· 网民满意度（公开网页上的公众评价，与委员评价分开统计）：满意率 50.0%"
    "（满意 1、基本满意 0、不满意 1，共 2 人次）"
)


async def rate_twice(services: Services, data: PublicData) -> None:
    await services.public.rate("203.0.113.1", "a" * 32, data.proposal, "满意")
    await services.public.rate("203.0.113.2", "b" * 32, data.proposal, "不满意")


async def test_stats_reports_public_ratings_apart(
    app: App, services: Services, data: PublicData
) -> None:
    before = await say(app, group_message("统计", user_id=PROPOSER, group_id=MEMBER_GROUP))
    assert "网民满意度（公开网页上的公众评价，与委员评价分开统计）：2026年暂无评价" in before
    await rate_twice(services, data)
    public = await say(app, group_message("统计", user_id=PROPOSER, group_id=MEMBER_GROUP))
    assert LINE in public
    assert "· 满意率 " in public  # the members' evaluations, on their own line
    staff = await say(app, group_message("统计 2026", user_id=STAFF, group_id=STAFF_GROUP))
    assert LINE in staff


async def test_export_has_the_public_rating_sheet(
    services: Services, data: PublicData, tmp_path: Path
) -> None:
    await rate_twice(services, data)
    result = await services.export.export(2026, tmp_path / "2026.xlsx")
    book = load_workbook(result.path)
    rows = list(book["网民满意度"].iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "标题", "委员评价（最近一轮）")
    assert rows[1][:7] == (f"第{data.proposal.number}号", data.proposal.title, "未评价", 1, 0, 1, 2)
    assert rows[1][7] == 0.5
    summary = {row[0]: row for row in book["年度统计"].iter_rows(values_only=True)}
    assert summary["网民满意率（网页评价）"][1] == 0.5
    assert "与委员评价分开统计" in summary["网民满意率（网页评价）"][2]
