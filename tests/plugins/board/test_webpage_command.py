"""网页 [17]: the board's address (BOARD_URL), or one proposal's page; never a page for a
proposal the public may not see, never the token."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from bot.core.board.links import NO_URL, NOT_PUBLIC
from bot.core.models import ChannelKind
from tests.utils import MEMBER_GROUP, STAFF, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services
    from tests.board_data import BoardData

BASE = "https://zx.example.gov.cn"


def configure(services: Services, monkeypatch: pytest.MonkeyPatch, **changes: object) -> None:
    monkeypatch.setattr(services, "config", replace(services.config, **changes))


async def test_address_and_a_proposals_page(
    app: App, services: Services, data: BoardData, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(services, monkeypatch, board_url=BASE)
    await services.channels.bind(
        str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=str(STAFF)
    )
    await say(
        app,
        group_message("网页", group_id=MEMBER_GROUP),
        f"提案办理进度公开网页：{BASE}/\n年度总览、每件已立案提案的办理进度都在上面。",
    )
    await say(
        app,
        group_message("网页 2", group_id=MEMBER_GROUP),
        f"提案第2号的办理进度：{BASE}/proposals/2026/2",
    )


@pytest.mark.parametrize("number", ["5", "6", "7"])
async def test_no_page_for_hidden_proposals(
    app: App, services: Services, data: BoardData, monkeypatch: pytest.MonkeyPatch, number: str
) -> None:
    configure(services, monkeypatch, board_url=BASE)
    text = await say(app, private_message(f"网页 {number}"))
    assert text == (
        f"提案第{number}号还没有立案，或不对外公开，网页上没有它的页面。"
        f"查看办理进度请发送“查提案 {number}”。"
    )


async def test_no_address_set(app: App, services: Services, data: BoardData) -> None:
    await say(app, private_message("网页"), NO_URL)


async def test_not_public_members_are_told_staff_get_it_without_the_token(
    app: App, services: Services, data: BoardData, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(services, monkeypatch, board_url=BASE, board_public=False, board_token="secret-9")
    await say(app, private_message("网页"), NOT_PUBLIC)
    text = await say(app, private_message("网页 1", user_id=STAFF))
    assert text.startswith(f"提案第1号的办理进度：{BASE}/proposals/2026/1\n")
    assert "secret-9" not in text


async def test_help_lists_it(app: App, services: Services) -> None:
    text = await say(app, private_message("帮助 网页"))
    assert text.startswith("网页 [17]\n办理进度公开网页的地址")
