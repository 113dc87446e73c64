"""The handling practice where it shows (issue 14 item 1): 统计's 办理协商 figures, duty points
from the quality rating and 优秀提案, the board's key and excellent proposals (public facts
only), and 履职 统计's shortfalls. The year: tests/practice_data.py (counted by hand there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.duty import texts as duty_texts
from bot.core.duty.minimum import authored_kinds, shortfalls
from bot.core.duty.table import Source, parse_table
from bot.core.stats import texts as stats_texts
from tests.practice_data import (
    LI_POINTS,
    PRIVATE_TITLE,
    PUBLIC_TITLE,
    ZHANG_POINTS,
    ZHAO_POINTS,
    PracticeYear,
    practice_year,
)
from tests.workflow_utils import COSIGNER, MEMBER, PROPOSER

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester


@pytest.fixture
async def year(
    services: Services, staff: Requester, edu: Requester, proposer: Requester
) -> PracticeYear:
    return await practice_year(services, staff, edu, proposer)


async def test_stats_reports_the_share_of_answers_with_contact(
    services: Services, year: PracticeYear
) -> None:
    figures = await services.stats.consultations(2026)
    assert (figures.answers, figures.with_contact) == (2, 1)
    assert (figures.said_consulted, figures.said_not_consulted) == (1, 1)
    assert figures == await services.proposals.consultation_figures(2026)  # one function
    line = stats_texts.consultation_line(figures)
    assert line == (
        "· 办理协商：答复 2 件次，答复前记录了与提案人沟通的 1 件次（50.0%）；"
        "委员评价时表示已沟通 1 件、未沟通 1 件（已沟通占 50.0%）"
    )
    empty = await services.stats.consultations(2025)
    assert stats_texts.consultation_line(empty).endswith("委员评价时还没有人说明是否沟通")
    assert "办理协商：沟通占比" in stats_texts.DEFINITIONS


async def test_duty_points_count_quality_and_excellent(
    services: Services, year: PracticeYear
) -> None:
    people = await services.members.get_many([PROPOSER, COSIGNER, MEMBER])
    rows = await services.duty.members([people[u] for u in (PROPOSER, COSIGNER, MEMBER)], 2026)
    zhang, li, zhao = rows
    assert (zhang.total, li.total, zhao.total) == (ZHANG_POINTS, LI_POINTS, ZHAO_POINTS)
    assert zhang.items["提案质量评价优秀"].reasons == ["提案第1号"]
    assert zhang.items["提案质量评价良好"].reasons == ["提案第2号"]
    assert zhang.items["评为优秀提案"].reasons == ["提案第1号", "提案第2号"]
    assert "评为优秀提案" not in li.items  # co-signers are not counted for it
    own = duty_texts.own(zhang, 2026)  # what the member sees (履职): the grade is staff's
    assert own.startswith(f"张三 · 2026年履职积分：共 {ZHANG_POINTS} 分")
    assert "· 承办单位提案质量评价：共 7 分（评价档次只向机关工作人员显示）" in own
    assert "优秀 1" not in own
    assert "良好" not in own
    assert "· 评为优秀提案 2 件 × 10 分 = 20 分：提案第1号、提案第2号" in own
    # everyone at once (the year read whole) gives the same
    many = await services.duty.members(await services.members.list_members(), 2026)
    assert {m.user_id: m.total for m in many}[PROPOSER] == ZHANG_POINTS


async def test_quality_points_are_configurable(services: Services, year: PracticeYear) -> None:
    table = parse_table(
        '[[item]]\nname = "质量一般"\npoints = -1\nsource = "quality_good"\n'
        '[[item]]\nname = "优秀"\npoints = 20\nsource = "excellent_proposal"\n'
    )
    services.duty.table, kept = table, services.duty.table
    try:
        zhang = await services.duty.member((await services.members.get(PROPOSER)), 2026)  # type: ignore[arg-type]
    finally:
        services.duty.table = kept
    assert zhang.total == -1 + 2 * 20
    assert table.by_source()[Source.QUALITY_GOOD].points == -1


async def test_board_shows_key_and_excellent_public_facts_only(
    services: Services, year: PracticeYear
) -> None:
    overview = await services.board.overview(2026)
    [key] = overview.key_proposals
    assert (key.number, key.title, key.leader, key.unit) == (
        1,
        PUBLIC_TITLE,
        "某副主席",
        "县财政局",
    )
    assert [e.title for e in overview.excellent] == [PUBLIC_TITLE]  # the private one is not
    assert all(PRIVATE_TITLE != row.title for row in overview.key_proposals)
    detail = await services.board.proposal(2026, 1)
    assert detail is not None
    texts = [item.text for item in detail.timeline]
    assert "评为年度优秀提案" in texts
    assert not any("建议具体可行" in t or "质量" in t for t in texts)  # reason, rating: staff's


async def test_shortfalls_list_who_lacks_what(services: Services, year: PracticeYear) -> None:
    people = await services.members.list_members()
    rows = await services.duty.members(people, 2026)
    short = shortfalls(rows, await authored_kinds(services.db, 2026), 10, 2026)
    assert [r.name for r in short.no_proposal] == ["李四", "赵六"]
    assert [r.name for r in short.no_opinion] == ["李四", "赵六"]
    assert [(r.name, r.total) for r in short.below] == [("赵六", 2), ("李四", 3)]
    lines = duty_texts.shortfall_lines(short)
    assert lines[-1] == "· 积分低于本会最低要求 10 分的 2 人：赵六（2 分）、李四（3 分）"
    unset = duty_texts.shortfall_lines(shortfalls(rows, {}, 0, 2026))
    assert unset[1] == "· 没有提案（第一提案人）3 人：张三、李四、赵六"
    assert unset[-1].startswith("· 本会未设最低积分")
