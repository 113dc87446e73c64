"""The handling practice's reminder stages: the 办理协商 reminder (no contact recorded 15
working days after 交办) and the yearly 回头看 of last year's B answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.models import AnswerCategory, ChannelKind, Lookback, LookbackOutcome, Record
from bot.core.schedule.reminders.lookbacks import lookback_day
from bot.core.workflow.parsing import AssignSpec
from tests.utils import STAFF_GROUP_ID as STAFF_GROUP
from tests.utils import UNIT_GROUP_ID as UNIT_GROUP
from tests.utils import outbox_rows, outbox_text
from tests.workflow_utils import EDU, EDU_CONTACT, STAFF, add_record

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

SetDay = Callable[[date], None]


async def texts(services: Services, purpose: str) -> list[tuple[str, str, str]]:
    return [
        (r.target_type, r.target_id, outbox_text(r))
        for r in await outbox_rows(services)
        if r.purpose == purpose
    ]


async def assign(services: Services, staff: Requester, title: str, *, private: bool = False) -> str:
    record = await add_record(services, title=title)
    if private:
        async with services.db.session() as session:
            fresh = await session.get(Record, record.id)
            assert fresh is not None
            fresh.source_kind = "private"
            session.add(fresh)
            await session.commit()
    ref = str(record.number)
    await services.proposals.accept(ref, staff)
    await services.proposals.assign(ref, staff, AssignSpec(EDU, []))
    return ref


async def test_consultation_reminder_once_after_fifteen_working_days(
    services: Services, staff: Requester, edu: Requester, on_day: SetDay
) -> None:
    await services.channels.bind(UNIT_GROUP, ChannelKind.UNIT, sector=None, bound_by=STAFF)
    await assign(services, staff, "关于没人沟通的建议")
    consulted = await assign(services, staff, "关于已经沟通的建议")
    await assign(services, staff, "私下提交的", private=True)
    await services.proposals.consult(consulted, edu, "面商 当面听取意见")
    calendar = services.calendar
    on_day(calendar.add_workdays(date(2026, 3, 2), 14))
    await services.reminders.sweep()
    assert await texts(services, "consultation") == []
    on_day(calendar.add_workdays(date(2026, 3, 2), 15))
    report = await services.reminders.sweep()
    await services.reminders.sweep()
    assert report.consultation == 2
    sent = await texts(services, "consultation")
    private = [t for kind, who, t in sent if kind == "private" and who == EDU_CONTACT]
    assert len(private) == 2
    assert private[0].startswith(
        "【办理协商提醒】县教育局：提案第1号《关于没人沟通的建议》交办已满 15 个工作日"
    )
    assert "沟通 1 面商|电话|座谈|调研" in private[0]
    group = [t for kind, who, t in sent if kind == "group"]
    assert "私下提交的" not in "".join(group)
    assert all("已私聊发送" in t for t in group)


def test_lookback_day(services: Services) -> None:
    calendar = services.calendar
    assert lookback_day(2026, "", calendar) == date(2026, 1, 4)  # the 调休 Sunday after 元旦
    assert lookback_day(2026, "01-10", calendar) == date(2026, 1, 12)  # Saturday -> Monday
    assert lookback_day(2027, "02-29", calendar) == date(2027, 3, 1)


@pytest.fixture
def lookback_on_jan_5(services: Services) -> Iterator[None]:
    services.reminders.lookbacks.setting = "01-05"
    services.reminders.consultations.workdays = 0
    yield
    services.reminders.lookbacks.setting = services.config.lookback_date
    services.reminders.consultations.workdays = services.config.consult_remind_workdays


async def test_yearly_lookback_asks_units_of_last_years_b_answers(
    services: Services, staff: Requester, edu: Requester, on_day: SetDay, lookback_on_jan_5: None
) -> None:
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by=STAFF)
    for title, category in [
        ("关于B类的建议", AnswerCategory.B),
        ("关于A类的建议", AnswerCategory.A),
    ]:
        ref = await assign(services, staff, title)
        await services.proposals.answer(ref, edu, category, "列入明年计划")
    done = await assign(services, staff, "关于已回头看的建议")
    await services.proposals.answer(done, edu, AnswerCategory.B, "")
    on_day(date(2027, 1, 4))
    await services.proposals.look_back(f"2026-{done}", edu, LookbackOutcome.RESOLVED, "已建成")
    assert (await services.reminders.sweep()).lookback == 0  # before LOOKBACK_DATE
    on_day(date(2027, 1, 5))
    report = await services.reminders.sweep()
    await services.reminders.sweep()
    assert report.lookback == 1
    sent = await texts(services, "lookback")
    (asked,) = [t for kind, who, t in sent if kind == "private" and who == EDU_CONTACT]
    assert asked.startswith(
        "【回头看】县教育局：提案2026年第1号《关于B类的建议》于2026年3月2日答复为B类"
    )
    assert "当时答复：列入明年计划" in asked
    assert "回头看 2026-1 已解决|仍在办理|未落实" in asked
    (to_staff,) = [t for kind, who, t in sent if kind == "group" and who == STAFF_GROUP]
    assert to_staff.startswith("【回头看】已请承办单位回头看2026年答复为B类的提案 1 件：")
    async with services.db.session() as session:
        rows = (await session.exec(select(Lookback).order_by(Lookback.record_id))).all()
    assert [(r.record_id, r.outcome) for r in rows] == [(1, None), (3, "resolved")]
    listing = await services.proposals.lookback_list(2027)
    assert listing.splitlines()[0] == "2027年回头看（上一年B类答复）共2件，未回复1件："
    assert "《关于B类的建议》（县教育局）：未回复" in listing.splitlines()[1]
