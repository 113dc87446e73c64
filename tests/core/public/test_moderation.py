"""PublicService and ModerationService directly: what may be commented on, the limits held in
the database (a second process sees them), the shared form key, review and the batched
announcement, a public topic through the plan with nobody to tell one-to-one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.consultation.parsing import PlanSpec
from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind, Record, ReviewStatus
from bot.core.public.moderation import ModerationService, parse_refs
from bot.core.public.queries import approved_comments
from bot.core.public.safety import Refusal
from bot.core.public.service import Limits, PublicService
from bot.core.records.service import Actor
from tests.public_data import PublicData, comments
from tests.utils import STAFF_GROUP, outbox_rows
from tests.workflow_utils import STAFF, requester

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

ADDRESS = "192.0.2.1"
STAFF_ACTOR = Actor(STAFF, "王秘书")


def values(body: str = "好建议") -> dict[str, str]:
    return {"body": body, "name": "", "contact": ""}


def suggestion(title: str) -> dict[str, str]:
    return {"title": title, "body": "", "name": "", "contact": ""}


def test_parse_refs() -> None:
    assert parse_refs(["12", "第13号", "L5", "l6，"]) == ([12, 13], [5, 6])
    with pytest.raises(InvalidInput, match="不是评论或线索编号"):
        parse_refs(["12", "x"])
    with pytest.raises(InvalidInput, match="请写上编号"):
        parse_refs([])


async def test_targets_are_what_the_board_shows(services: Services, data: PublicData) -> None:
    public = services.public
    assert await public.open_topic(2026, data.open_topic.number) is not None
    assert await public.open_topic(2026, data.private_topic.number) is None
    assert await public.open_topic(2026, data.plan_topic.number) is None  # planned
    assert await public.public_plan_item(data.plan_item.id or 0) is not None
    assert await public.public_proposal(2026, data.proposal.number) is not None
    assert await public.public_proposal(2026, 99) is None


async def test_the_form_key_is_shared_by_every_process(services: Services) -> None:
    # fresh services, as two processes start (services.public may keep a key from an earlier
    # test, whose table the test set-up emptied)
    first = PublicService(services.db, services.clock)
    second = PublicService(services.db, services.clock)
    key = await first.secret()
    assert len(key) == 64
    assert await second.secret() == key


async def test_the_limit_holds_across_processes(
    services: Services, clock: FakeClock, data: PublicData
) -> None:
    first = PublicService(services.db, clock, Limits(forms=2))
    second = PublicService(services.db, clock, Limits(forms=2))
    await first.comment(ADDRESS, values(), topic=data.open_topic)
    await second.suggest(ADDRESS, suggestion("议题甲"))
    with pytest.raises(Refusal, match="太频繁"):
        await first.suggest(ADDRESS, suggestion("议题乙"))
    with pytest.raises(Refusal, match="太频繁"):
        await second.comment(ADDRESS, values(), topic=data.open_topic)
    await second.comment("192.0.2.2", values(), topic=data.open_topic)  # another address
    assert len(await comments(services)) == 3


async def test_the_daily_limit(services: Services, clock: FakeClock, data: PublicData) -> None:
    public = PublicService(services.db, clock, Limits(forms=100, forms_per_day=3))
    for n in range(3):
        await public.suggest(ADDRESS, suggestion(f"议题{n}"))
    with pytest.raises(Refusal, match="太频繁"):
        await public.suggest(ADDRESS, suggestion("再一个"))


async def test_announcements_are_batched_and_wait_for_a_staff_group(
    services: Services, data: PublicData
) -> None:
    await services.channels.unbind(str(STAFF_GROUP))
    for n in range(20):
        await services.public.comment(f"192.0.2.{n}", values(f"留言{n}"), topic=data.open_topic)
    assert await services.moderation.announce() == 0  # no staff group: kept for later
    await services.channels.bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=STAFF)
    assert await services.moderation.announce() == 20
    [row] = await outbox_rows(services, purpose="public")
    assert "网页新收到20条待审核" in "".join(p.get("text", "") for p in row.parts)
    assert "……另有5条" in "".join(p.get("text", "") for p in row.parts)
    assert await services.moderation.announce() == 0


async def test_reviewed_items_are_not_announced(services: Services, data: PublicData) -> None:
    await services.public.comment(ADDRESS, values(), topic=data.open_topic)
    await services.moderation.review(["1"], approve=False, actor=STAFF_ACTOR)
    assert await services.moderation.announce() == 0


async def test_a_public_topic_goes_through_the_plan_telling_nobody_one_to_one(
    services: Services, data: PublicData
) -> None:
    await services.public.suggest(ADDRESS, suggestion("关于老旧小区加装电梯"))
    [line] = await services.moderation.review(["1"], approve=True, actor=STAFF_ACTOR)
    assert "进入议题库" in line
    [comment] = await comments(services)
    assert comment.status == ReviewStatus.APPROVED
    async with services.db.session() as session:
        topic = await session.get(Record, comment.record_id)
    assert topic is not None
    assert (topic.source_kind, topic.proposer_user_id) == ("public", "")
    before = len(await outbox_rows(services))
    staff = await requester(services, STAFF)
    spec = PlanSpec(form="调研", leader="李副主席", unit="县教育局", deadline="2026-09-30")
    outcome = await services.consultation.plan(str(topic.number), staff, spec)
    assert "关于老旧小区加装电梯" in outcome.text
    queued = (await outbox_rows(services))[before:]
    assert all(row.target_id for row in queued)  # no message to an empty user id
    assert not [r for r in queued if r.target_type == "private" and r.target_id == ""]


async def test_review_twice_and_unknown(services: Services, data: PublicData) -> None:
    moderation = ModerationService(services.db, services.clock, services.records, services.notifier)
    await services.public.comment(ADDRESS, values(), topic=data.open_topic)
    assert await moderation.review(["1", "2", "L9"], approve=True, actor=STAFF_ACTOR) == [
        "第1号评论：已通过。",
        "第2号评论：没有这条评论。",
        "线索L9：没有这条线索。",
    ]
    assert await moderation.review(["1"], approve=True, actor=STAFF_ACTOR) == [
        "第1号评论：已经是“已通过”，未改动。"
    ]
    # approved by mistake: hidden later, and shown again
    assert await moderation.review(["1"], approve=False, actor=STAFF_ACTOR) == [
        "第1号评论：已隐藏。"
    ]
    assert await approved_comments(services.db, record_id=data.open_topic.id) == []
    assert await moderation.review(["1"], approve=True, actor=STAFF_ACTOR) == [
        "第1号评论：已通过。"
    ]


async def test_a_suggestion_becomes_one_topic_only(services: Services, data: PublicData) -> None:
    await services.public.suggest(ADDRESS, suggestion("关于老旧小区加装电梯"))
    review = services.moderation.review
    await review(["1"], approve=True, actor=STAFF_ACTOR)
    [hidden] = await review(["1"], approve=False, actor=STAFF_ACTOR)
    assert "议题不受影响" in hidden
    await review(["1"], approve=True, actor=STAFF_ACTOR)
    async with services.db.session() as session:
        topics = (await session.exec(select(Record).where(Record.source_kind == "public"))).all()
    assert len(topics) == 1
