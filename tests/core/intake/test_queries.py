"""RecordQueries (bot/core/intake/queries.py): 搜索, 我的, a record's detail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput
from bot.core.intake.results import Source
from bot.core.models import (
    Answer,
    Assignment,
    Evaluation,
)
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    VAGUE,
    VAGUE_TITLE,
    cosign_line,
    group_source,
    post,
    register,
)
from tests.workflow_utils import add_note

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_search(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    await services.intake.submit(post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source())
    clock.advance(timedelta(minutes=5))
    await services.intake.submit(
        post(
            "关于治理城区PM2.5污染的建议", "城区冬季PM2.5浓度偏高，建议加强扬尘管控，推广清洁取暖。"
        ),
        identity=zhang,
        source=group_source(),
    )
    clock.advance(timedelta(minutes=5))
    private = await services.intake.submit(
        post(
            "关于污水处理费减免的建议", "小微企业污水处理费负担较重，建议对困难企业分档减免处理费。"
        ),
        identity=zhang,
        source=Source.private("9"),
    )
    found, more = await services.queries.search("污水", include_private=True)
    assert [r.title for r in found] == ["关于污水处理费减免的建议", SEWAGE_TITLE]
    assert not more
    public, _ = await services.queries.search("污水", include_private=False)
    assert [r.title for r in public] == [SEWAGE_TITLE]
    assert [
        r.number for r in (await services.queries.search("pm2.5", include_private=True))[0]
    ] == [2]
    assert (await services.queries.search("农村 财政预算", include_private=True))[0][0].number == 1
    assert (await services.queries.search("农村 电梯", include_private=True))[0] == []
    assert (await services.queries.search("100%", include_private=True))[0] == []
    await services.withdrawals.withdraw(private.record, zhang, source="private")
    assert len((await services.queries.search("污水", include_private=True))[0]) == 1
    with pytest.raises(InvalidInput, match="搜索 污水"):
        await services.queries.search("  ", include_private=True)


async def test_search_shows_ten_newest(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    services.intake.throttle.rate_per_minute = 100
    try:
        for n in range(12):
            clock.advance(timedelta(minutes=1))
            await services.intake.submit(
                post(
                    f"关于第{n}条乡村道路硬化的建议",
                    f"第{n}段乡村道路破损严重，建议尽快安排资金修缮硬化。",
                ),
                identity=zhang,
                source=group_source(),
            )
    finally:
        services.intake.throttle.rate_per_minute = services.config.intake_rate_per_minute
    found, more = await services.queries.search("乡村道路", include_private=True)
    assert more
    assert [r.number for r in found] == list(range(12, 2, -1))


async def test_mine_lists_records_invitations_and_answers(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    own = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    hidden = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=Source.private("3")
    )
    invited = await services.intake.submit(
        post(FOOD_TITLE, FOOD) + cosign_line(("20001", "张三")), identity=li, source=group_source()
    )
    joined = await services.intake.submit(
        post(VAGUE_TITLE, VAGUE + "建议建设立体停车场。"), identity=li, source=group_source()
    )
    await services.cosigns.cosign(joined.record, zhang, source="private")
    async with services.db.session() as session:
        for round_ in (1, 2):
            session.add(
                Answer(record_id=own.record.id or 0, round=round_, category="B", content="正在推进")
            )
        session.add(
            Evaluation(record_id=own.record.id or 0, round=1, result="unsatisfied", user_id="20001")
        )
        await session.commit()

    overview = await services.queries.mine(zhang, include_private=True)
    assert [r.id for r in overview.submitted] == [hidden.record.id, own.record.id]
    assert [r.id for r in overview.cosigned] == [joined.record.id]
    assert [r.id for r in overview.invitations] == [invited.record.id]
    assert [(r.id, a.round) for r, a in overview.awaiting_evaluation] == [(own.record.id, 2)]
    assert overview.hidden_private == 0

    in_group = await services.queries.mine(zhang, include_private=False)
    assert [r.id for r in in_group.submitted] == [own.record.id]
    assert in_group.hidden_private == 1


async def test_detail_shows_internal_steps_to_staff_and_assigned_units(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record
    await add_note(services, record, "内部沟通记录", action="progress")
    unit, _ = await services.units.add("县住建局")
    other, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "住建联系人")
    await services.units.set_contact(other, "40002", "教育联系人")
    async with services.db.session() as session:
        session.add(
            Assignment(record_id=record.id or 0, unit_id=unit.id or 0, due_date=date(2027, 3, 1))
        )
        await session.commit()

    member_view = await services.queries.detail(record, zhang)
    assert not member_view.internal
    assert [e.action for e in member_view.timeline] == ["submit"]
    contact = await services.queries.detail(record, await services.members.identify("40001"))
    assert contact.internal
    assert [e.action for e in contact.timeline] == ["submit", "progress"]
    outsider = await services.queries.detail(record, await services.members.identify("40002"))
    assert not outsider.internal
    await services.members.set_staff("30001", True, display_name="王秘书")
    staff = await services.queries.detail(record, await services.members.identify("30001"))
    assert staff.internal
    assert len(staff.timeline) == 2
