"""The public engagement pages: what they show (plan numbered within its forms, open topics,
news, approved comments and tips only) and what they never show."""

from __future__ import annotations

from html import unescape
from typing import TYPE_CHECKING

from bot.core.consultation.news import NewsPost
from bot.core.models import CommentTarget, PublicComment, PublicTip, ReviewStatus
from tests.public_data import (
    NEWS_TITLE,
    OPEN_TOPIC,
    PLAN_TOPIC,
    PRIVATE_TOPIC,
    PublicData,
)
from tests.workflow_utils import STAFF, requester

if TYPE_CHECKING:
    import httpx

    from bot.core.services import Services


async def _add(services: Services, *rows: object) -> None:
    async with services.db.session() as session:
        for row in rows:
            session.add(row)
        await session.commit()


async def test_plan_page_numbers_items_within_their_form(
    client: httpx.AsyncClient, data: PublicData
) -> None:
    html = unescape((await client.get("/plan?year=2026")).text)
    assert "专题协商（1项）" in html
    assert "专题协商第1项" in html
    assert PLAN_TOPIC in html
    assert "李副主席" in html
    assert "县教育局" in html


async def test_topics_page_lists_open_topics_but_not_private_ones(
    client: httpx.AsyncClient, data: PublicData
) -> None:
    html = unescape((await client.get("/topics")).text)
    assert OPEN_TOPIC in html
    assert PRIVATE_TOPIC not in html
    assert PLAN_TOPIC not in html  # in the plan now, not open for suggestions
    response = await client.get(f"/topics/2026/{data.private_topic.number}")
    assert response.status_code == 404
    assert PRIVATE_TOPIC not in unescape(response.text)


async def test_only_approved_comments_show(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    def comment(body: str, status: ReviewStatus) -> PublicComment:
        return PublicComment(
            target=CommentTarget.TOPIC,
            record_id=data.open_topic.id,
            body=body,
            status=status,
            client="c",
        )

    await _add(
        services,
        comment("通过的留言", ReviewStatus.APPROVED),
        comment("待审的留言", ReviewStatus.PENDING),
        comment("隐藏的留言", ReviewStatus.HIDDEN),
        comment("<b>粗体</b>", ReviewStatus.APPROVED),
    )
    html = (await client.get(f"/topics/2026/{data.open_topic.number}")).text
    assert "通过的留言" in html
    assert "待审的留言" not in html
    assert "隐藏的留言" not in html
    assert "<b>粗体</b>" not in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html


async def test_only_approved_tips_show(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    await _add(
        services,
        PublicTip(matter="通过的线索", status=ReviewStatus.APPROVED, client="c"),
        PublicTip(matter="待审的线索", status=ReviewStatus.PENDING, client="c"),
        PublicTip(matter="隐藏的线索", status=ReviewStatus.HIDDEN, client="c"),
    )
    html = (await client.get("/tips")).text
    assert "通过的线索" in html
    assert "待审的线索" not in html
    assert "隐藏的线索" not in html


async def test_news_shows_published_items_not_withdrawn_ones(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    staff = await requester(services, STAFF)
    gone = await services.news.post(NewsPost("已撤回的动态\n正文"), staff.identity)
    await services.news.withdraw(str(gone.id), staff.identity)
    html = unescape((await client.get("/news")).text)
    assert NEWS_TITLE in html
    assert "已撤回的动态" not in html
    assert (await client.get(f"/news/{gone.id}")).status_code == 404
    items = await services.news.published()
    shown = unescape((await client.get(f"/news/{items[0].id}")).text)
    assert "会议围绕托育服务开展协商。" in shown


async def test_proposal_page_shows_the_rating_form_and_both_evaluations(
    client: httpx.AsyncClient, data: PublicData
) -> None:
    html = unescape((await client.get(f"/proposals/2026/{data.proposal.number}")).text)
    assert 'id="rating-form"' in html
    assert "委员评价" in html
    assert "网民满意度" in html
    assert "暂无网民评价" in html
