"""Rates as DESIGN.md §2 defines them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.core.models import RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.stats import Rate
from tests.core.schedule_data import add_record, add_unit, answer, assign, evaluate, set_local

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

S = RecordStatus


def test_rate_formatting() -> None:
    assert str(Rate(110, 118)) == "93.2%（110/118）"
    assert Rate(0, 0).percent() == "—"
    assert Rate(0, 0).value is None
    assert Rate(1, 3).percent() == "33.3%"


async def test_proposal_rates(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 3, 1, 10)
    unit = await add_unit(services, "县教育局")
    await add_record(services, "撤回", status=S.WITHDRAWN)
    await add_record(services, "待审查", status=S.SUBMITTED)
    await add_record(services, "不予立案", status=S.REJECTED)
    await add_record(services, "并案", status=S.MERGED)
    await add_record(services, "去年的", status=S.CONCLUDED, year=2025)
    assigned_only = await add_record(services, "交办了", status=S.ASSIGNED)
    first = await add_record(services, "满意", status=S.CONCLUDED)
    second = await add_record(services, "基本满意", status=S.CONCLUDED)
    third = await add_record(services, "重办后满意", status=S.EVALUATED, round_=2)
    answered = await add_record(services, "待评价", status=S.ANSWERED)
    for record in (assigned_only, first, second, third, answered):
        await assign(services, record, unit, date(2026, 6, 1))
    await assign(services, third, unit, date(2026, 9, 1), round_=2)
    await answer(services, first, "A", unit=unit)
    await answer(services, second, "B", unit=unit)
    await answer(services, third, "C", unit=unit)
    await answer(services, third, "A", unit=unit, round_=2)
    await answer(services, answered, "B", unit=unit)
    await evaluate(services, first, "satisfied")
    await evaluate(services, second, "basically_satisfied")
    await evaluate(services, third, "unsatisfied")
    await evaluate(services, third, "satisfied", round_=2)

    stats = await services.stats.proposals(2026)
    assert (stats.received, stats.withdrawn, stats.pending_review) == (8, 1, 1)
    assert str(stats.acceptance_rate) == "75.0%（6/8）"  # merged counts as 立案, rejected does not
    assert str(stats.answer_rate) == "80.0%（4/5）"
    assert str(stats.conclusion_rate) == "40.0%（2/5）"
    assert str(stats.satisfaction_rate) == "100.0%（3/3）"  # each proposal's latest evaluation
    assert str(stats.satisfied_rate) == "66.7%（2/3）"
    assert str(stats.first_satisfaction_rate) == "66.7%（2/3）"  # round 1 only
    assert dict(stats.answer_categories) == {
        "A": 2,
        "B": 2,
    }  # latest answer: the re-handled one is A
    assert stats.answer_category_share("A").percent() == "50.0%"
    assert stats.answer_category_share("C").percent() == "0.0%"


async def test_adoption_rate(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 3, 1, 10)
    op = RecordKind.OPINION
    for status in (S.SUBMITTED, S.NOT_ADOPTED, S.ADOPTED, S.INSTRUCTED, S.WITHDRAWN):
        await add_record(services, str(status), kind=op, status=status)
    stats = await services.stats.opinions(2026)
    assert str(stats.adoption_rate) == "50.0%（2/4）"
    assert stats.instructed == 1


async def test_overdue_counts_working_days_and_skips_answered(
    services: Services, clock: FakeClock
) -> None:
    set_local(clock, 2026, 9, 1, 10)
    unit = await add_unit(services, "县住建局")
    late = await add_record(services, "逾期", status=S.IN_PROGRESS)
    await assign(services, late, unit, date(2026, 9, 30))
    done = await add_record(services, "已答复", status=S.ANSWERED)
    await assign(services, done, unit, date(2026, 9, 30))
    await answer(services, done, "B", unit=unit)
    old_round = await add_record(services, "上一轮的", status=S.REHANDLING, round_=2)
    await assign(services, old_round, unit, date(2026, 9, 1))  # round 1: not the current one
    items = await services.stats.overdue(date(2026, 10, 9))
    assert [(i.record.title, i.unit_name, i.workdays_overdue) for i in items] == [
        ("逾期", "县住建局", 2)  # 10-08 and 10-09: the 国庆 days do not count
    ]
