"""ConsultationService directly: planning, numbering, what is public, the readers for the board."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.consultation.queries import entries, item_of, open_topics, public_plan
from bot.core.errors import InvalidInput
from bot.core.models import RecordStatus, TimelineEntry
from tests.core.consultation.conftest import TOPIC, new_topic, spec
from tests.workflow_utils import COSIGNER, PROPOSER, private_texts

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester


async def test_plan_item_numbered_within_year_and_form(
    services: Services, staff: Requester
) -> None:
    for _ in range(4):
        await new_topic(services)
    plan = services.consultation.plan
    first = await plan("1", staff, spec())
    await plan("2", staff, spec(form="调研"))
    third = await plan("3", staff, spec())
    fourth = await plan("4", staff, spec(deadline="2027-03-01"))  # next year's plan
    numbers = []
    for outcome in (first, third, fourth):
        item = await item_of(services.db, outcome.record.id or 0)
        assert item is not None
        numbers.append((item.year, item.form, item.form_number))
    assert numbers == [(2026, "专题协商", 1), (2026, "专题协商", 2), (2027, "专题协商", 1)]


async def test_plan_change_is_one_timeline_step(services: Services, staff: Requester) -> None:
    record = await new_topic(services)
    await services.consultation.plan("1", staff, spec(person="张三"))
    timeline = await services.records.timeline(record.id or 0, include_internal=True)
    entry: TimelineEntry = timeline[-1]
    assert (entry.action, entry.from_status, entry.to_status) == ("plan", "submitted", "planned")
    assert entry.detail == (
        "列入2026年度协商计划专题协商第1项。牵头领导：李副主席；责任部门：县教育局；"
        "责任人：张三；完成时限：2026年6月30日"
    )


async def test_private_topic_is_public_only_with_a_title(
    services: Services, staff: Requester
) -> None:
    await new_topic(services, private=True)
    await new_topic(services, private=True)
    await services.consultation.plan("1", staff, spec())
    await services.consultation.plan("2", staff, spec(title="农村人居环境整治"))
    shown = [row.item.title for row in await public_plan(services.db, 2026)]
    assert shown == ["农村人居环境整治"]


async def test_open_topics_for_the_board(services: Services, staff: Requester) -> None:
    await new_topic(services, title="公开的议题")
    await new_topic(services, title="私下的议题", private=True)
    await new_topic(services, title="已列入计划的议题")
    await services.consultation.plan("3", staff, spec())
    rows = await open_topics(services.db)
    assert [(r.record.title, r.supporters) for r in rows] == [("公开的议题", 1)]


async def test_steps_record_entries_and_close(services: Services, staff: Requester) -> None:
    from bot.core.consultation.parsing import parse_activity

    flow = services.consultation
    record = await new_topic(services)
    await flow.plan("1", staff, spec())
    today = flow.today()
    await flow.activity("1", staff, parse_activity("视察 参加 政协委员12人", today))
    await flow.result("1", staff, "调研报告", "", [{"kind": "file", "name": "r.pdf", "url": ""}])
    await flow.result("1", staff, "建议案", "第二份成果", [])
    await flow.instruction("1", staff, "县长批示：同意")
    await flow.follow_up("1", staff, "已落实")
    await flow.instruction("1", staff, "再次批示")
    outcome = await flow.conclude("1", staff, "")
    assert outcome.record.status == RecordStatus.CONCLUDED
    assert outcome.text.endswith("已办结。已通知提出人和1位附议委员。")
    item = await item_of(services.db, record.id or 0)
    assert item is not None
    rows = await entries(services.db, item.id or 0)
    assert [(e.kind, e.subtype) for e in rows][:3] == [
        ("activity", "视察"),
        ("result", "调研报告"),
        ("result", "建议案"),
    ]
    assert rows[0].on_date == today
    assert rows[0].participants == "政协委员12人"
    assert len(await private_texts(services, PROPOSER)) == 2
    assert (await private_texts(services, COSIGNER))[-1] == (
        f"您支持的议题第1号《{TOPIC}》（2026年度协商计划专题协商第1项）已办结。感谢您的履职！"
    )
    with pytest.raises(InvalidInput, match="它的办理已经结束"):
        await flow.follow_up("1", staff, "办结以后")


async def test_withdrawn_topic_cannot_be_planned(services: Services, staff: Requester) -> None:
    await new_topic(services)
    proposer = await services.members.identify(PROPOSER, "张三")
    await services.withdrawals.withdraw(
        await services.records.resolve(services.consultation.kind, "1"), proposer, source="private"
    )
    with pytest.raises(InvalidInput, match="已撤回"):
        await services.consultation.plan("1", staff, spec())


async def test_plan_numbering_clash_is_tried_again(
    services: Services, staff: Requester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process numbered the same form first: that attempt rolls back, the next one
    numbers again; the notices are queued once."""
    from sqlalchemy.exc import IntegrityError

    await new_topic(services)
    flow = services.consultation
    real_apply = flow.apply
    calls = []

    async def clashing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO plan_item", {}, Exception("uq_plan_item_number"))
        return await real_apply(*args, **kwargs)

    monkeypatch.setattr(flow, "apply", clashing)
    outcome = await flow.plan("1", staff, spec())
    assert len(calls) == 2
    assert outcome.text.endswith("已通知提出人和1位附议委员。")
    assert len(await private_texts(services, PROPOSER)) == 1
