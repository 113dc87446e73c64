"""Deadlines computed by the workflow: answer due dates after 交办, evaluation windows after 答复,
across National Day and Spring Festival holidays and their make-up working days, and years the
holiday data does not cover yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.errors import InvalidInput
from bot.core.models import Answer, AnswerCategory, Assignment, Record, Unit
from bot.core.schedule.workdays import WorkCalendar
from bot.core.workflow.parsing import AssignSpec
from bot.core.workflow.proposals import ProposalWorkflow
from tests.workflow_utils import EDU, add_record, latest_entry

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

SetDay = Callable[[date], None]


async def accepted_on(services: Services, staff: Requester, on_day: SetDay, day: date) -> Record:
    on_day(day)
    record = await add_record(services)
    await services.proposals.accept(str(record.number), staff)
    return record


async def assign(
    services: Services,
    staff: Requester,
    record: Record,
    deadline: str | None = None,
    reason: str = "",
):  # type: ignore[no-untyped-def]
    return await services.proposals.assign(
        str(record.number), staff, AssignSpec(EDU, [], deadline, reason)
    )


async def due_date(services: Services) -> date:
    async with services.db.session() as session:
        return (await session.exec(select(Assignment.due_date))).one()


# ------------------------------------------------------------ default: 3 months after 交办


@pytest.mark.parametrize(
    ("assigned", "due"),
    [
        (date(2026, 3, 2), date(2026, 6, 2)),  # an ordinary working day
        (date(2025, 7, 1), date(2025, 10, 9)),  # 10-01 is National Day: moved past the holiday
        (date(2025, 7, 11), date(2025, 10, 11)),  # a make-up Saturday (调休上班) stays
        (date(2025, 11, 17), date(2026, 2, 24)),  # 02-17 in the Spring Festival holiday
        (date(2025, 11, 14), date(2026, 2, 14)),  # make-up Saturday before the Festival
        # 11-30 + 3 months is clamped to 02-28, a make-up Saturday: a working day, kept
        (date(2025, 11, 30), date(2026, 2, 28)),
    ],
)
async def test_default_answer_due(
    services: Services,
    staff: Requester,
    units: dict[str, Unit],
    on_day: SetDay,
    assigned: date,
    due: date,
) -> None:
    record = await accepted_on(services, staff, on_day, assigned)
    outcome = await assign(services, staff, record)
    assert await due_date(services) == due
    assert outcome.notes == []


@pytest.mark.parametrize(
    ("deadline", "due", "described"),
    [
        ("2025-10-20", date(2025, 10, 20), "2025年10月20日"),
        ("10月4日", date(2025, 10, 4), "2025年10月4日（注意：当天是休息日）"),
        ("1个月", date(2025, 10, 15), "1个月（至2025年10月15日）"),
        # 09-15 + 30 working days: 09-16..09-30 (12, incl. make-up Sunday 09-28),
        # 10-09..10-31 (18, incl. make-up Saturday 10-11); plain weekdays would give 10-27
        ("30个工作日", date(2025, 10, 31), "30个工作日（至2025年10月31日）"),
        ("20天", date(2025, 10, 9), "20天（至2025年10月9日；2025年10月5日是休息日，顺延）"),
    ],
)
async def test_typed_deadlines_across_national_day(
    services: Services,
    staff: Requester,
    units: dict[str, Unit],
    on_day: SetDay,
    deadline: str,
    due: date,
    described: str,
) -> None:
    record = await accepted_on(services, staff, on_day, date(2025, 9, 15))
    outcome = await assign(services, staff, record, deadline)
    assert await due_date(services) == due
    assert f"答复时限：{described}" in outcome.text
    assert (await latest_entry(services, record)).detail.endswith(
        f"答复时限：{due.year}年{due.month}月{due.day}日"
    )


async def test_bad_deadline_says_what_to_type(
    services: Services, staff: Requester, units: dict[str, Unit], on_day: SetDay
) -> None:
    record = await accepted_on(services, staff, on_day, date(2026, 3, 2))
    with pytest.raises(InvalidInput) as info:
        await assign(services, staff, record, "下个月")
    assert info.value.message.startswith("时限“下个月”有误：看不懂期限“下个月”。可以这样写：")
    assert "30个工作日" in info.value.message


# ------------------------------------------------------------ beyond 6 months needs a reason


async def test_more_than_six_months_needs_a_reason(
    services: Services, staff: Requester, units: dict[str, Unit], on_day: SetDay
) -> None:
    record = await accepted_on(services, staff, on_day, date(2026, 3, 2))
    with pytest.raises(InvalidInput) as info:
        await assign(services, staff, record, "8个月")
    assert info.value.message == (
        "答复时限8个月（至2026年11月2日）超过6个月，须写明延长理由。请在时限后加“理由 ……”，"
        "例如：交办 1 主办 县教育局 时限 8个月 理由 涉及跨年度预算安排"
    )
    outcome = await assign(services, staff, record, "8个月", "涉及跨年度预算")
    assert "答复时限：8个月（至2026年11月2日）（理由：涉及跨年度预算）" in outcome.text
    async with services.db.session() as session:
        row = (await session.exec(select(Assignment))).one()
    assert (row.due_date, row.deadline_reason) == (date(2026, 11, 2), "涉及跨年度预算")
    assert (await latest_entry(services, record)).detail == (
        "主办：县教育局；答复时限：2026年11月2日；时限理由：涉及跨年度预算"
    )


async def test_six_months_exactly_needs_no_reason(
    services: Services, staff: Requester, units: dict[str, Unit], on_day: SetDay
) -> None:
    record = await accepted_on(services, staff, on_day, date(2026, 3, 2))
    outcome = await assign(services, staff, record, "半年")
    assert await due_date(services) == date(2026, 9, 2)
    assert outcome.record.status == "assigned"


# ------------------------------------------------------------ evaluation window: 15 working days


@pytest.mark.parametrize(
    ("answered", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 23)),  # three plain weeks
        # 09-28 (make-up Sunday), 09-29, 09-30, 10-09, 10-10, 10-11 (make-up Saturday),
        # 10-13..10-17, 10-20..10-23: the 15th working day is 10-23 (plain weekdays: 10-17)
        (date(2025, 9, 26), date(2025, 10, 23)),
        # 02-11..02-13, 02-14 (make-up Saturday), 02-24..02-27, 02-28 (make-up Saturday),
        # 03-02..03-06, 03-09: the 15th working day is 03-09
        (date(2026, 2, 10), date(2026, 3, 9)),
    ],
)
async def test_evaluation_due_counts_chinese_working_days(
    services: Services,
    staff: Requester,
    units: dict[str, Unit],
    on_day: SetDay,
    answered: date,
    due: date,
) -> None:
    record = await accepted_on(services, staff, on_day, date(2025, 9, 1))
    await assign(services, staff, record, "2026-05-29", "跨年度")
    on_day(answered)
    # typed with the year: in 2026 a bare "1" would mean 2026's first proposal
    number = f"{record.year}-{record.number}"
    outcome = await services.proposals.answer(number, staff, AnswerCategory.A, "")
    async with services.db.session() as session:
        answer = (await session.exec(select(Answer))).one()
    assert answer.evaluation_due == due
    assert f"评价期限{due.year}年{due.month}月{due.day}日（15个工作日）" in outcome.text


# ------------------------------------------------------------ a year without holiday data


async def test_missing_year_is_told_once_in_the_reply(
    services: Services, staff: Requester, units: dict[str, Unit], on_day: SetDay
) -> None:
    record = await accepted_on(services, staff, on_day, date(2026, 11, 26))
    outcome = await assign(services, staff, record)
    assert await due_date(services) == date(2027, 2, 26)
    (note,) = outcome.notes
    assert note == (
        "注意：2027年的法定节假日和调休安排尚未录入，期限按周一至周五计算，可能不准。"
        "国务院公布安排后，请在 data/holidays.toml 中按文件开头的说明补上2027年的放假日（holidays）"
        "和调休上班日（workdays），写上 complete = true，重启机器人后生效。"
    )
    assert "尚未录入" not in outcome.text  # the note is separate, said once


async def test_missing_year_note_on_answer_is_for_staff_only(
    services: Services,
    staff: Requester,
    edu: Requester,
    units: dict[str, Unit],
    on_day: SetDay,
) -> None:
    first = await accepted_on(services, staff, on_day, date(2026, 12, 1))
    await assign(services, staff, first)
    second = await add_record(services)
    await services.proposals.accept(str(second.number), staff)
    await assign(services, staff, second)
    on_day(date(2026, 12, 20))
    by_staff = await services.proposals.answer(str(first.number), staff, AnswerCategory.A, "")
    assert by_staff.notes
    assert "2027年" in by_staff.notes[0]
    by_unit = await services.proposals.answer(str(second.number), edu, AnswerCategory.A, "")
    assert not [note for note in by_unit.notes if "2027年" in note]  # (the 沟通 flag may be)


async def test_county_holiday_file_fills_the_missing_year(
    services: Services, staff: Requester, units: dict[str, Unit], on_day: SetDay
) -> None:
    calendar = WorkCalendar.from_toml(
        '[2027]\nholidays = ["2027-02-05..2027-02-13", "2027-02-26"]\n'
        'workdays = ["2027-02-20"]\ncomplete = true\n'
    )
    workflow = ProposalWorkflow(
        services.db,
        services.clock,
        services.records,
        services.units,
        services.notifier,
        calendar,
    )
    on_day(date(2026, 11, 26))
    record = await add_record(services)
    await workflow.accept(str(record.number), staff)
    outcome = await workflow.assign(str(record.number), staff, AssignSpec(EDU))
    # 2027-02-26 is a holiday in the county's file: moved to Monday 03-01; no missing-year note
    assert outcome.notes == []
    assert await due_date(services) == date(2027, 3, 1)
