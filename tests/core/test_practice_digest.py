"""The monthly digest (月报, staff group) has its own section for key proposals: their state,
supervising leader (重点 … 督办) and 督办 activities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import ChannelKind, RecordStatus
from bot.core.workflow.common import Requester
from bot.core.workflow.practice_parsing import KeySpec
from tests.core.schedule_data import add_record, set_local, text_of
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services

STAFF_GROUP = "900004"
STAFF = "30001"


async def test_monthly_digest_lists_key_proposals(services: Services, clock: FakeClock) -> None:
    set_local(clock, 2026, 11, 10, 10)
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="1")
    await services.members.set_staff(STAFF, True, display_name="王秘书")
    staff = Requester(await services.members.identify(STAFF))
    key = await add_record(services, "关于重点事项的建议", status=RecordStatus.ACCEPTED)
    await add_record(services, "关于普通事项的建议", status=RecordStatus.ACCEPTED)
    await services.proposals.set_key(str(key.number), staff, KeySpec(leader="李副主席"))
    await services.proposals.supervise(str(key.number), staff, "座谈 召集相关部门座谈")
    set_local(clock, 2026, 12, 1, 9)
    await services.digests.run_due()
    row = next(r for r in await outbox_rows(services, "digest") if r.target_id == STAFF_GROUP)
    text = text_of(row)
    assert "重点提案（1件）：" in text
    assert (
        f"· 提案第{key.number}号《关于重点事项的建议》：已立案，李副主席督办，督办活动 1 次" in text
    )
    assert "关于普通事项的建议" not in text
