"""Every figure of the hand-counted year (tests/stats_data.py), as DESIGN.md §2 defines them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from bot.core.stats import Rate, UnitPerformance
from bot.core.stats.figures import WorkdayCounter
from tests.stats_data import EDU, FIN, HOUSING, handled_year

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_proposal_figures(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    stats = await services.stats.proposals(2026)
    # P5 withdrawn; P1 P2 P3 P4(merged) P8 accepted; P6 rejected; P7 pending
    assert (stats.received, stats.withdrawn, stats.pending_review) == (7, 1, 1)
    assert (stats.accepted, stats.rejected, stats.merged) == (5, 1, 1)
    assert str(stats.acceptance_rate) == "71.4%（5/7）"
    assert str(stats.answer_rate) == "75.0%（3/4）"  # P1 P2 P8 of P1 P2 P3 P8
    assert str(stats.conclusion_rate) == "25.0%（1/4）"
    # latest answers: P1 on time; P2's round 2 and P8 after their due dates
    assert str(stats.on_time_rate) == "33.3%（1/3）"
    assert (stats.answered_on_time, stats.answered_late, stats.overdue) == (1, 2, 1)
    assert dict(stats.answer_categories) == {"A": 2, "B": 1}  # P2 counts as its round-2 A
    assert str(stats.answer_category_share("A")) == "66.7%（2/3）"
    assert str(stats.satisfaction_rate) == "100.0%（2/2）"  # P2's latest evaluation only
    assert str(stats.satisfied_rate) == "100.0%（2/2）"
    assert str(stats.first_satisfaction_rate) == "50.0%（1/2）"  # P2 was 不满意 in round 1
    assert stats.rehandled == 1
    # every answer's working days from 交办: 10 + 5 + 9 + 22
    assert stats.average_working_days == pytest.approx(46 / 4)


async def test_filters_pick_the_proposals(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    economy = await services.stats.proposals(2026, sector="经济界")
    assert (economy.received, economy.assigned, economy.overdue) == (1, 1, 1)  # P3
    # a unit's proposals: P1 (会办) and P2 (round 2 主办)
    finance = await services.stats.proposals(2026, unit=FIN)
    assert (finance.received, finance.assigned, finance.answered) == (2, 2, 2)
    social = await services.stats.proposals(2026, category="社会建设")
    assert (social.received, social.accepted, social.assigned, social.concluded) == (3, 3, 2, 1)
    nobody = await services.stats.proposals(2026, unit="没有这个单位")
    assert nobody.received == 0
    assert nobody.acceptance_rate.percent() == "—"


async def test_breakdown_by_sector_and_category(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    sectors = dict(await services.stats.breakdown(2026, "sector"))
    assert (sectors["农业界"].received, sectors["农业界"].withdrawn) == (6, 1)
    assert sectors["经济界"].received == 1
    categories = await services.stats.breakdown(2026, "category")
    assert [(name, s.received) for name, s in categories] == [
        ("社会建设", 3),
        ("经济建设", 1),
        ("（未填）", 3),  # P3 P6 P7 (P5 withdrawn is counted apart)
    ]
    with pytest.raises(ValueError, match="breakdown"):
        await services.stats.breakdown(2026, "colour")


async def test_units_performance(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    rows = await services.stats.units(2026)
    assert rows == [
        # P1 A on time (满意), P2 round 1 C on time (不满意), P8 B late; (10 + 5 + 22) / 3
        UnitPerformance(EDU, 3, 2, 1, 0, 1, 1, 1, Rate(1, 2), pytest.approx(37 / 3)),
        UnitPerformance(HOUSING, 1, 0, 0, 1, 0, 0, 0, Rate(0, 0), None),  # P3 overdue
        # P2 round 2 as 主办 (its 会办 part in P1 does not count)
        UnitPerformance(FIN, 1, 0, 1, 0, 1, 0, 0, Rate(1, 1), 9.0),
    ]
    assert rows[0].answered == 3


async def test_opinion_stages(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    stats = await services.stats.opinions(2026)
    assert stats.received == 6  # O7 withdrawn
    assert str(stats.adoption_rate) == "66.7%（4/6）"
    assert (stats.submitted_up, stats.instructed, stats.implemented) == (3, 2, 1)
    assert stats.not_adopted == 1
    assert (await services.stats.opinions(2026, sector="经济界")).received == 0


async def test_the_year_that_has_nothing(services: Services, clock: FakeClock) -> None:
    await handled_year(services, clock)
    empty = await services.stats.proposals(2020)
    assert (empty.received, empty.assigned, empty.average_working_days) == (0, 0, None)
    assert await services.stats.units(2020) == []


def test_workday_counter_agrees_with_the_calendar(services: Services) -> None:
    counter = WorkdayCounter(services.calendar)
    pairs = [
        (date(2026, 3, 2), date(2026, 4, 1)),
        (date(2025, 12, 20), date(2026, 1, 10)),  # across 元旦 and a year
        (date(2024, 11, 1), date(2026, 2, 28)),  # across 春节 and two years
        (date(2026, 10, 9), date(2026, 9, 30)),  # backwards
        (date(2026, 5, 5), date(2026, 5, 5)),
    ]
    for start, end in pairs:
        assert counter.between(start, end) == services.calendar.workdays_between(start, end)
