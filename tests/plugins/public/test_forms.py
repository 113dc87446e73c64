"""The public forms through the real app: a good post is stored for review and redirects back;
every refusal (oversized, HTML and script, forged fields, a flood from one address, a missing,
bad, foreign or stale CSRF token, no cookie, a matter outside the tip collection) answers with
a clear Chinese message and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import TYPE_CHECKING

import pytest

from bot.core.models import ReviewStatus
from tests.plugins.public.conftest import token
from tests.public_data import PublicData, comments, ratings, stored, tips

if TYPE_CHECKING:
    import httpx

    from bot.core.clock import FakeClock
    from bot.core.services import Services

FORM = {"content-type": "application/x-www-form-urlencoded"}


def topic_page(data: PublicData) -> str:
    return f"/topics/2026/{data.open_topic.number}"


async def post_comment(
    client: httpx.AsyncClient, data: PublicData, **fields: str
) -> httpx.Response:
    csrf = await token(client, topic_page(data), "comment-form")
    values = {"csrf": csrf, "body": "建议增加普惠托育点", "name": "", "contact": ""} | fields
    return await client.post(topic_page(data) + "/comments", data=values)


async def test_a_comment_is_held_for_review_and_the_page_thanks(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    response = await post_comment(client, data, name="王女士", contact="13800000000")
    assert response.status_code == 303
    assert response.headers["location"] == topic_page(data) + "?sent=comment"
    [comment] = await comments(services)
    assert (comment.status, comment.body, comment.name) == (
        ReviewStatus.PENDING,
        "建议增加普惠托育点",
        "王女士",
    )
    assert comment.record_id == data.open_topic.id
    assert "203.0.113.7" not in comment.client  # the address is hashed, never stored
    page = unescape((await client.get(response.headers["location"])).text)
    assert "审核通过后" in page
    assert "建议增加普惠托育点" not in page  # not before review


async def test_a_suggestion_and_a_tip_are_stored_for_review(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, "/topics", "suggest-form")
    values = {"csrf": csrf, "title": "关于老旧小区加装电梯", "body": "", "name": "", "contact": ""}
    assert (await client.post("/topics/suggest", data=values)).status_code == 303
    csrf = await token(client, "/tips", "tip-form")
    tip = {
        "csrf": csrf,
        "matter": "城区学校周边交通拥堵",
        "place": "城关镇第一小学",
        "suggestion": "错峰放学，增设临时停车位",
        "category": "",
        "name": "",
        "contact": "",
    }
    assert (await client.post("/tips", data=tip)).status_code == 303
    assert [c.title for c in await comments(services)] == ["关于老旧小区加装电梯"]
    assert [t.matter for t in await tips(services)] == ["城区学校周边交通拥堵"]


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"body": "很" * 501}, 413, "最多500字"),
        ({"body": "<script>alert(1)</script>"}, 400, "网页代码"),
        ({"body": "好<img src=x onerror=alert(1)>"}, 400, "网页代码"),
        ({"name": "<b>王</b>"}, 400, "网页代码"),
        ({"body": "   "}, 400, "请填写"),
        ({"status": "approved"}, 400, "可能被篡改"),
        ({"record_id": "3"}, 400, "可能被篡改"),
        ({"csrf": ""}, 403, "安全校验码"),
        ({"csrf": "123.abc"}, 403, "安全校验码"),
        ({"csrf": "nonsense"}, 403, "安全校验码"),
    ],
)
async def test_bad_comments_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    services: Services,
    data: PublicData,
    fields: dict[str, str],
    status: int,
    says: str,
) -> None:
    response = await post_comment(client, data, **fields)
    assert response.status_code == status
    assert says in unescape(response.text)
    assert await stored(services) == 0


async def test_a_repeated_field_is_refused(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, topic_page(data), "comment-form")
    body = f"csrf={csrf}&body=a&body=b&name=&contact="
    response = await client.post(topic_page(data) + "/comments", content=body, headers=FORM)
    assert response.status_code == 400
    assert "重复" in unescape(response.text)
    assert await stored(services) == 0


async def test_an_oversized_post_is_refused_unread(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, topic_page(data), "comment-form")
    body = f"csrf={csrf}&body={'x' * 20000}&name=&contact="
    response = await client.post(topic_page(data) + "/comments", content=body, headers=FORM)
    assert response.status_code == 413
    assert "太长" in unescape(response.text)
    assert await stored(services) == 0


async def test_a_token_of_another_visitor_or_form_or_too_old_is_refused(
    client: httpx.AsyncClient, services: Services, data: PublicData, clock: FakeClock
) -> None:
    other_form = await token(client, "/topics", "suggest-form")
    response = await post_comment(client, data, csrf=other_form)
    assert response.status_code == 403
    csrf = await token(client, topic_page(data), "comment-form")
    client.cookies.set("cppcc_visitor", "0" * 32)  # another visitor's cookie
    values = {"csrf": csrf, "body": "留言", "name": "", "contact": ""}
    response = await client.post(topic_page(data) + "/comments", data=values)
    assert response.status_code == 403
    client.cookies.clear()
    csrf = await token(client, topic_page(data), "comment-form")
    clock.advance(timedelta(hours=3))
    values["csrf"] = csrf
    response = await client.post(topic_page(data) + "/comments", data=values)
    assert response.status_code == 403
    assert "过期" in unescape(response.text)
    assert await stored(services) == 0


async def test_a_post_without_the_cookie_is_refused(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, topic_page(data), "comment-form")
    client.cookies.clear()
    values = {"csrf": csrf, "body": "留言", "name": "", "contact": ""}
    response = await client.post(topic_page(data) + "/comments", data=values)
    assert response.status_code == 403
    assert "Cookie" in response.text
    assert await stored(services) == 0


async def test_a_flood_from_one_address_is_refused(
    client: httpx.AsyncClient, services: Services, data: PublicData, clock: FakeClock
) -> None:
    limit = services.public.limits.forms
    for n in range(limit):
        assert (await post_comment(client, data, body=f"第{n}条留言")).status_code == 303
    client.cookies.clear()  # a new cookie does not help: the limit is per address
    response = await post_comment(client, data, body="再来一条")
    assert response.status_code == 429
    assert "太频繁" in unescape(response.text)
    assert len(await comments(services)) == limit
    clock.advance(services.public.limits.forms_window + timedelta(seconds=1))
    assert (await post_comment(client, data, body="过一会儿再来")).status_code == 303


async def test_comments_only_on_what_is_open(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, topic_page(data), "comment-form")
    values = {"csrf": csrf, "body": "留言", "name": "", "contact": ""}
    private = f"/topics/2026/{data.private_topic.number}/comments"
    assert (await client.post(private, data=values)).status_code == 404
    assert (await client.post("/plan/999/comments", data=values)).status_code == 404
    assert await stored(services) == 0


async def test_a_tip_outside_the_collection_gets_a_polite_refusal(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    csrf = await token(client, "/tips", "tip-form")
    tip = {
        "csrf": csrf,
        "matter": "我要上访反映拆迁补偿",
        "place": "城关镇",
        "suggestion": "请领导关注",
        "category": "",
        "name": "",
        "contact": "",
    }
    response = await client.post("/tips", data=tip)
    assert response.status_code == 422
    text = unescape(response.text)
    assert "信访" in text
    assert "12345" in text
    tip["category"] = "不存在的类别"
    tip["matter"] = "城区停车难"
    response = await client.post("/tips", data=tip)
    assert response.status_code == 400
    assert "选项无效" in unescape(response.text)
    assert await stored(services) == 0


async def test_a_rating_once_per_visitor_per_proposal_per_day(
    client: httpx.AsyncClient, services: Services, data: PublicData, clock: FakeClock
) -> None:
    page = f"/proposals/2026/{data.proposal.number}"

    async def rate(value: str) -> httpx.Response:
        csrf = await token(client, page, "rating-form")
        return await client.post(page + "/rating", data={"csrf": csrf, "value": value})

    assert (await rate("非常好")).status_code == 400  # forged choice
    assert await stored(services) == 0
    assert (await rate("满意")).status_code == 303
    again = await rate("不满意")
    assert again.status_code == 429
    assert "今天已经评价过" in unescape(again.text)
    assert [r.value for r in await ratings(services)] == ["满意"]
    html = unescape((await client.get(page)).text)
    assert "满意 1 · 基本满意 0 · 不满意 0" in html
    clock.advance(timedelta(days=1))
    assert (await rate("基本满意")).status_code == 303
    assert len(await ratings(services)) == 2


async def test_no_rating_of_a_proposal_not_public(
    client: httpx.AsyncClient, services: Services, data: PublicData
) -> None:
    page = f"/proposals/2026/{data.proposal.number}"
    csrf = await token(client, page, "rating-form")
    response = await client.post("/proposals/2026/99/rating", data={"csrf": csrf, "value": "满意"})
    assert response.status_code == 404
    assert await stored(services) == 0
