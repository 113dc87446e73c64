"""Shared fixture data for public engagement: people, units and bound groups on a Monday, a
topic open for suggestions, a second topic taken into the plan, a private topic, an accepted
(public) proposal, and a news item; plus helpers to read the public tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.consultation.news import NewsPost
from bot.core.consultation.parsing import PlanSpec
from bot.core.models import ChannelKind, PlanItem, PublicComment, PublicRating, PublicTip, Record
from bot.core.records.kinds import RecordKind
from tests.utils import MEMBER_GROUP, STAFF_GROUP, UNIT_GROUP, local_morning
from tests.workflow_utils import COSIGNER, STAFF, add_record, requester, setup_people

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

OPEN_TOPIC = "关于发展县域托育服务的协商议题"
PLAN_TOPIC = "关于推进农村人居环境整治的协商议题"
PRIVATE_TOPIC = "私聊提交的议题不上网页"
PROPOSAL = "关于改善城区停车难的建议"
NEWS_TITLE = "县政协召开专题协商会"


@dataclass(frozen=True)
class PublicData:
    open_topic: Record
    plan_topic: Record
    private_topic: Record
    plan_item: PlanItem
    proposal: Record


async def build(services: Services, clock: FakeClock) -> PublicData:
    clock.set(local_morning(date(2026, 3, 2)))  # a Monday
    await setup_people(services)
    bind = services.channels.bind
    await bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=STAFF)
    await bind(str(UNIT_GROUP), ChannelKind.UNIT, sector=None, bound_by=STAFF)
    await bind(str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=STAFF)
    staff = await requester(services, STAFF, f"group:{STAFF_GROUP}")
    topic = RecordKind.TOPIC
    open_topic = await add_record(services, kind=topic, title=OPEN_TOPIC)
    plan_topic = await add_record(
        services, kind=topic, title=PLAN_TOPIC, cosigners=[(COSIGNER, "李四")]
    )
    private_topic = await add_record(services, kind=topic, title=PRIVATE_TOPIC)
    async with services.db.session() as session:
        fresh = await session.get(Record, private_topic.id)
        assert fresh is not None
        fresh.source_kind = "private"
        session.add(fresh)
        await session.commit()
    spec = PlanSpec(form="专题协商", leader="李副主席", unit="县教育局", deadline="2026-06-30")
    await services.consultation.plan(str(plan_topic.number), staff, spec)
    async with services.db.session() as session:
        item = (
            await session.exec(select(PlanItem).where(PlanItem.record_id == plan_topic.id))
        ).one()
    proposal = await add_record(services, title=PROPOSAL)
    await services.proposals.accept(str(proposal.number), staff)
    await services.news.post(NewsPost(f"{NEWS_TITLE}\n会议围绕托育服务开展协商。"), staff.identity)
    return PublicData(
        open_topic=open_topic,
        plan_topic=plan_topic,
        private_topic=private_topic,
        plan_item=item,
        proposal=await services.records.get(proposal.id or 0),
    )


async def comments(services: Services) -> list[PublicComment]:
    async with services.db.session() as session:
        return list(
            (await session.exec(select(PublicComment).order_by(col(PublicComment.id)))).all()
        )


async def tips(services: Services) -> list[PublicTip]:
    async with services.db.session() as session:
        return list((await session.exec(select(PublicTip).order_by(col(PublicTip.id)))).all())


async def ratings(services: Services) -> list[PublicRating]:
    async with services.db.session() as session:
        return list((await session.exec(select(PublicRating).order_by(col(PublicRating.id)))).all())


async def stored(services: Services) -> int:
    """Every row the public left (comments, suggestions, tips, ratings)."""
    return len(await comments(services)) + len(await tips(services)) + len(await ratings(services))
