"""并案: one or several into another; refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from tests.utils import private_message, say
from tests.workflow_utils import STAFF, add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_merge_several_into_one(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, title="甲")
    await add_record(services, title="乙", user_id="20002", name="李四")
    await add_record(services, title="丙", user_id="20003", name="王五")
    await say(
        app,
        private_message("并案 2 3 到 1", user_id=STAFF),
        "并案：2件，完成2件\n· 第2号：已并入第1号（联名人增加：李四）\n"
        "· 第3号：已并入第1号（联名人增加：王五）",
    )
    for number in (2, 3):
        record = await services.records.get(number)
        assert (record.status, record.merged_into_id) == (RecordStatus.MERGED, 1)


async def test_merge_needs_a_target(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services)
    await say(
        app,
        private_message("并案 1", user_id=STAFF),
        "请写明并入哪一件。用法：并案 17 到 9（把第17号并入第9号；多件可写 并案 17 18 到 9）",
    )
