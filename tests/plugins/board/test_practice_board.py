"""The board's key and excellent proposals (issue 14) through the real app: the home page
lists the public ones with their supervising leader; the private proposal, the quality
rating and the selection's reason never show. The year: tests/practice_data.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from tests.plugins.board.test_pages import visible_text
from tests.practice_data import PRIVATE_TITLE, PUBLIC_TITLE, practice_year_with_people

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.services import Services

NEVER = (PRIVATE_TITLE, "调研扎实", "建议具体可行", "提案质量", "良好")


@pytest.fixture
async def client(services: Services, clock: FakeClock) -> AsyncIterator[httpx.AsyncClient]:
    import nonebot

    await practice_year_with_people(services, clock)
    transport = httpx.ASGITransport(app=nonebot.get_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://board.test") as c:
        yield c


async def test_home_lists_key_and_excellent_proposals(client: httpx.AsyncClient) -> None:
    response = await client.get("/?year=2026")
    assert response.status_code == 200
    text = " ".join(visible_text(response.text).split())
    assert (
        f"重点提案 编号 提案 提案人 督办领导 牵头单位 第1号 {PUBLIC_TITLE} 张三 某副主席 县财政局"
        in text
    )
    assert f"2026年度优秀提案 第1号 {PUBLIC_TITLE} （张三）" in text
    for hidden in NEVER:
        assert hidden not in text


async def test_a_proposal_page_tells_it_was_selected(client: httpx.AsyncClient) -> None:
    response = await client.get("/proposals/2026/1")
    text = visible_text(response.text)
    assert "评为年度优秀提案" in text
    assert "2026年度优秀提案" in text  # the badge
    assert " ".join("督办领导 某副主席".split()) in " ".join(text.split())
    for hidden in NEVER:
        assert hidden not in text
    assert (await client.get("/proposals/2026/2")).status_code == 404  # the private one
