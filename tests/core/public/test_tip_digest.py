"""The weekly sector digest carries the public's proposal tips approved in its week (提案选题
参考); pending, hidden and older tips stay out; tips alone are news enough to send it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import ChannelKind, DigestKind
from bot.core.records.service import Actor
from tests.core.schedule_data import set_local, text_of
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

AGRI = "900002"
ADDRESS = "198.51.100.20"


def tip(matter: str) -> dict[str, str]:
    return {
        "matter": matter,
        "place": "城关镇",
        "suggestion": "建议有关部门研究解决",
        "category": "",
        "name": "",
        "contact": "",
    }


async def test_weekly_digest_lists_tips_approved_that_week(
    services: Services, clock: FakeClock
) -> None:
    set_local(clock, 2026, 1, 5)
    await services.channels.bind(
        AGRI, ChannelKind.SECTOR, sector="农业界", bound_by="1", group_name="农业界群"
    )
    staff = Actor("30001", "王秘书")
    review = services.moderation.review
    set_local(clock, 2026, 11, 10, 10)  # the week before
    await services.public.tip(ADDRESS, tip("上周通过的线索"), [])
    await review(["L1"], approve=True, actor=staff)
    set_local(clock, 2026, 11, 17, 10)
    await services.public.tip(ADDRESS, tip("本周通过的线索"), [])
    await services.public.tip(ADDRESS, tip("本周隐藏的线索"), [])
    await services.public.tip(ADDRESS, tip("还在待审的线索"), [])
    await review(["L2"], approve=True, actor=staff)
    await review(["L3"], approve=False, actor=staff)
    set_local(clock, 2026, 11, 23, 9)  # Monday
    outcomes = [o for o in await services.digests.run_due() if o.kind is DigestKind.WEEKLY]
    assert [o.status for o in outcomes] == ["sent"]
    [row] = await outbox_rows(services, "digest")
    text = text_of(row)
    assert "提案选题参考·本周新增群众线索（1）：" in text
    assert "L2. 本周通过的线索（城关镇）" in text
    assert "上周通过的线索" not in text
    assert "本周隐藏的线索" not in text
    assert "还在待审的线索" not in text
