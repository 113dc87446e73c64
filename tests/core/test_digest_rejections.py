"""Members' digests announce new items and positive progress only; rejections (不予立案, 未采用)
and withdrawals are told to the member privately and counted in the staff digest alone (issue 9,
item 15). Private submissions are counted by what really happened to them.

Before, the daily digest listed `（不予立案）`, `：未采用` and `：已撤回` lines in the whole-body
group, and said `另有 1 件私聊提交的事项有新进展` of a private item that was only submitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind, DigestKind, RecordStatus
from bot.core.records.kinds import RecordKind
from tests.core.schedule_data import add_record, change, set_local, text_of
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

WHOLE = "930001"
AGRI = "930002"
STAFF = "930004"
S = RecordStatus
NEGATIVE_WORDS = ("不予立案", "未采用", "已撤回", "撤回")


@pytest.fixture
async def groups(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 1, 5)
    bind = services.channels.bind
    await bind(WHOLE, ChannelKind.WHOLE, sector=None, bound_by="1", group_name="委员群")
    await bind(AGRI, ChannelKind.SECTOR, sector="农业界", bound_by="1", group_name="农业界群")
    await bind(STAFF, ChannelKind.STAFF, sector=None, bound_by="1", group_name="机关群")


async def a_week_of_mixed_news(services: Services, clock: FakeClock) -> None:
    """Records from before the window that were decided during it, and new ones."""
    set_local(clock, 2026, 11, 2, 10)
    old_rejected = await add_record(services, "关于旧提案甲的建议")
    old_withdrawn = await add_record(services, "关于旧提案乙的建议")
    old_opinion = await add_record(services, "关于旧信息丙的反映", kind=RecordKind.OPINION)
    old_accepted = await add_record(services, "关于旧提案丁的建议")
    old_private = await add_record(services, "私下的旧提案", private=True)
    old_private_rejected = await add_record(services, "私下被拒的提案", private=True)
    set_local(clock, 2026, 11, 18, 10)
    await change(services, old_rejected, S.REJECTED)
    await change(services, old_withdrawn, S.WITHDRAWN)
    await change(services, old_opinion, S.NOT_ADOPTED)
    await change(services, old_accepted, S.ACCEPTED)
    await change(services, old_private, S.ACCEPTED)
    await change(services, old_private_rejected, S.REJECTED)
    new_rejected = await add_record(services, "关于新提案戊的建议")
    await change(services, new_rejected, S.REJECTED)
    await add_record(services, "关于新提案己的建议")
    await add_record(services, "私下的新提案", private=True)


async def test_the_daily_digest_names_no_rejection_and_counts_private_items_truly(
    services: Services, clock: FakeClock, groups: None
) -> None:
    await a_week_of_mixed_news(services, clock)
    set_local(clock, 2026, 11, 19, 9)
    await services.digests.run_due()
    (row,) = [r for r in await outbox_rows(services, "digest") if r.target_id == WHOLE]
    text = text_of(row)
    for word in NEGATIVE_WORDS:
        assert word not in text
    for title in ("旧提案甲", "旧提案乙", "旧信息丙", "新提案戊", "私下"):
        assert title not in text
    assert "《关于旧提案丁的建议》：已立案" in text
    assert "《关于新提案己的建议》——张三（农业界）" in text
    assert "另有私聊提交的事项：新提交 1 件、有新进展 1 件，提交人可发送“我的”查看。" in text


async def test_the_weekly_sector_digest_too(
    services: Services, clock: FakeClock, groups: None
) -> None:
    await a_week_of_mixed_news(services, clock)
    set_local(clock, 2026, 11, 23, 9)  # the Monday after
    await services.digests.run_due()
    (row,) = [r for r in await outbox_rows(services, "digest") if r.target_id == AGRI]
    text = text_of(row)
    for word in NEGATIVE_WORDS:
        assert word not in text
    for title in ("旧提案甲", "旧提案乙", "旧信息丙", "新提案戊", "私下"):
        assert title not in text
    assert "《关于旧提案丁的建议》（张三）：已立案" in text
    assert "另有私聊提交的事项：新提交 1 件、有新进展 1 件。" in text


async def test_only_a_private_submission_is_not_called_progress(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 11, 24, 15)
    await add_record(services, "私下提交的提案", private=True)
    set_local(clock, 2026, 11, 25, 9)
    await services.digests.run_due()
    (row,) = [r for r in await outbox_rows(services, "digest") if r.target_id == WHOLE]
    assert "有新进展" not in text_of(row)
    assert "另有私聊提交的事项：新提交 1 件，提交人可发送“我的”查看。" in text_of(row)


async def test_a_day_of_rejections_alone_sends_no_members_digest(
    services: Services, clock: FakeClock, groups: None
) -> None:
    set_local(clock, 2026, 11, 2, 10)
    record = await add_record(services, "关于旧提案甲的建议")
    set_local(clock, 2026, 11, 24, 15)
    await change(services, record, S.REJECTED)
    set_local(clock, 2026, 11, 25, 9)
    outcomes = {(o.kind, o.group_id): o.status for o in await services.digests.run_due()}
    assert outcomes[(DigestKind.DAILY, WHOLE)] == "empty"


async def test_the_staff_digest_counts_rejections_and_withdrawals(
    services: Services, clock: FakeClock, groups: None
) -> None:
    await a_week_of_mixed_news(services, clock)
    set_local(clock, 2026, 12, 1, 9)  # the first working day of December
    await services.digests.run_due()
    (row,) = [r for r in await outbox_rows(services, "digest") if r.target_id == STAFF]
    text = text_of(row)
    assert "· 不予立案 3 件，撤回 1 件；社情民意信息未采用 1 件" in text
    assert "旧提案甲" not in text  # counted, not named
