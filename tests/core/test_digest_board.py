"""Issue 12 in the digests: the monthly staff digest carries the units' table (from
services.stats) and links to the board; the daily digest links new filed proposals to their
board pages only when the board is public (BOARD_URL + BOARD_PUBLIC)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind, RecordStatus
from bot.core.schedule.digests.links import BoardLinks
from tests.core.schedule_data import add_record, set_local, text_of
from tests.stats_data import handled_year
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bot.core.clock import FakeClock
    from bot.core.services import Services

WHOLE, STAFF = "900001", "900004"
BOARD = "https://zx.example.gov.cn/"


@pytest.fixture
def board(services: Services) -> Iterator[None]:
    services.digests.board = BoardLinks(BOARD, public=True)
    yield
    services.digests.board = BoardLinks(services.config.board_url, services.config.board_public)


async def _bind(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 1, 5)
    for group, kind in ((WHOLE, ChannelKind.WHOLE), (STAFF, ChannelKind.STAFF)):
        await services.channels.bind(group, kind, sector=None, bound_by="1")


async def _digest(services: Services, group: str) -> str:
    rows = [r for r in await outbox_rows(services, "digest") if r.target_id == group]
    return "\n".join(text_of(r) for r in rows)


async def test_monthly_carries_the_units_table(
    services: Services, clock: FakeClock, board: None
) -> None:
    await _bind(services, clock)
    await handled_year(services, clock)
    set_local(clock, 2026, 4, 1, 9)  # the first working day of April: March's digest
    await services.digests.run_due()
    text = await _digest(services, STAFF)
    assert "2026年承办单位办理情况（主办）：" in text
    # the same lines as 统计 单位 (tests/plugins/stats): one function computes them
    assert "· 县教育局：3｜2/1｜0｜1/1/1｜50.0%（1/2）｜12.3" in text
    assert "· 县财政局：1｜0/1｜0｜1/0/0｜100.0%（1/1）｜9.0" in text
    assert "办理进度公开平台：https://zx.example.gov.cn" in text


async def test_daily_links_filed_public_proposals_only(
    services: Services, clock: FakeClock, board: None
) -> None:
    await _bind(services, clock)
    set_local(clock, 2026, 3, 2, 15)
    filed = await add_record(services, "已立案的", status=RecordStatus.ACCEPTED)
    await add_record(services, "刚提交的")
    await add_record(services, "私聊立案的", status=RecordStatus.ACCEPTED, private=True)
    set_local(clock, 2026, 3, 3, 9)
    await services.digests.run_due()
    text = await _digest(services, WHOLE)
    link = f"https://zx.example.gov.cn/proposals/2026/{filed.number}"
    assert f"《已立案的》——张三（农业界）（已立案） {link}\n" in text
    assert "《刚提交的》——张三（农业界）\n" in text  # not on the board yet: no link
    assert text.count("https://") == 1


async def test_no_links_when_the_board_is_not_public(services: Services, clock: FakeClock) -> None:
    services.digests.board = BoardLinks(BOARD, public=False)
    try:
        await _bind(services, clock)
        set_local(clock, 2026, 3, 2, 15)
        await add_record(services, "已立案的", status=RecordStatus.ACCEPTED)
        set_local(clock, 2026, 3, 3, 9)
        await services.digests.run_due()
        assert "https://" not in await _digest(services, WHOLE)
    finally:
        services.digests.board = BoardLinks()
