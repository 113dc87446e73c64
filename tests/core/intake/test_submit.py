"""IntakeService (bot/core/intake/submit.py): numbering, what a record holds, refusals, warnings, the staff notice, concurrent posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake.results import Source
from bot.core.intake.segments import MentionSeg, TextSeg
from bot.core.intake.throttle import content_hash
from bot.core.models import (
    ChannelKind,
    Cosign,
    Member,
    MessageLink,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.people.members import MemberUpdate
from bot.core.records.kinds import RecordKind
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    GROUP,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    STAFF_GROUP,
    VAGUE,
    VAGUE_TITLE,
    group_source,
    outbox_rows,
    outbox_text,
    post,
    register,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_numbers_run_per_kind_and_year(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    second = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()
    )
    opinion = await services.intake.submit(
        post(FOOD_TITLE, FOOD, "#社情民意"), identity=zhang, source=group_source()
    )
    assert [first.record.number, second.record.number] == [1, 2]
    assert opinion.record.kind == RecordKind.OPINION
    assert opinion.record.number == 1
    year = services.records.current_year()
    assert first.record.year == year

    clock.set(clock.now().replace(year=year + 1, month=1, day=2))
    next_year = await services.intake.submit(
        post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
    )
    assert (next_year.record.year, next_year.record.number) == (year + 1, 1)


async def test_record_holds_what_was_posted(services: Services) -> None:
    zhang = await register(services, "20001", "张三", sector="农业界")
    source = Source.group(GROUP, "777", sector=None)
    image = [TextSeg("\n"), MentionSeg("all"), TextSeg("附图")]
    result = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE, "【提案】", *image), identity=zhang, source=source
    )
    record = result.record
    assert not result.duplicate
    assert record.title == SEWAGE_TITLE
    assert record.body.startswith("我县农村生活污水")
    assert (record.proposer_name, record.proposer_sector) == ("张三", "农业界")
    assert (record.source_kind, record.source_group_id, record.source_message_id) == (
        "group",
        GROUP,
        "777",
    )
    assert record.status == RecordStatus.SUBMITTED
    assert record.has_suggestion is True
    assert record.category == "生态文明建设"
    assert "污水" in record.keywords
    assert record.content_hash == content_hash(
        RecordKind.PROPOSAL, SEWAGE_TITLE + "\n" + SEWAGE + "\n附图"
    )
    assert result.mentions_all is True
    assert await services.records.by_message("777") == record
    timeline = await services.records.timeline(record.id or 0, include_internal=True)
    assert [(e.action, e.to_status) for e in timeline] == [("submit", "submitted")]


async def test_sector_group_supplies_a_missing_sector(services: Services) -> None:
    await services.members.update("20009", MemberUpdate(name="无界别"))
    async with services.db.session() as session:
        member = (await session.exec(select(Member).where(Member.user_id == "20009"))).one()
        member.sector = None
        session.add(member)
        await session.commit()
    who = await services.members.identify("20009")
    result = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=who, source=Source.group(GROUP, "1", sector="教育界")
    )
    assert result.record.proposer_sector == "教育界"


async def test_attachments_are_kept(services: Services) -> None:
    from bot.core.intake.segments import FileSeg, ImageSeg

    zhang = await register(services, "20001", "张三")
    result = await services.intake.submit(
        post(LIFT_TITLE, LIFT, "#提案", ImageSeg("a.jpg", "http://x/a.jpg"), FileSeg("调研.docx")),
        identity=zhang,
        source=group_source(),
    )
    assert result.record.attachments == [
        {"kind": "image", "name": "a.jpg", "url": "http://x/a.jpg"},
        {"kind": "file", "name": "调研.docx", "url": ""},
    ]


async def test_refusals_say_what_to_type(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    with pytest.raises(InvalidInput, match="内容太短") as short:
        await services.intake.submit([TextSeg("#提案 修路")], identity=zhang, source=group_source())
    assert "#提案 标题" in short.value.message
    with pytest.raises(InvalidInput, match="内容太长") as long:
        await services.intake.submit(
            post("标题", "很长的内容" * 2100), identity=zhang, source=group_source()
        )
    assert "一事一案" in long.value.message

    guest = await services.members.identify("29999", "路人")
    with pytest.raises(PermissionDenied) as refused:
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=guest, source=group_source())
    assert "委员 设置 @您 界别" in refused.value.message
    assert "不在委员名单" in refused.value.message

    staff = await services.members.set_staff("30001", True, display_name="王秘书")
    assert not staff.is_member
    who = await services.members.identify("30001")
    with pytest.raises(PermissionDenied, match="机关工作人员"):
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=who, source=group_source())

    async with services.db.session() as session:
        member = (await session.exec(select(Member).where(Member.user_id == "20001"))).one()
        member.active = False
        session.add(member)
        await session.commit()
    inactive = await services.members.identify("20001")
    with pytest.raises(PermissionDenied, match="已停用"):
        await services.intake.submit(
            post(LIFT_TITLE, LIFT), identity=inactive, source=group_source()
        )


async def test_missing_suggestion_is_a_warning(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    result = await services.intake.submit(
        post(VAGUE_TITLE, VAGUE), identity=zhang, source=group_source()
    )
    assert result.record.has_suggestion is False
    assert any("没有找到具体建议" in w for w in result.warnings)
    topic = await services.intake.submit(
        [TextSeg("#议题 关于城区停车难问题的协商，群众反映强烈")],
        identity=zhang,
        source=group_source(),
    )
    assert topic.warnings == []


async def test_staff_group_hears_of_every_new_record(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    result = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=Source.private("5")
    )
    assert [m.purpose for m in await outbox_rows(services)] == []  # no staff group bound yet

    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="10001")
    await services.channels.bind(GROUP, ChannelKind.WHOLE, sector=None, bound_by="10001")
    private = await services.intake.submit(
        post(FOOD_TITLE, FOOD), identity=zhang, source=Source.private("6")
    )
    rows = await outbox_rows(services)
    assert [(m.target_type, m.target_id, m.purpose) for m in rows] == [
        ("group", STAFF_GROUP, "intake_review")
    ]
    text = outbox_text(rows[0])
    assert "【待审核】提案第2号" in text
    assert "私聊提交" in text
    assert "立案 2" in text
    assert result.record.source_kind == private.record.source_kind == "private"


async def test_literal_cq_code_stays_text(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    title = "[CQ:at,qq=all]关于农村道路安全的建议"
    result = await services.intake.submit(
        post(title, "村道缺少护栏和警示标志，建议交通部门增设护栏、减速带和警示标志。"),
        identity=zhang,
        source=group_source(),
    )
    assert result.record.title == title
    assert result.mentions_all is True
    async with services.db.session() as session:
        links = (await session.exec(select(MessageLink))).all()
        cosigns = (await session.exec(select(Cosign))).all()
        entries = (await session.exec(select(TimelineEntry))).all()
    assert len(links) == 1
    assert cosigns == []
    assert len(entries) == 1


async def test_concurrent_posts_by_different_members_get_distinct_numbers(
    services: Services,
) -> None:
    import asyncio

    people = [await register(services, str(20100 + n), f"委员{n}") for n in range(6)]
    results = await asyncio.gather(
        *(
            services.intake.submit(
                post(f"{LIFT_TITLE}（{n}）", f"{LIFT}第{n}稿。"),
                identity=person,
                source=group_source(),
            )
            for n, person in enumerate(people)
        )
    )
    assert sorted(r.record.number for r in results) == [1, 2, 3, 4, 5, 6]
    assert not any(r.duplicate for r in results)
    async with services.db.session() as session:
        stored = (await session.exec(select(Record.number).order_by(Record.number))).all()
        entries = (
            await session.exec(select(TimelineEntry).where(TimelineEntry.action == "submit"))
        ).all()
    assert stored == [1, 2, 3, 4, 5, 6]
    assert sorted(e.record_id for e in entries) == sorted(r.record.id for r in results)
