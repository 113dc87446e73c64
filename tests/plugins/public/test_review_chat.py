"""Review by chat: the batched announcement to staff, `评论` (list, 通过, 隐藏, in bulk, tips as
L numbers), an approved suggestion entering the topic pool, members reading approved comments
(`议题 3`) and tips (`线索 [类别]`); nothing pending or hidden reaches them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.models import Record, ReviewStatus
from bot.core.records.kinds import RecordKind
from tests.public_data import PublicData, comments, tips
from tests.utils import (
    MEMBER_GROUP,
    STAFF_GROUP,
    group_message,
    outbox_rows,
    outbox_text,
    private_message,
    say,
)
from tests.workflow_utils import PROPOSER, STAFF

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

ADDRESS = "198.51.100.9"


def comment_values(body: str, name: str = "") -> dict[str, str]:
    return {"body": body, "name": name, "contact": ""}


async def leave(services: Services, data: PublicData) -> None:
    """Two comments on the open topic, a suggestion, a tip (ids 1, 2, 3 and L1)."""
    public = services.public
    await public.comment(
        ADDRESS, comment_values("建议增加托育补贴", "王女士"), topic=data.open_topic
    )
    await public.comment(ADDRESS, comment_values("广告内容"), topic=data.open_topic)
    suggestion = {
        "title": "关于老旧小区加装电梯",
        "body": "居民上下楼难",
        "name": "",
        "contact": "",
    }
    await public.suggest(ADDRESS, suggestion)
    tip = {
        "matter": "学校周边交通拥堵",
        "place": "城关一小",
        "suggestion": "错峰放学",
        "category": "",
        "name": "",
        "contact": "",
    }
    await public.tip(ADDRESS, tip, [])


async def test_new_submissions_reach_staff_in_one_message(
    services: Services, data: PublicData
) -> None:
    await leave(services, data)
    assert await services.moderation.announce() == 4
    [row] = await outbox_rows(services, purpose="public")
    assert row.target_id == str(STAFF_GROUP)
    text = outbox_text(row)
    assert "网页新收到4条待审核" in text
    assert "建议增加托育补贴" in text
    assert "L1." in text
    assert await services.moderation.announce() == 0  # nothing new: no second message
    assert len(await outbox_rows(services, purpose="public")) == 1


async def test_staff_review_by_chat(app: App, services: Services, data: PublicData) -> None:
    await leave(services, data)
    listing = await say(app, group_message("评论", user_id=STAFF, group_id=STAFF_GROUP))
    assert "待审核：留言3条，提案线索1条。" in listing
    reply = await say(app, group_message("评论 通过 1 3 L1", user_id=STAFF, group_id=STAFF_GROUP))
    assert "第1号评论：已通过。" in reply
    assert "作为网民建议的" in reply
    assert "线索L1：已通过" in reply
    await say(
        app,
        group_message("评论 隐藏 2", user_id=STAFF, group_id=STAFF_GROUP),
        "第2号评论：已隐藏。",
    )
    await say(
        app,
        group_message("评论 通过 1", user_id=STAFF, group_id=STAFF_GROUP),
        "第1号评论：已经是“已通过”，未改动。",
    )
    assert [c.status for c in await comments(services)] == [
        ReviewStatus.APPROVED,
        ReviewStatus.HIDDEN,
        ReviewStatus.APPROVED,
    ]
    assert [t.status for t in await tips(services)] == [ReviewStatus.APPROVED]
    async with services.db.session() as session:
        topic = (await session.exec(select(Record).where(Record.source_kind == "public"))).one()
    assert (topic.kind, topic.title, topic.proposer_name) == (
        RecordKind.TOPIC,
        "关于老旧小区加装电梯",
        "网民",
    )
    pool = await say(app, group_message("议题", user_id=PROPOSER, group_id=MEMBER_GROUP))
    assert "关于老旧小区加装电梯" in pool


async def test_review_refusals(app: App, services: Services, data: PublicData) -> None:
    await say(
        app,
        private_message("评论 通过 abc", user_id=STAFF),
        "“abc”不是评论或线索编号。用法：评论 通过 12 13 或 评论 隐藏 12（线索写 L5）；"
        "只发“评论”查看待审核的内容",
    )
    await say(
        app,
        private_message("评论 删掉 1", user_id=STAFF),
        "“删掉”不是审核操作。用法：评论 通过 12 13 或 评论 隐藏 12（线索写 L5）；"
        "只发“评论”查看待审核的内容",
    )
    await say(app, private_message("评论 通过 9", user_id=STAFF), "第9号评论：没有这条评论。")
    await say(app, private_message("评论", user_id=STAFF), "目前没有待审核的公众留言或线索。")


async def test_members_read_approved_comments_only(
    app: App, services: Services, data: PublicData
) -> None:
    await leave(services, data)
    await say(app, private_message("评论 通过 1", user_id=STAFF))
    await say(app, private_message("评论 隐藏 2", user_id=STAFF))
    number = data.open_topic.number
    reply = await say(app, group_message(f"议题 {number}", user_id=PROPOSER, group_id=MEMBER_GROUP))
    assert "网民留言（1条，已审核）" in reply
    assert "王女士（网民）" in reply
    assert "建议增加托育补贴" in reply
    assert "广告内容" not in reply


async def test_members_read_approved_tips(app: App, services: Services, data: PublicData) -> None:
    await leave(services, data)
    empty = await say(app, private_message("线索", user_id=PROPOSER))
    assert "暂无" in empty  # pending tips are not listed
    await say(app, private_message("评论 通过 L1", user_id=STAFF))
    listing = await say(app, private_message("线索", user_id=PROPOSER))
    assert "L1. 学校周边交通拥堵（城关一小）：错峰放学" in listing
    refused = await say(app, private_message("线索 火星", user_id=PROPOSER))
    assert refused.startswith("没有“火星”这个类别。可选：")
