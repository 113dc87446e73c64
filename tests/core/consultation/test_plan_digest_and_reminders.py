"""Plan items in the daily digest (and nothing private, withdrawn or hidden), the work news in
it, and the deadline reminders of plan items through the stage helper."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.consultation.news import NewsPost
from bot.core.models import DigestKind
from bot.core.schedule.reminders.plan_items import OpenPlanItem, plan_text
from tests.core.consultation.conftest import TOPIC, new_topic, spec
from tests.core.schedule_data import text_of
from tests.utils import MEMBER_GROUP, STAFF_GROUP, local_morning, outbox_rows
from tests.workflow_utils import COSIGNER, EDU_CONTACT, private_texts

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Requester


def workdays_before(services: Services, due: date, n: int) -> date:
    """The working day from which `due` is `n` working days away."""
    d = due
    while services.calendar.workdays_between(d, due) < n or not services.calendar.is_workday(d):
        d -= timedelta(days=1)
    return d


async def daily_text(services: Services, clock: FakeClock) -> str:
    clock.advance(timedelta(days=1))
    await services.digests.run_now(DigestKind.DAILY)
    rows = [r for r in await outbox_rows(services, "digest") if r.target_id == str(MEMBER_GROUP)]
    return "\n".join(text_of(r) for r in rows)


async def test_daily_digest_has_plan_progress_and_news(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    await new_topic(services)
    await new_topic(services, private=True, title="私下提交的议题")
    await services.consultation.plan("1", staff, spec())
    await services.consultation.plan("2", staff, spec(form="调研"))
    await services.consultation.result("1", staff, "建议案", "关于人居环境的建议案", [])
    post = NewsPost(
        "县政协召开专题协商会\n会议围绕农村人居环境整治开展协商。", ({"kind": "image"},)
    )
    await services.news.post(post, staff.identity)
    hidden = await services.news.post(NewsPost("发错的动态\n内容"), staff.identity)
    await services.news.withdraw(str(hidden.id), staff.identity)
    text = await daily_text(services, clock)
    assert (
        "协商计划进展（2）：\n"
        f"· 《{TOPIC}》列入2026年度协商计划（专题协商第1项），牵头：李副主席，责任：县教育局\n"
        f"· 专题协商第1项《{TOPIC}》：形成建议案"
    ) in text
    assert "政协动态（1）：\n· 县政协召开专题协商会（附图1张）\n  会议围绕" in text
    assert "私下提交的议题" not in text
    assert "发错的动态" not in text
    assert "：已列入计划" not in text  # not repeated among the progress of records
    assert "发送“协商计划”查看本年度协商计划。" in text


async def test_news_alone_makes_a_digest(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    await services.news.post(NewsPost("县政协开展委员培训\n"), staff.identity)
    assert "政协动态（1）：\n· 县政协开展委员培训" in await daily_text(services, clock)
    assert (await services.news.published())[0].title == "县政协开展委员培训"


async def test_withdrawn_news_is_not_in_the_next_digest(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    item = await services.news.post(NewsPost("标题\n正文"), staff.identity)
    await services.news.withdraw(f"第{item.id}号", staff.identity)
    assert await daily_text(services, clock) == ""
    assert await services.news.published() == []


async def test_plan_reminders_by_stage_once(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    await new_topic(services)
    calendar = services.calendar
    start = clock.now()
    await services.consultation.plan("1", staff, spec(deadline="20个工作日", person="李四"))
    due = calendar.add_workdays(start.date(), 20)
    assert (await services.reminders.sweep()).plan_item == 0  # planned inside the 30-day stage
    fourteen = workdays_before(services, due, 14)
    clock.set(local_morning(fourteen))
    assert (await services.reminders.sweep()).plan_item == 1
    assert (await services.reminders.sweep()).plan_item == 0  # once per stage
    (reminder,) = [
        t for t in await private_texts(services, EDU_CONTACT) if t.startswith("【协商计划提醒】")
    ]
    assert reminder.startswith("【协商计划提醒】县教育局：2026年度协商计划专题协商第1项")
    assert "还有 14 个工作日到期" in reminder
    clock.set(local_morning(calendar.add_workdays(due, 1)))
    assert (await services.reminders.sweep()).plan_item == 1
    staff_rows = [
        r for r in await outbox_rows(services, "reminder") if r.target_id == str(STAFF_GROUP)
    ]
    assert [text_of(r)[:8] for r in staff_rows] == ["【协商计划逾期】"]


async def test_plan_reminder_reaches_the_person_or_staff(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    for _ in range(2):
        await new_topic(services)
    calendar = services.calendar
    await services.consultation.plan("1", staff, spec(unit="县农业农村局", deadline="20个工作日"))
    await services.consultation.plan(
        "2", staff, spec(unit="县农业农村局", deadline="20个工作日"), person_id=COSIGNER
    )
    due = calendar.add_workdays(clock.now().date(), 20)
    clock.set(local_morning(workdays_before(services, due, 7)))
    assert (await services.reminders.sweep()).plan_item == 2
    person = [
        t for t in await private_texts(services, COSIGNER) if t.startswith("【协商计划提醒】")
    ]
    assert len(person) == 1
    staff_texts = [
        text_of(r)
        for r in await outbox_rows(services, "reminder")
        if r.target_id == str(STAFF_GROUP)
    ]
    assert len(staff_texts) == 1
    assert staff_texts[0].endswith("（责任部门和责任人都无法提醒，请机关跟进）")


async def test_closed_items_are_not_reminded(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    await new_topic(services)
    await services.consultation.plan("1", staff, spec(deadline="20个工作日"))
    await services.consultation.result("1", staff, "建议案", "成果", [])
    await services.consultation.conclude("1", staff, "")
    clock.set(local_morning(services.calendar.add_workdays(clock.now().date(), 25)))
    assert (await services.reminders.sweep()).plan_item == 0


def test_plan_reminder_text() -> None:
    from datetime import UTC, datetime

    from bot.core.models import PlanItem

    item = PlanItem(
        record_id=1,
        year=2026,
        form="调研",
        form_number=3,
        title="农村养老",
        lead_leader="王副主席",
        unit_name="县民政局",
        due_date=date(2026, 6, 30),
        planned_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    assert plan_text(OpenPlanItem(item, 7, 2026), 0, False) == (
        "【协商计划提醒】县民政局：2026年度协商计划调研第3项《农村养老》的完成时限是2026年6月30日，"
        "今天到期。牵头领导：王副主席。活动、成果和落实情况请及时报政协机关登记（议题第7号）。"
    )


async def test_monthly_digest_counts_the_plan(
    services: Services, staff: Requester, clock: FakeClock
) -> None:
    for _ in range(3):
        await new_topic(services)
    await services.consultation.plan("1", staff, spec(deadline="2026-03-20"))
    await services.consultation.plan("2", staff, spec())
    await services.consultation.result("2", staff, "建议案", "成果", [])
    await services.consultation.conclude("2", staff, "")
    clock.set(local_morning(date(2026, 3, 23)))  # `推送 立即 月报`: the month so far
    await services.digests.run_now(DigestKind.MONTHLY)
    (row,) = [r for r in await outbox_rows(services, "digest") if r.target_id == str(STAFF_GROUP)]
    assert "协商计划：\n· 2026年度协商计划 2 项，已办结 1 项，逾期未办结 1 项" in text_of(row)
