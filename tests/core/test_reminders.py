"""Reminders with a controllable clock: deadline stages (key proposals too), overdue every 3
working days, weekly escalation, evaluation and co-sign reminders, lapsing, quiet hours, rest days,
holidays, idempotence."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from bot.core.clock import FakeClock, to_local
from bot.core.models import ChannelKind, Cosign, CosignStatus, OutboxMessage, RecordStatus
from bot.core.schedule.reminders import ReminderService, WorkdayIndex, next_allowed
from tests.core.schedule_data import (
    add_record,
    add_unit,
    answer,
    assign,
    evaluate,
    invite,
    local,
    set_local,
    text_of,
)
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.schedule.workdays import WorkCalendar
    from bot.core.services import Services

CONTACT = "30001"
STAFF = "900004"
UNIT_GROUP = "900005"
PROPOSER = "20001"


def left_day(calendar: WorkCalendar, due: date, n: int) -> date:
    """The working day from which ``due`` is ``n`` working days away."""
    d, counted = due, 0
    while counted < n:
        counted += calendar.is_workday(d)
        d -= timedelta(days=1)
    while not calendar.is_workday(d):
        d -= timedelta(days=1)
    return d


def at(d: date, hour: int = 10) -> datetime:
    return local(d.year, d.month, d.day, hour)


async def sweep_texts(services: Services, clock: FakeClock, when: datetime) -> list[str]:
    """Sweep at ``when``; the texts of the reminders it queued (private messages only)."""
    before = {r.id for r in await outbox_rows(services)}
    clock.set(when)
    await services.reminders.sweep()
    return [
        text_of(r)
        for r in await outbox_rows(services)
        if r.id not in before and r.target_type == "private"
    ]


async def new_rows(services: Services, seen: set[int]) -> list[OutboxMessage]:
    rows = [r for r in await outbox_rows(services) if r.id not in seen]
    seen.update(r.id for r in rows)
    return rows


@pytest.fixture(autouse=True)
def no_consultation_reminders(services: Services):  # type: ignore[no-untyped-def]
    """These tests are about deadline, evaluation and co-sign stages: the 办理协商 reminder
    (tests/core/test_practice_reminders.py) is off."""
    services.reminders.consultations.workdays = 0
    yield
    services.reminders.consultations.workdays = services.config.consult_remind_workdays


@pytest.fixture
async def unit(services: Services, clock: FakeClock):  # type: ignore[no-untyped-def]
    set_local(clock, 2026, 1, 5)
    return await add_unit(services, "县教育局", contacts=(CONTACT,))


# ---------------------------------------------------------------------- calendar helpers


def test_workday_index_matches_the_calendar(services: Services) -> None:
    calendar = services.calendar
    index = WorkdayIndex(calendar, date(2026, 9, 1), date(2026, 12, 31))
    for a, b in [
        (date(2026, 9, 30), date(2026, 10, 12)),
        (date(2026, 10, 12), date(2026, 9, 30)),
        (date(2026, 11, 1), date(2026, 11, 1)),
        (date(2025, 12, 1), date(2026, 9, 5)),  # outside the index: falls back
    ]:
        assert index.between(a, b) == calendar.workdays_between(a, b)
    assert index.between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 10-8, 10-9, 10-10, 10-12


def test_next_allowed_moment(services: Services) -> None:
    cal = services.calendar
    assert next_allowed(local(2026, 11, 25, 10), cal) == local(2026, 11, 25, 10)
    assert next_allowed(local(2026, 11, 25, 21, 30), cal) == local(2026, 11, 26, 8)
    assert next_allowed(local(2026, 11, 26, 6), cal) == local(2026, 11, 26, 8)
    assert next_allowed(local(2026, 11, 27, 22), cal) == local(2026, 11, 30, 8)  # Fri -> Mon
    assert next_allowed(local(2026, 9, 30, 21), cal) == local(2026, 10, 8, 8)  # 国庆


@pytest.mark.parametrize(
    ("left", "at_assign", "key", "expected"),
    [
        (20, 60, False, None),
        (14, 60, False, "d14"),
        (10, 60, False, "d14"),
        (7, 60, False, "d7"),
        (2, 60, False, "d3"),
        (0, 60, False, "d1"),
        (5, 5, False, None),  # assigned inside the 7-day stage
        (3, 5, False, "d3"),
        (30, 60, True, "d30"),
        (20, 60, True, "d30"),
        (-1, 60, False, "o0"),
        (-3, 60, False, "o0"),
        (-4, 60, False, "o1"),
        (-7, 60, False, "o2"),
    ],
)
def test_deadline_stage(left: int, at_assign: int, key: bool, expected: str | None) -> None:
    stage = ReminderService.deadline_stage(left, at_assign, key)
    assert (stage[0] if stage else None) == expected


# ---------------------------------------------------------------------- deadlines


async def test_deadline_reminders_at_each_stage_once(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    set_local(clock, 2026, 9, 1, 10)
    record = await add_record(services, "关于校车安全的建议", status=RecordStatus.ASSIGNED)
    due = date(2026, 12, 15)
    assignment = await assign(services, record, unit, due)
    n = record.number

    assert await sweep_texts(services, clock, at(left_day(cal, due, 15))) == []
    (d14,) = await sweep_texts(services, clock, at(left_day(cal, due, 14)))
    assert d14 == (
        f"【办理提醒】县教育局：提案第{n}号《关于校车安全的建议》的答复期限是2026年12月15日，"
        f"还有 14 个工作日到期。办理情况请发送：进展 {n} 内容；答复请发送：答复 {n} A|B|C 内容。"
    )
    assert await sweep_texts(services, clock, at(left_day(cal, due, 14), 15)) == []  # once
    assert await sweep_texts(services, clock, at(left_day(cal, due, 13))) == []
    (d7,) = await sweep_texts(services, clock, at(left_day(cal, due, 7)))
    assert "还有 7 个工作日到期" in d7
    (d3,) = await sweep_texts(services, clock, at(left_day(cal, due, 3)))
    (d1,) = await sweep_texts(services, clock, at(left_day(cal, due, 1)))
    assert "还有 3 个工作日到期" in d3
    assert "还有 1 个工作日到期" in d1
    assert await sweep_texts(services, clock, at(due)) == []
    rows = [r for r in await outbox_rows(services) if r.purpose == "reminder"]
    assert {r.target_id for r in rows} == {CONTACT}
    assert [r.dedup_key for r in rows] == [
        f"remind:assign:{assignment.id}:{stage}:u{CONTACT}" for stage in ("d14", "d7", "d3", "d1")
    ]


async def test_overdue_every_three_working_days_and_weekly_escalation(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    await services.channels.bind(STAFF, ChannelKind.STAFF, sector=None, bound_by="1")
    set_local(clock, 2026, 9, 1, 10)
    record = await add_record(services, "逾期的", status=RecordStatus.IN_PROGRESS, is_key=True)
    due = date(2026, 11, 20)  # Friday
    await assign(services, record, unit, due)
    seen = {r.id for r in await outbox_rows(services)}
    clock.set(at(date(2026, 11, 23)))  # Monday: 1 working day overdue
    await services.reminders.sweep()
    first = await new_rows(services, seen)
    private = [text_of(r) for r in first if r.target_type == "private"]
    staff = [text_of(r) for r in first if r.target_id == STAFF]
    assert private == [
        f"【逾期提醒】县教育局：提案第{record.number}号（重点提案）《逾期的》的答复期限是"
        f"2026年11月20日，已逾期 1 个工作日，请尽快办理答复。办理情况请发送：进展 {record.number} "
        f"内容；答复请发送：答复 {record.number} A|B|C 内容。"
    ]
    assert len(staff) == 1
    assert staff[0].startswith("【逾期督办】以下 1 件提案已超过答复期限（截至2026年11月23日）：")
    assert f"· 县教育局：提案第{record.number}号（重点）逾期1个工作日" in staff[0]
    for day in (24, 25):  # overdue 2 and 3: nothing
        clock.set(at(date(2026, 11, day)))
        await services.reminders.sweep()
        assert await new_rows(services, seen) == []
    clock.set(at(date(2026, 11, 26)))  # overdue 4: the next reminder, no new escalation
    await services.reminders.sweep()
    rows = await new_rows(services, seen)
    assert [r.target_id for r in rows] == [CONTACT]
    assert "已逾期 4 个工作日" in text_of(rows[0])
    clock.set(at(date(2026, 11, 30)))  # next week: escalated again (overdue 6: no reminder)
    await services.reminders.sweep()
    rows = await new_rows(services, seen)
    assert [r.target_id for r in rows] == [STAFF]
    assert "逾期6个工作日" in text_of(rows[0])


async def test_key_proposals_are_also_reminded_at_thirty(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    set_local(clock, 2026, 6, 1, 10)
    due = date(2026, 12, 15)
    key = await add_record(services, "重点", status=RecordStatus.ASSIGNED, is_key=True)
    plain = await add_record(services, "普通", status=RecordStatus.ASSIGNED)
    await assign(services, key, unit, due)
    await assign(services, plain, unit, due)
    texts = await sweep_texts(services, clock, at(left_day(cal, due, 30)))
    assert len(texts) == 1
    assert "（重点提案）《重点》" in texts[0]
    assert "还有 30 个工作日" in texts[0]


async def test_assigned_late_skips_stages_it_started_in(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    due = date(2026, 12, 15)
    clock.set(at(left_day(cal, due, 5)))
    record = await add_record(services, "短期限", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    assert await sweep_texts(services, clock, at(left_day(cal, due, 5), 11)) == []
    (d3,) = await sweep_texts(services, clock, at(left_day(cal, due, 3)))
    assert "还有 3 个工作日到期" in d3


async def test_missed_stages_send_only_the_latest(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    set_local(clock, 2026, 9, 1, 10)
    due = date(2026, 12, 15)
    record = await add_record(services, "宕机期间", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    # the bot was down from 20 working days before until 2 before
    texts = await sweep_texts(services, clock, at(left_day(cal, due, 2)))
    assert len(texts) == 1
    assert "还有 2 个工作日到期" in texts[0]


async def test_answered_or_concluded_is_not_reminded(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    set_local(clock, 2026, 9, 1, 10)
    due = date(2026, 11, 20)
    record = await add_record(services, "已答复", status=RecordStatus.ANSWERED)
    await assign(services, record, unit, due)
    await answer(services, record, "A", unit=unit)
    concluded = await add_record(services, "已办结", status=RecordStatus.CONCLUDED)
    await assign(services, concluded, unit, due)
    texts = await sweep_texts(services, clock, at(date(2026, 11, 30)))
    # the unit is not reminded of either; the proposer is asked to evaluate the answered one
    assert [t[:6] for t in texts] == ["【评价提醒】"]


async def test_quiet_hours_and_rest_days(services: Services, clock: FakeClock, unit) -> None:  # type: ignore[no-untyped-def]
    set_local(clock, 2026, 9, 1, 10)
    due = date(2026, 11, 20)
    record = await add_record(services, "夜里不提醒", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    clock.set(local(2026, 11, 23, 21, 30))  # Monday night
    report = await services.reminders.sweep()
    assert report.skipped_quiet
    assert report.total == 0
    assert await sweep_texts(services, clock, local(2026, 11, 24, 7, 59)) == []
    assert await sweep_texts(services, clock, local(2026, 11, 28, 10)) == []  # Saturday
    texts = await sweep_texts(services, clock, local(2026, 11, 30, 8))  # Monday morning
    assert len(texts) == 1
    assert "已逾期 6 个工作日" in texts[0]


async def test_holidays_do_not_count(services: Services, clock: FakeClock, unit) -> None:  # type: ignore[no-untyped-def]
    set_local(clock, 2026, 8, 3, 10)
    due = date(2026, 10, 12)
    record = await add_record(services, "节后到期", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    # 9-30 -> 10-12 is 4 working days (10-8, 10-9, 10-10 调休, 10-12): the 7-day stage is due
    (text,) = await sweep_texts(services, clock, local(2026, 9, 30, 10))
    assert "还有 4 个工作日到期" in text
    assert await sweep_texts(services, clock, local(2026, 10, 5, 10)) == []  # 国庆: quiet
    (d3,) = await sweep_texts(services, clock, local(2026, 10, 8, 10))
    assert "还有 3 个工作日到期" in d3


async def test_unit_without_contact_tells_staff_once(services: Services, clock: FakeClock) -> None:
    await services.channels.bind(STAFF, ChannelKind.STAFF, sector=None, bound_by="1")
    set_local(clock, 2026, 9, 1, 10)
    nobody = await add_unit(services, "县住建局")
    record = await add_record(services, "没人接", status=RecordStatus.ASSIGNED)
    due = date(2026, 12, 15)
    await assign(services, record, nobody, due)
    cal = services.calendar
    clock.set(at(left_day(cal, due, 14)))
    report = await services.reminders.sweep()
    assert (report.deadline, report.no_contact) == (1, 1)
    clock.set(at(left_day(cal, due, 7)))
    report = await services.reminders.sweep()
    assert (report.deadline, report.no_contact) == (1, 0)
    staff = [r for r in await outbox_rows(services) if r.target_id == STAFF]
    assert len(staff) == 1
    assert text_of(staff[0]).endswith("请发送：单位 联系人 县住建局 @联系人")


async def test_unit_group_gets_the_reminder_with_an_at(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    await services.channels.bind(UNIT_GROUP, ChannelKind.UNIT, sector=None, bound_by="1")
    cal = services.calendar
    set_local(clock, 2026, 9, 1, 10)
    due = date(2026, 12, 15)
    record = await add_record(services, "单位群也提醒", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    clock.set(at(left_day(cal, due, 7)))
    await services.reminders.sweep()
    group = [r for r in await outbox_rows(services) if r.target_id == UNIT_GROUP]
    assert len(group) == 1
    assert group[0].parts[0] == {"type": "mention", "user_id": CONTACT}


async def test_concurrent_sweeps_remind_once(services: Services, clock: FakeClock, unit) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    set_local(clock, 2026, 9, 1, 10)
    due = date(2026, 12, 15)
    record = await add_record(services, "并发", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due)
    clock.set(at(left_day(cal, due, 7)))
    await asyncio.gather(*(services.reminders.sweep() for _ in range(3)))
    assert len([r for r in await outbox_rows(services) if r.purpose == "reminder"]) == 1


# ---------------------------------------------------------------------- evaluations


async def test_evaluation_reminders_after_5_and_10_working_days(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    answered_on = date(2026, 11, 2)
    clock.set(at(answered_on))
    record = await add_record(services, "待评价", status=RecordStatus.ANSWERED, proposer=PROPOSER)
    await answer(services, record, "B", unit=unit, evaluation_due=date(2026, 11, 23))
    assert await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 4))) == []
    (five,) = await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 5)))
    n = record.number
    assert five == (
        f"【评价提醒】您的提案第{n}号《待评价》已于2026年11月2日收到县教育局的答复（B类），"
        f"尚未评价。请在2026年11月23日前发送：评价 {n} 满意｜基本满意｜不满意 [意见]。"
        f"发送“查提案 {n}”可查看答复内容。"
        f"承办单位是否与您沟通过，也请一并写上，例如：评价 {n} 满意 已沟通"
    )
    assert await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 6))) == []
    (ten,) = await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 10)))
    assert "尚未评价" in ten
    assert await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 14))) == []
    rows = [r for r in await outbox_rows(services) if r.purpose == "reminder"]
    assert {r.target_id for r in rows} == {PROPOSER}


async def test_evaluated_is_not_reminded_and_missed_stage_sends_latest(
    services: Services, clock: FakeClock, unit
) -> None:  # type: ignore[no-untyped-def]
    cal = services.calendar
    answered_on = date(2026, 11, 2)
    clock.set(at(answered_on))
    done = await add_record(services, "已评价", status=RecordStatus.EVALUATED)
    await answer(services, done, "A", unit=unit)
    await evaluate(services, done, "satisfied")
    waiting = await add_record(services, "还没评", status=RecordStatus.ANSWERED)
    await answer(services, waiting, "C", unit=unit)
    texts = await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 11)))
    assert len(texts) == 1
    assert "《还没评》" in texts[0]
    assert await sweep_texts(services, clock, at(cal.add_workdays(answered_on, 12))) == []


# ---------------------------------------------------------------------- co-signing


async def test_cosign_invitation_reminded_once_then_lapses(
    services: Services, clock: FakeClock
) -> None:
    created = local(2026, 11, 23, 10)  # Monday
    clock.set(created)
    record = await add_record(services, "联名的", proposer=PROPOSER, name="张三")
    invitation = await invite(services, record, "20002")
    assert await sweep_texts(services, clock, created + timedelta(hours=23)) == []
    (text,) = await sweep_texts(services, clock, created + timedelta(days=1))
    assert text == (
        f"【联名提醒】张三邀请您联名提案第{record.number}号《联名的》，您还没有确认。"
        f"同意请发送：附议 {record.number}；不同意无需操作，邀请将于11月26日 10:00 失效。"
    )
    reminder = next(r for r in await outbox_rows(services) if r.purpose == "cosign")
    assert reminder.target_id == "20002"
    assert reminder.via_group_id == "900001"
    assert await sweep_texts(services, clock, created + timedelta(days=2)) == []
    lapsed = await sweep_texts(services, clock, created + timedelta(days=3))
    assert lapsed == [
        f"委员20002未在 3 天内确认联名您的提案第{record.number}号《联名的》，这份联名邀请已失效。"
        f"如仍希望对方联名，可请其发送：附议 {record.number}"
    ]
    async with services.db.session() as session:
        fresh = await session.get(Cosign, invitation.id)
    assert fresh is not None
    assert fresh.status == CosignStatus.LAPSED


async def test_confirmed_cosigner_is_not_reminded(services: Services, clock: FakeClock) -> None:
    created = local(2026, 11, 23, 10)
    clock.set(created)
    record = await add_record(services, "已确认")
    await invite(services, record, "20002", status=CosignStatus.CONFIRMED)
    await invite(services, record, "20003", invited=False)  # joined by 附议: never "pending"
    assert await sweep_texts(services, clock, created + timedelta(days=1)) == []
    assert await sweep_texts(services, clock, created + timedelta(days=4)) == []


async def test_lapse_at_night_holds_the_notice_until_morning(
    services: Services, clock: FakeClock
) -> None:
    created = local(2026, 11, 24, 22)
    clock.set(created)
    record = await add_record(services, "夜里失效", proposer=PROPOSER)
    await invite(services, record, "20002")
    clock.set(created + timedelta(days=3))  # Friday 22:00
    report = await services.reminders.sweep()
    assert report.cosign_lapsed == 1
    assert report.skipped_quiet
    (notice,) = [r for r in await outbox_rows(services) if r.purpose == "cosign"]
    assert to_local(notice.next_attempt_at) == to_local(local(2026, 11, 30, 8))  # Monday 08:00
