"""IntakeService: numbering, duplicates, refusals, co-signing, withdrawal, search, similar records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.core.clock import FakeClock
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake.segments import MentionSeg, TextSeg
from bot.core.intake.service import (
    CosignOutcome,
    RateLimited,
    Source,
    content_hash,
    split_kind,
)
from bot.core.models import (
    Answer,
    Assignment,
    ChannelKind,
    Cosign,
    CosignStatus,
    Evaluation,
    Member,
    MessageLink,
    Record,
    RecordStatus,
    TimelineEntry,
)
from bot.core.people.members import MemberUpdate
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor
from bot.core.services import Services
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_REWORDED,
    SEWAGE_REWORDED_TITLE,
    SEWAGE_TITLE,
    VAGUE,
    VAGUE_TITLE,
    cosign_line,
    outbox_rows,
    outbox_text,
    post,
    register,
)
from tests.utils import GROUP_ID as GROUP
from tests.utils import STAFF_GROUP_ID as STAFF_GROUP

_ids = iter(range(50_000, 60_000))


def group_source() -> Source:
    return Source.group(GROUP, str(next(_ids)))


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
    assert opinion.record.kind == RecordKind.OPINION and opinion.record.number == 1
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


async def test_same_text_within_a_day_keeps_its_number(
    services: Services, clock: FakeClock
) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    clock.advance(timedelta(hours=23))
    # spacing and full-width characters do not make it new text
    again_segments = [TextSeg(f"＃提案  {SEWAGE_TITLE}\n\n{SEWAGE.replace('，', '， ')}")]
    again = await services.intake.submit(
        again_segments, identity=zhang, source=Source.group(GROUP, "888")
    )
    assert again.duplicate and again.record.id == first.record.id
    assert await services.records.by_message("888") == first.record
    other = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=li, source=group_source()
    )
    assert not other.duplicate and other.record.number == 2

    clock.advance(timedelta(hours=2))
    later = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    assert not later.duplicate and later.record.number == 3


async def test_withdrawn_text_may_be_posted_again(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()
    )
    await services.intake.withdraw(first.record, zhang, source="private")
    again = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()
    )
    assert not again.duplicate and again.record.number == 2


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


async def test_rate_limit_refuses_once_then_stays_quiet(
    services: Services, clock: FakeClock
) -> None:
    services.intake.rate_per_minute = 2
    try:
        zhang = await register(services, "20001", "张三")
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
        with pytest.raises(RateLimited) as first:
            await services.intake.submit(
                post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
            )
        assert not first.value.quiet and "每分钟最多提交2条" in first.value.message
        with pytest.raises(RateLimited) as second:
            await services.intake.submit(
                post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
            )
        assert second.value.quiet
        li = await register(services, "20002", "李四")
        other = await services.intake.submit(
            post(FOOD_TITLE, FOOD), identity=li, source=group_source()
        )
        assert other.record.number == 3
        clock.advance(timedelta(seconds=61))
        later = await services.intake.submit(
            post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
        )
        assert later.record.number == 4
    finally:
        services.intake.rate_per_minute = services.config.intake_rate_per_minute


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


async def test_invited_cosigners_are_pending_and_told_privately(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    await register(services, "20003", "王五")
    segments = (
        post(SEWAGE_TITLE, SEWAGE)
        + cosign_line(("20002", ""), ("20001", "张三"))
        + [TextSeg("\n联名：王五、赵六")]
    )
    result = await services.intake.submit(segments, identity=zhang, source=group_source())
    assert [(c.user_id, c.name, c.status) for c in result.cosigners] == [
        ("20002", "李四", CosignStatus.PENDING),
        ("20003", "王五", CosignStatus.PENDING),
    ]
    assert any("赵六" in w for w in result.warnings)
    invites = [m for m in await outbox_rows(services) if m.purpose == "cosign_invite"]
    assert sorted((m.target_type, m.target_id, m.via_group_id) for m in invites) == [
        ("private", "20002", GROUP),
        ("private", "20003", GROUP),
    ]
    assert "附议 1" in outbox_text(invites[0]) and "张三" in outbox_text(invites[0])

    confirmed = await services.intake.cosign(result.record, li, source="private")
    assert confirmed.outcome is CosignOutcome.CONFIRMED and confirmed.confirmed == 1
    again = await services.intake.cosign(result.record, li, source="private")
    assert again.outcome is CosignOutcome.ALREADY and again.confirmed == 1


async def test_unknown_cosigner_name_comes_from_the_resolver(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    asked: list[str] = []

    async def resolve(user_id: str) -> str | None:
        asked.append(user_id)
        return "群名片赵六"

    result = await services.intake.submit(
        post(LIFT_TITLE, LIFT) + cosign_line(("20066", "")),
        identity=zhang,
        source=group_source(),
        resolve_name=resolve,
    )
    assert asked == ["20066"]
    # not on the roster: named in the warning by the resolved name, and not invited (9.6)
    assert result.cosigners == []
    assert any(w.startswith("群名片赵六还不在委员名单中，未邀请联名。") for w in result.warnings)


async def test_cosign_rules(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    wang = await register(services, "20003", "王五")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record

    with pytest.raises(InvalidInput, match="您是提案第1号的提出人"):
        await services.intake.cosign(record, zhang, source="private")
    guest = await services.members.identify("29999", "路人")
    with pytest.raises(PermissionDenied, match="只有在册委员"):
        await services.intake.cosign(record, guest, source="private")

    added = await services.intake.cosign(record, li, source=f"group:{GROUP}")
    assert added.outcome is CosignOutcome.ADDED and added.confirmed == 1
    assert (
        await services.intake.cosign(record, li, source="private")
    ).outcome is CosignOutcome.ALREADY
    assert (await services.intake.cosign(record, wang, source="private")).confirmed == 2
    cosigns = await services.intake.cosigns(record.id or 0)
    assert [(c.name, c.invited, c.status) for c in cosigns] == [
        ("李四", False, CosignStatus.CONFIRMED),
        ("王五", False, CosignStatus.CONFIRMED),
    ]
    timeline = await services.records.timeline(record.id or 0, include_internal=False)
    assert [e.action for e in timeline] == ["submit", "cosign", "cosign"]
    notices = [m for m in await outbox_rows(services) if m.purpose == "cosign_notice"]
    assert [m.target_id for m in notices] == ["20001", "20001"]

    assigned = await services.records.change(
        record.id or 0, action="assign", actor=Actor.system(), to_status=RecordStatus.ASSIGNED
    )
    zhao = await register(services, "20004", "赵六")
    with pytest.raises(InvalidInput, match=r"已交办.*已不能附议"):
        await services.intake.cosign(assigned, zhao, source="private")


async def test_topic_support_counts_but_takes_no_invitations(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    result = await services.intake.submit(
        [TextSeg("#议题 关于推进城乡供水一体化的协商议题 "), MentionSeg("20002", "李四")],
        identity=zhang,
        source=group_source(),
    )
    assert result.cosigners == []
    assert any("议题不设联名" in w for w in result.warnings)
    support = await services.intake.cosign(result.record, li, source="private")
    assert support.outcome is CosignOutcome.ADDED and support.confirmed == 1


async def test_withdraw_rules(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="10001")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record
    await services.intake.cosign(record, li, source="private")
    with pytest.raises(PermissionDenied, match="只有提出人张三可以撤回"):
        await services.intake.withdraw(record, li, source="private")

    withdrawn = await services.intake.withdraw(record, zhang, source=f"group:{GROUP}")
    assert withdrawn.status == RecordStatus.WITHDRAWN
    timeline = await services.records.timeline(record.id or 0, include_internal=True)
    assert timeline[-1].action == "withdraw" and timeline[-1].to_status == "withdrawn"
    with pytest.raises(InvalidInput, match=r"已撤回.*只有尚未审核"):
        await services.intake.withdraw(withdrawn, zhang, source="private")
    told = {(m.purpose, m.target_id) for m in await outbox_rows(services)}
    assert ("intake_withdrawn", STAFF_GROUP) in told and ("withdraw_notice", "20002") in told

    other = (
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
    ).record
    accepted = await services.records.change(
        other.id or 0, action="accept", actor=Actor.system(), to_status=RecordStatus.ACCEPTED
    )
    with pytest.raises(InvalidInput, match="已立案"):
        await services.intake.withdraw(accepted, zhang, source="private")


async def test_similar_proposals_come_from_the_index(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    assert first.similar == []
    await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
    second = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED), identity=li, source=group_source()
    )
    assert [s.record.id for s in second.similar] == [first.record.id]
    assert 0.3 <= second.similar[0].score <= 1.0
    # an opinion lead on the same matter is a different kind
    opinion = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED + "补充", "#社情民意"),
        identity=li,
        source=group_source(),
    )
    assert opinion.similar == []

    await services.intake.withdraw(first.record, zhang, source="private")
    third = await services.intake.similar(RecordKind.PROPOSAL, SEWAGE_TITLE, SEWAGE)
    assert [s.record.id for s in third] == [second.record.id]


async def test_similar_covers_this_year_and_last_only(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    now = clock.now()
    clock.set(now.replace(year=now.year - 2))
    old = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    clock.set(now.replace(year=now.year - 1))
    last = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE + "。"), identity=zhang, source=group_source()
    )
    clock.set(now)
    found = await services.intake.similar(
        RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
    )
    assert [s.record.id for s in found] == [last.record.id]
    assert old.record.year == now.year - 2


async def test_index_is_rebuilt_from_the_database(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    kept = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    gone = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE + "补充"), identity=zhang, source=group_source()
    )
    await services.intake.withdraw(gone.record, zhang, source="private")
    services.intake.reset()
    assert (
        await services.intake.similar(RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED)
        == []
    )
    assert await services.intake.rebuild_index() == 1
    found = await services.intake.similar(
        RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
    )
    assert [s.record.id for s in found] == [kept.record.id]


async def test_stale_index_entries_are_dropped(services: Services) -> None:
    """A record id the index knows but the database holds other text for is not offered."""
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    services.intake._indexed[first.record.id or 0] = "something else"
    assert (
        await services.intake.similar(RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED)
        == []
    )
    assert (RecordKind.PROPOSAL.value, first.record.id) not in services.intake.index


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
    assert "【待审核】提案第2号" in text and "私聊提交" in text and "立案 2" in text
    assert result.record.source_kind == private.record.source_kind == "private"


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
    found, more = await services.intake.search("污水", include_private=True)
    assert [r.title for r in found] == ["关于污水处理费减免的建议", SEWAGE_TITLE] and not more
    public, _ = await services.intake.search("污水", include_private=False)
    assert [r.title for r in public] == [SEWAGE_TITLE]
    assert [r.number for r in (await services.intake.search("pm2.5", include_private=True))[0]] == [
        2
    ]
    assert (await services.intake.search("农村 财政预算", include_private=True))[0][0].number == 1
    assert (await services.intake.search("农村 电梯", include_private=True))[0] == []
    assert (await services.intake.search("100%", include_private=True))[0] == []
    await services.intake.withdraw(private.record, zhang, source="private")
    assert len((await services.intake.search("污水", include_private=True))[0]) == 1
    with pytest.raises(InvalidInput, match="搜索 污水"):
        await services.intake.search("  ", include_private=True)


async def test_search_shows_ten_newest(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    services.intake.rate_per_minute = 100
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
        services.intake.rate_per_minute = services.config.intake_rate_per_minute
    found, more = await services.intake.search("乡村道路", include_private=True)
    assert more and [r.number for r in found] == list(range(12, 2, -1))


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
    await services.intake.cosign(joined.record, zhang, source="private")
    async with services.db.session() as session:
        for round_ in (1, 2):
            session.add(
                Answer(record_id=own.record.id or 0, round=round_, category="B", content="正在推进")
            )
        session.add(
            Evaluation(record_id=own.record.id or 0, round=1, result="unsatisfied", user_id="20001")
        )
        await session.commit()

    overview = await services.intake.mine(zhang, include_private=True)
    assert [r.id for r in overview.submitted] == [hidden.record.id, own.record.id]
    assert [r.id for r in overview.cosigned] == [joined.record.id]
    assert [r.id for r in overview.invitations] == [invited.record.id]
    assert [(r.id, a.round) for r, a in overview.awaiting_evaluation] == [(own.record.id, 2)]
    assert overview.hidden_private == 0

    in_group = await services.intake.mine(zhang, include_private=False)
    assert [r.id for r in in_group.submitted] == [own.record.id]
    assert in_group.hidden_private == 1


async def test_detail_shows_internal_steps_to_staff_and_assigned_units(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record
    await services.records.change(
        record.id or 0, action="progress", actor=Actor.system(), detail="内部沟通记录", public=False
    )
    unit, _ = await services.units.add("县住建局")
    other, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "住建联系人")
    await services.units.set_contact(other, "40002", "教育联系人")
    async with services.db.session() as session:
        session.add(
            Assignment(record_id=record.id or 0, unit_id=unit.id or 0, due_date=date(2027, 3, 1))
        )
        await session.commit()

    member_view = await services.intake.detail(record, zhang)
    assert not member_view.internal and [e.action for e in member_view.timeline] == ["submit"]
    contact = await services.intake.detail(record, await services.members.identify("40001"))
    assert contact.internal and [e.action for e in contact.timeline] == ["submit", "progress"]
    outsider = await services.intake.detail(record, await services.members.identify("40002"))
    assert not outsider.internal
    await services.members.set_staff("30001", True, display_name="王秘书")
    staff = await services.intake.detail(record, await services.members.identify("30001"))
    assert staff.internal and len(staff.timeline) == 2


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
    assert len(links) == 1 and cosigns == [] and len(entries) == 1


def test_split_kind() -> None:
    assert split_kind("17") == (RecordKind.PROPOSAL, "17")
    assert split_kind("民意 5") == (RecordKind.OPINION, "5")
    assert split_kind("社情民意5") == (RecordKind.OPINION, "5")
    assert split_kind("议题 2025-3") == (RecordKind.TOPIC, "2025-3")
    assert split_kind("") == (RecordKind.PROPOSAL, "")


async def test_snapshot_is_reconciled_with_the_database(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    second = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED), identity=zhang, source=group_source()
    )
    saved, services.intake.snapshot = services.intake.snapshot, tmp_path / "similarity.idx"
    try:
        assert await services.intake.rebuild_index() == 2
        assert services.intake.snapshot.exists()
        # withdrawn behind the index's back (as if while the bot was down)
        await services.records.change(
            first.record.id or 0,
            action="withdraw",
            actor=Actor.system(),
            to_status=RecordStatus.WITHDRAWN,
        )
        services.intake.reset()
        assert await services.intake.rebuild_index() == 1
        found = await services.intake.similar(RecordKind.PROPOSAL, SEWAGE_TITLE, SEWAGE)
        assert [s.record.id for s in found] == [second.record.id]
        assert (RecordKind.PROPOSAL.value, first.record.id) not in services.intake.index
    finally:
        services.intake.snapshot = saved


async def test_quick_double_post_is_one_record(services: Services) -> None:
    import asyncio

    zhang = await register(services, "20001", "张三")
    first, second = await asyncio.gather(
        services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()),
        services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()),
    )
    assert first.record.id == second.record.id
    assert sorted([first.duplicate, second.duplicate]) == [False, True]


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
