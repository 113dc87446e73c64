"""The board's pages through the real app (NoneBot's FastAPI app, as `python -m bot` serves it):
what each page shows of the hand-made fixture, what it never shows, escaping, bad input."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.board_data import (
    ASSISTING_OPINION,
    EVALUATION_OPINION,
    INTERNAL_NOTE,
    OPINION_TITLE,
    PRIVATE_TITLE,
    SCRIPT_TITLE,
    YEAR,
    BoardData,
)
from tests.utils import local_morning
from tests.workflow_utils import EDU, PROPOSER, STAFF

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    import nonebot

    transport = httpx.ASGITransport(app=nonebot.get_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://board.test") as c:
        yield c


def figure(html: str, name: str) -> str:
    """The text of the element marked data-figure="name"."""
    found = re.search(rf'data-figure="{re.escape(name)}">([^<]*)<', html)
    assert found is not None, name
    return found.group(1).strip()


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


NEVER = (PRIVATE_TITLE, INTERNAL_NOTE, ASSISTING_OPINION, EVALUATION_OPINION, OPINION_TITLE)


async def test_home_shows_the_years_figures(client: httpx.AsyncClient, data: BoardData) -> None:
    response = await client.get(f"/?year={YEAR}")
    assert response.status_code == 200
    html = response.text
    assert (figure(html, "收到"), figure(html, "立案"), figure(html, "交办")) == ("8", "6", "4")
    assert (figure(html, "立案率"), figure(html, "办复率"), figure(html, "办结率")) == (
        "75.0%",
        "50.0%",
        "25.0%",
    )
    assert (figure(html, "满意率"), figure(html, "初次满意率")) == ("100.0%", "50.0%")
    assert (figure(html, "A类"), figure(html, "B类"), figure(html, "C类")) == ("2", "0", "0")
    assert (figure(html, "民意收到"), figure(html, "民意采用")) == ("3", "2")
    assert "生态文明建设" in html
    assert '<link rel="stylesheet" href="/static/board.css">' in html
    assert "<script" not in html
    assert not any(text in html for text in NEVER)


async def test_home_defaults_to_this_year_and_says_when_the_year_is_bad(
    client: httpx.AsyncClient, data: BoardData
) -> None:
    html = (await client.get("/")).text
    assert f"{YEAR}年提案办理总览" in html
    html = (await client.get("/?year=abc")).text
    assert f"年份“abc”无效，已显示{YEAR}年；请写四位数字的年份，例如 {YEAR}。" in html


async def test_list_filters_search_and_escaping(client: httpx.AsyncClient, data: BoardData) -> None:
    html = (await client.get("/proposals", params={"year": YEAR})).text
    assert re.findall(r'href="/proposals/2026/(\d+)"', html) == ["1", "2", "3", "4", "9"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # shown as text
    assert "<script" not in html
    assert not any(text in html for text in NEVER)
    assert PROPOSER not in visible_text(html)
    html = (await client.get("/proposals", params={"year": YEAR, "unit": EDU})).text
    assert re.findall(r'href="/proposals/2026/(\d+)"', html) == ["1", "2", "4"]
    assert f"<option selected>{EDU}</option>" in html
    html = (await client.get("/proposals", params={"q": "第9号"})).text
    assert re.findall(r'href="/proposals/2026/(\d+)"', html) == ["9"]


async def test_list_bad_filter_is_said(client: httpx.AsyncClient, data: BoardData) -> None:
    html = (await client.get("/proposals", params={"status": "nope", "page": "x"})).text
    assert "没有“nope”这个办理状态，已忽略；请从“状态”列表中选择。" in html
    assert re.search(r'id="total">5<', html)


async def test_proposal_page(client: httpx.AsyncClient, data: BoardData) -> None:
    response = await client.get(f"/proposals/{YEAR}/2")
    assert response.status_code == 200
    text = visible_text(response.text)
    for shown in ("已评价", "第2轮（重新办理）", "提案人评价：不满意，转为重新办理", EDU):
        assert shown in text
    assert re.search(r'id="percent">80%<', response.text)
    assert not any(t in response.text for t in NEVER)
    assert PROPOSER not in text
    assert STAFF not in text


async def test_script_title_on_its_page(client: httpx.AsyncClient, data: BoardData) -> None:
    html = (await client.get(f"/proposals/{YEAR}/9")).text
    assert "<script" not in html
    assert visible_text(re.search(r'<h1 id="title">(.*?)</h1>', html, re.S).group(1)) == (  # type: ignore[union-attr]
        SCRIPT_TITLE
    )
    csp = (await client.get(f"/proposals/{YEAR}/9")).headers["content-security-policy"]
    assert "script-src" not in csp
    assert "default-src 'none'" in csp


@pytest.mark.parametrize("path", ["5", "6", "7", "8", "99", "abc"])
async def test_hidden_or_missing_proposals_are_not_found(
    client: httpx.AsyncClient, data: BoardData, path: str
) -> None:
    response = await client.get(f"/proposals/{YEAR}/{path}")
    assert response.status_code == 404
    assert "没有找到这件提案" in response.text
    assert PRIVATE_TITLE not in response.text


async def test_stylesheet(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/board.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "@import" not in response.text
    assert "url(" not in response.text


@pytest.fixture
def private_board(services: Services, monkeypatch: pytest.MonkeyPatch) -> str:
    from dataclasses import replace

    token = "staff-token-42"
    monkeypatch.setattr(
        services, "config", replace(services.config, board_public=False, board_token=token)
    )
    return token


async def test_not_public_needs_the_token(
    client: httpx.AsyncClient, data: BoardData, private_board: str
) -> None:
    for path in ("/", "/proposals", f"/proposals/{YEAR}/1"):
        refused = await client.get(path)
        assert refused.status_code == 401, path
        assert "?token=访问令牌" in refused.text
        assert "立案率" not in refused.text
    wrong = await client.get("/", params={"token": "guess"})
    assert wrong.status_code == 401
    given = await client.get("/proposals", params={"token": private_board, "year": YEAR})
    assert (given.status_code, given.headers["location"]) == (303, f"/proposals?year={YEAR}")
    assert private_board not in given.headers["location"]
    kept = await client.get(given.headers["location"])  # the cookie carries the token now
    assert kept.status_code == 200
    assert "第1号" in kept.text
    bearer = await httpx.AsyncClient(transport=client._transport, base_url="http://x").get(
        "/", headers={"Authorization": f"Bearer {private_board}"}
    )
    assert bearer.status_code == 200


async def test_not_public_without_a_token_set_refuses_everyone(
    client: httpx.AsyncClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    monkeypatch.setattr(services, "config", replace(services.config, board_public=False))
    response = await client.get("/", params={"token": ""})
    assert response.status_code == 403
    assert "请管理员在 .env 中设置 BOARD_TOKEN" in response.text


async def test_home_lists_overdue_public_ones(
    client: httpx.AsyncClient, data: BoardData, clock: FakeClock
) -> None:
    clock.set(local_morning(date(2026, 7, 6)))
    html = (await client.get("/")).text
    assert figure(html, "超期未答复") == "2"
    table = html[html.index("<h2>超期未答复</h2>") : html.index("<h2>社情民意信息</h2>")]
    assert re.findall(r'href="/proposals/2026/(\d+)"', table) == ["4", "4"]
    assert PRIVATE_TITLE not in table


async def test_units_page_shows_the_units_table_of_statistics(
    client: httpx.AsyncClient, data: BoardData, services: Services
) -> None:
    response = await client.get(f"/units?year={YEAR}")
    assert response.status_code == 200
    html = response.text
    rows = await services.stats.units(YEAR)
    assert rows  # the fixture assigns proposals to units
    for row in rows:
        found = re.search(rf'<tr data-unit="{re.escape(row.unit)}">(.*?)</tr>', html, re.S)
        assert found is not None, row.unit
        cells = dict(re.findall(r'data-figure="([^"]+)">([^<]*)<', found.group(1)))
        assert cells == {
            "交办": str(row.assigned),
            "按期答复": str(row.answered_on_time),
            "逾期答复": str(row.answered_late),
            "当前逾期": str(row.overdue_now),
            "满意率": row.satisfaction.percent(),
        }
    assert '<a href="/units" aria-current="page">承办单位</a>' in html
    assert not any(text in html for text in NEVER)


async def test_units_page_with_no_assignments_says_so(client: httpx.AsyncClient) -> None:
    response = await client.get("/units?year=2031")
    assert response.status_code == 200
    assert "2031年还没有交办给承办单位的提案。" in response.text
