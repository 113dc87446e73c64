"""Digests with a controllable clock: working days and holidays, the scheduled time, catch-up,
quiet hours, idempotence, empty digests, private records, forward messages."""

from __future__ import annotations

import asyncio
from datetime import date, time
from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind, DigestKind, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.schedule.digests import DigestService, parse_kind, parse_time
from tests.core.schedule_data import (
    add_record,
    add_unit,
    answer,
    assign,
    change,
    evaluate,
    local,
    set_local,
    text_of,
)
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

WHOLE = "900001"
WHOLE_2 = "900009"
AGRI = "900002"
EDU = "900003"
STAFF = "900004"


@pytest.fixture
async def whole(services: Services, clock: FakeClock) -> None:
    """Only the whole-body group is bound (daily digests alone), long before the tests' dates."""
    set_local(clock, 2026, 1, 5)
    await services.channels.bind(
        WHOLE, ChannelKind.WHOLE, sector=None, bound_by="1", group_name="县政协委员群"
    )


@pytest.fixture
async def groups(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 1, 5)
    bind = services.channels.bind
    await bind(WHOLE, ChannelKind.WHOLE, sector=None, bound_by="1", group_name="县政协委员群")
    await bind(AGRI, ChannelKind.SECTOR, sector="农业界", bound_by="1", group_name="农业界群")
    await bind(EDU, ChannelKind.SECTOR, sector="教育界", bound_by="1", group_name="教育界群")
    await bind(STAFF, ChannelKind.STAFF, sector=None, bound_by="1", group_name="机关群")


def statuses(outcomes: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(o.kind.value, o.group_id, o.status) for o in outcomes]


# ---------------------------------------------------------------------- schedules and words


async def test_default_schedules_and_changes(services: Services) -> None:
    schedules = await services.digests.schedules()
    assert {k: (s.enabled, s.hour, s.minute) for k, s in schedules.items()} == {
        DigestKind.DAILY: (True, 9, 0),
        DigestKind.WEEKLY: (True, 9, 0),
        DigestKind.MONTHLY: (True, 9, 0),
    }
    await services.digests.update_schedule(DigestKind.DAILY, by="30001", at=time(10, 30))
    await services.digests.update_schedule(DigestKind.WEEKLY, by="30001", enabled=False)
    schedules = await services.digests.schedules()
    assert (schedules[DigestKind.DAILY].hour, schedules[DigestKind.DAILY].minute) == (10, 30)
    assert not schedules[DigestKind.WEEKLY].enabled
    assert schedules[DigestKind.WEEKLY].updated_by == "30001"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:00", time(9)), ("9:30", time(9, 30)), ("０８：１５", time(8, 15)), ("10点", time(10)),
     ("10点半", time(10, 30)), ("20:59", time(20, 59)), ("09:00。", time(9)), ("9:30.", time(9, 30)),
     ("10点！", time(10))],
)  # fmt: skip
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["7:59", "21:00", "23:30", "25:00", "9", "九点", "9:5"])
def test_parse_time_refuses_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_time(text)
    assert "推送 设置 日报 09:00" in info.value.message


def test_parse_kind() -> None:
    assert parse_kind("周报") is DigestKind.WEEKLY
    with pytest.raises(InvalidInput) as info:
        parse_kind("年报")
    assert "日报、周报 或 月报" in info.value.message


def test_send_days_follow_the_holiday_calendar(services: Services) -> None:
    digests = services.digests
    assert digests.send_day(DigestKind.DAILY, date(2026, 11, 25)) == date(2026, 11, 25)
    assert digests.send_day(DigestKind.DAILY, date(2026, 11, 28)) is None  # Saturday
    assert digests.send_day(DigestKind.DAILY, date(2026, 10, 1)) is None  # 国庆
    assert digests.send_day(DigestKind.DAILY, date(2026, 10, 10)) == date(2026, 10, 10)  # 调休
    assert digests.send_day(DigestKind.WEEKLY, date(2026, 11, 25)) == date(2026, 11, 23)
    assert digests.send_day(DigestKind.WEEKLY, date(2026, 10, 6)) == date(2026, 10, 8)
    assert digests.send_day(DigestKind.WEEKLY, date(2026, 2, 25)) == date(2026, 2, 24)
    assert digests.send_day(DigestKind.MONTHLY, date(2026, 12, 15)) == date(2026, 12, 1)
    assert digests.send_day(DigestKind.MONTHLY, date(2026, 10, 20)) == date(2026, 10, 8)
    assert digests.send_day(DigestKind.MONTHLY, date(2026, 1, 20)) == date(2026, 1, 4)  # a Sunday
    assert digests.send_day(DigestKind.MONTHLY, date(2026, 5, 20)) == date(2026, 5, 6)


# ---------------------------------------------------------------------- 日报


async def test_daily_digest_at_nine_on_a_working_day(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 10, 10)  # before the window (the first looks 7 days back)
    old = await add_record(services, "关于老问题的建议")
    set_local(clock, 2026, 11, 24, 15)
    new = await add_record(services, "关于农村生活污水治理的建议", name="张三")
    await add_record(
        services, "关于夜市管理的信息", kind=RecordKind.OPINION, name="李四", sector=None
    )
    await add_record(services, "私下提交的提案", private=True)
    await add_record(services, "撤回了", status=RecordStatus.WITHDRAWN)
    await change(services, old, RecordStatus.ACCEPTED)
    await change(services, old, RecordStatus.ASSIGNED)
    await change(services, new, RecordStatus.ACCEPTED, public=False)  # staff-only note

    set_local(clock, 2026, 11, 25, 8, 59)
    assert await services.digests.run_due() == []
    set_local(clock, 2026, 11, 25, 9)
    outcomes = await services.digests.run_due()
    assert statuses(outcomes) == [("daily", WHOLE, "sent")]
    (row,) = await outbox_rows(services, "digest")
    assert row.target_id == WHOLE
    assert not row.as_forward
    assert row.dedup_key == f"digest:daily:{WHOLE}:2026-11-25"
    text = text_of(row)
    assert text.startswith("【日报】11月25日（星期三）")
    assert "社情民意信息第" in text
    assert "——李四" in text
    assert f"办理进展（1）：\n· 提案第{old.number}号《关于老问题的建议》：已交办" in text
    assert "私下提交的提案" not in text
    # only submitted: a new item, not progress (issue 9, item 15)
    assert "另有私聊提交的事项：新提交 1 件，提交人可发送“我的”查看。" in text
    assert "撤回了" not in text
    assert "关于老问题的建议》——" not in text  # older than the window: only its progress
    assert f"提案第{new.number}号《关于农村生活污水治理的建议》——张三（农业界）（已立案）" in text
    assert outcomes[0].news == 4  # two listed new, one progress, one private


async def test_daily_digest_once_per_day_and_since_the_last_one(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "第一件")
    set_local(clock, 2026, 11, 25, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    set_local(clock, 2026, 11, 25, 9, 5)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "done_before")]
    # a restart: a new service on the same database does not repeat it
    again = DigestService(
        services.db, clock, services.channels, services.outbox, services.calendar, services.stats
    )
    assert statuses(await again.run_due()) == [("daily", WHOLE, "done_before")]
    set_local(clock, 2026, 11, 25, 11)
    await add_record(services, "第二件")
    set_local(clock, 2026, 11, 26, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    first, second = await outbox_rows(services, "digest")
    assert "第一件" in text_of(first)
    assert "第二件" not in text_of(first)
    assert "第二件" in text_of(second)
    assert "第一件" not in text_of(second)


async def test_nothing_new_is_not_sent(services: Services, clock: FakeClock, whole: None) -> None:
    set_local(clock, 2026, 11, 25, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "empty")]
    assert await outbox_rows(services, "digest") == []
    set_local(clock, 2026, 11, 25, 9, 30)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "done_before")]


async def test_answers_awaiting_evaluation_alone_are_not_news(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 1, 10)
    await add_record(services, "已答复的", status=RecordStatus.ANSWERED)
    set_local(clock, 2026, 11, 25, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "empty")]
    set_local(clock, 2026, 11, 25, 10)
    await add_record(services, "新的一件")
    set_local(clock, 2026, 11, 26, 9)
    await services.digests.run_due()
    (row,) = await outbox_rows(services, "digest")
    assert "目前有 1 件提案已答复、待提案人评价。" in text_of(row)


async def test_no_daily_digest_on_rest_days(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 9, 30, 8)
    await add_record(services, "节前")
    set_local(clock, 2026, 9, 30, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    for day in range(1, 8):  # 国庆 holidays
        set_local(clock, 2026, 10, day, 12)
        await add_record(services, f"假期第{day}天")
        assert await services.digests.run_due() == []
    set_local(clock, 2026, 10, 8, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    text = text_of((await outbox_rows(services, "digest"))[-1])
    assert all(f"假期第{day}天" in text for day in range(1, 8))
    assert "节前" not in text


async def test_missed_daily_digest_is_caught_up_the_same_day(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "昨天下午的")
    # the bot was down at 09:00 on the 25th and comes back at 14:00
    set_local(clock, 2026, 11, 25, 14)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    assert text_of((await outbox_rows(services, "digest"))[0]).startswith("【日报】11月25日")


async def test_no_catch_up_in_quiet_hours_or_the_next_day(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "晚上才回来")
    set_local(clock, 2026, 11, 25, 21, 30)  # back at night: not now
    assert await services.digests.run_due() == []
    set_local(clock, 2026, 11, 26, 7, 50)  # early next morning: not yesterday's, not yet today's
    assert await services.digests.run_due() == []
    set_local(clock, 2026, 11, 26, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    (row,) = await outbox_rows(services, "digest")
    assert "晚上才回来" in text_of(row)
    assert row.dedup_key.endswith("2026-11-26")


async def test_each_whole_group_gets_its_own_digest(
    services: Services, clock: FakeClock, whole: None
) -> None:
    await services.channels.bind(WHOLE_2, ChannelKind.WHOLE, sector=None, bound_by="1")
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "两个群都要看到")
    set_local(clock, 2026, 11, 25, 9)
    outcomes = await services.digests.run_due()
    assert sorted(statuses(outcomes)) == [("daily", WHOLE, "sent"), ("daily", WHOLE_2, "sent")]
    assert {r.target_id for r in await outbox_rows(services, "digest")} == {WHOLE, WHOLE_2}


async def test_concurrent_runs_send_once(services: Services, clock: FakeClock, whole: None) -> None:
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "并发")
    set_local(clock, 2026, 11, 25, 9)
    results = await asyncio.gather(*(services.digests.run_due() for _ in range(3)))
    flat = sorted(s for outcomes in results for _, _, s in statuses(outcomes))
    assert flat == ["done_before", "done_before", "sent"]
    assert len(await outbox_rows(services, "digest")) == 1


async def test_many_items_go_as_a_forward_message(
    services: Services, clock: FakeClock, whole: None
) -> None:
    set_local(clock, 2026, 11, 24, 16)
    for n in range(12):
        await add_record(services, f"第{n}件提案")
    set_local(clock, 2026, 11, 25, 9)
    await services.digests.run_due()
    (row,) = await outbox_rows(services, "digest")
    assert row.as_forward
    nodes = [p["text"] for p in row.parts]
    assert nodes[0].startswith("【日报】11月25日（星期三）")
    assert nodes[1].startswith("新提交（12）：")
    assert nodes[1].count("\n· ") == 12


async def test_manual_digest_and_disabled_schedule(
    services: Services, clock: FakeClock, whole: None
) -> None:
    await services.digests.update_schedule(DigestKind.DAILY, by="30001", enabled=False)
    set_local(clock, 2026, 11, 25, 8)
    await add_record(services, "早上的")
    set_local(clock, 2026, 11, 25, 9)
    assert await services.digests.run_due() == []  # turned off
    set_local(clock, 2026, 11, 25, 10)
    outcomes = await services.digests.run_now(DigestKind.DAILY)
    assert statuses(outcomes) == [("daily", WHOLE, "sent")]
    assert outcomes[0].period == "manual:2026-11-25T10:00:00"
    # right after, nothing new: not sent again
    set_local(clock, 2026, 11, 25, 10, 1)
    assert statuses(await services.digests.run_now(DigestKind.DAILY)) == [("daily", WHOLE, "empty")]
    await services.digests.update_schedule(DigestKind.DAILY, by="30001", enabled=True)
    set_local(clock, 2026, 11, 26, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "empty")]
    assert len(await outbox_rows(services, "digest")) == 1


async def test_changed_time_is_respected(services: Services, clock: FakeClock, whole: None) -> None:
    await services.digests.update_schedule(DigestKind.DAILY, by="30001", at=time(10, 30))
    set_local(clock, 2026, 11, 24, 16)
    await add_record(services, "十点半再发")
    set_local(clock, 2026, 11, 25, 10, 29)
    assert await services.digests.run_due() == []
    set_local(clock, 2026, 11, 25, 10, 30)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]


# ---------------------------------------------------------------------- 周报


async def test_weekly_sector_digest_on_monday(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 11, 15, 20)  # the Sunday before: not in the week
    await add_record(services, "上上周的")
    set_local(clock, 2026, 11, 17, 10)
    agri = await add_record(services, "农业界的新提案", name="张三", sector="农业界")
    older = await add_record(services, "农业界更早的", at=local(2026, 10, 20), name="王五")
    await change(services, older, RecordStatus.ACCEPTED)
    await add_record(services, "教育界的", sector="教育界")  # another sector's group
    await add_record(services, "私下的", sector="农业界", private=True)
    set_local(clock, 2026, 11, 23, 9)  # Monday
    outcomes = [o for o in await services.digests.run_due() if o.kind is DigestKind.WEEKLY]
    assert sorted(statuses(outcomes)) == [("weekly", AGRI, "sent"), ("weekly", EDU, "sent")]
    rows = {r.target_id: r for r in await outbox_rows(services, "digest")}
    text = text_of(rows[AGRI])
    assert rows[AGRI].dedup_key == f"digest:weekly:{AGRI}:2026-W47"
    assert text.startswith("【农业界周报】11月16日—11月22日")
    assert f"· 提案第{agri.number}号《农业界的新提案》——张三（农业界）" in text
    assert f"· 提案第{older.number}号《农业界更早的》（王五）：已立案" in text
    assert "教育界的" not in text
    assert "上上周的" not in text
    assert "私下的" not in text
    assert "另有私聊提交的事项：新提交 1 件。" in text  # not "progress" (issue 9, item 15)
    assert "本界别委员2026年共提交提案 4 件：已立案 1 件、已答复 0 件、已办结 0 件。" in text
    assert "教育界的" in text_of(rows[EDU])
    set_local(clock, 2026, 11, 24, 9)
    assert ("weekly", AGRI, "sent") not in statuses(await services.digests.run_due())


async def test_weekly_digest_with_nothing_new_is_not_sent(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 11, 18, 10)
    await add_record(services, "教育界的", sector="教育界")
    set_local(clock, 2026, 11, 23, 9)
    outcomes = {o.group_id: o.status for o in await services.digests.run_due()}
    assert outcomes[AGRI] == "empty"
    assert outcomes[EDU] == "sent"


async def test_weekly_digest_waits_for_the_first_working_day_after_a_holiday(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 9, 29, 10)
    await add_record(services, "节前一周的", sector="农业界")
    set_local(clock, 2026, 10, 5, 9)  # Monday, 国庆
    assert await services.digests.run_due() == []
    set_local(clock, 2026, 10, 8, 8, 30)  # Thursday, first working day, before nine
    assert await services.digests.run_due() == []
    # the bot is down on Thursday; on Friday the week's digest is caught up
    set_local(clock, 2026, 10, 9, 9, 15)
    outcomes = {(o.kind.value, o.group_id): o.status for o in await services.digests.run_due()}
    assert outcomes[("weekly", AGRI)] == "sent"
    row = next(r for r in await outbox_rows(services, "digest") if r.target_id == AGRI)
    assert text_of(row).startswith("【农业界周报】9月28日—10月4日")
    set_local(clock, 2026, 10, 12, 9)  # next week: a new period, not a repeat
    next_week = {(o.kind.value, o.group_id): o.status for o in await services.digests.run_due()}
    assert next_week[("weekly", AGRI)] == "empty"


# ---------------------------------------------------------------------- 月报


async def test_monthly_digest_rates_and_overdue_units(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 9, 1, 10)
    edu = await add_unit(services, "县教育局")
    road = await add_unit(services, "县交通运输局")
    late = await add_record(services, "逾期的", status=RecordStatus.ASSIGNED)
    await assign(services, late, edu, date(2026, 11, 20))
    also_late = await add_record(services, "也逾期", status=RecordStatus.IN_PROGRESS)
    await assign(services, also_late, edu, date(2026, 11, 25))
    on_time = await add_record(services, "还没到期", status=RecordStatus.ASSIGNED)
    await assign(services, on_time, road, date(2026, 12, 31))
    set_local(clock, 2026, 11, 10, 10)
    done = await add_record(services, "已答复的", status=RecordStatus.EVALUATED)
    await assign(services, done, road, date(2026, 12, 1))
    await answer(services, done, "A", unit=road)
    await evaluate(services, done, "satisfied")
    await add_record(services, "十一月的信息", kind=RecordKind.OPINION, status=RecordStatus.ADOPTED)
    await add_record(services, "未采用的", kind=RecordKind.OPINION, status=RecordStatus.NOT_ADOPTED)
    await add_record(services, "撤回的", status=RecordStatus.WITHDRAWN)

    set_local(clock, 2026, 12, 1, 9)  # Tuesday, first working day of December
    outcomes = await services.digests.run_due()
    assert ("monthly", STAFF, "sent") in statuses(outcomes)
    row = next(r for r in await outbox_rows(services, "digest") if r.target_id == STAFF)
    assert row.dedup_key == f"digest:monthly:{STAFF}:2026-11"
    text = text_of(row)
    assert text.startswith("【月报】2026年11月 履职工作统计")
    assert "· 新收：提案 1 件、社情民意信息 2 件、议题 0 件" in text
    assert "· 答复提案 1 件，办结 0 件" in text
    assert "· 收到提案 4 件（不含撤回），立案 4 件，立案率 100.0%" in text
    assert "· 交办 4 件，已答复 1 件，办复率 25.0%；已办结 0 件，办结率 0.0%" in text
    assert "· 答复类别：A类 1 件（100.0%）、B类 0 件（0.0%）、C类 0 件（0.0%）" in text
    assert "· 委员评价 1 件：满意率 100.0%（其中满意 100.0%），初次满意率 100.0%" in text
    assert "· 社情民意信息 2 件，采用 1 件，采用率 50.0%" in text
    assert "逾期未答复（截至12月1日）：" in text
    assert (
        f"· 县教育局：2 件（提案第{late.number}号、提案第{also_late.number}号），最长逾期 7 个工作日"
        in text
    )
    assert "县交通运输局" not in text.split("逾期未答复")[1]


async def test_monthly_digest_waits_for_the_first_working_day(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 9, 15, 10)
    await add_record(services, "九月的")
    set_local(clock, 2026, 10, 1, 9)  # 国庆: not today
    assert [o for o in await services.digests.run_due() if o.kind is DigestKind.MONTHLY] == []
    set_local(clock, 2026, 10, 8, 9)
    monthly = [o for o in await services.digests.run_due() if o.kind is DigestKind.MONTHLY]
    assert statuses(monthly) == [("monthly", STAFF, "sent")]
    assert monthly[0].period == "2026-09"


async def test_quiet_month_is_not_sent(services: Services, clock: FakeClock, groups: None) -> None:
    set_local(clock, 2026, 12, 1, 9)
    monthly = [o for o in await services.digests.run_due() if o.kind is DigestKind.MONTHLY]
    assert statuses(monthly) == [("monthly", STAFF, "empty")]
    assert await outbox_rows(services, "digest") == []


async def test_manual_monthly_is_month_to_date(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 11, 20, 9)
    await add_record(services, "本月的")
    set_local(clock, 2026, 11, 20, 10)
    outcomes = await services.digests.run_now(DigestKind.MONTHLY)
    assert statuses(outcomes) == [("monthly", STAFF, "sent")]
    text = text_of((await outbox_rows(services, "digest"))[0])
    assert text.startswith("【月报】2026年11月（截至11月20日） 履职工作统计")
    assert "· 新收：提案 1 件" in text


async def test_group_bound_after_the_digest_was_due_starts_next_time(
    services: Services, clock: FakeClock
) -> None:
    set_local(clock, 2026, 11, 25, 14)
    await services.channels.bind(WHOLE, ChannelKind.WHOLE, sector=None, bound_by="1")
    await add_record(services, "绑定之后的")
    set_local(clock, 2026, 11, 25, 14, 5)
    assert await services.digests.run_due() == []  # today's was due at 09:00, before binding
    set_local(clock, 2026, 11, 26, 9)
    assert statuses(await services.digests.run_due()) == [("daily", WHOLE, "sent")]
    (row,) = await outbox_rows(services, "digest")
    assert "绑定之后的" in text_of(row)
