"""A number followed by punctuation (`查提案 2。`, very common) is still a number, in every
command that takes numbers (issue 9 item 9); a year typed explicitly is not "corrected"
to the year before it (issue 9 item 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from tests.utils import MEMBER_GROUP, STAFF_GROUP, ReplyTo, group_message, private_message, say
from tests.workflow_utils import COSIGNER, PROPOSER, STAFF, add_record

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def test_query_with_a_full_stop(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services)
    await add_record(services)
    for typed in ("查提案 2。", "查提案 2.", "查提案 第2号！", "查提案 2？"):
        event = private_message(typed, user_id=PROPOSER)
        await say(app, event, ReplyTo(event, starts_with=f"提案第2号{T}"))


async def test_workflow_numbers_ranges_and_lists_with_punctuation(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    for _ in range(4):
        await add_record(services)
    await say(
        app,
        group_message("立案 1。", user_id=STAFF, group_id=STAFF_GROUP),
        f"已立案：提案第1号{T}，类别：生态文明建设。已通知提案人张三。下一步：交办 1 主办 单位名称",
    )
    await say(
        app,
        group_message("立案 2-3。", user_id=STAFF, group_id=STAFF_GROUP),
        "立案：2件，完成2件\n· 第2号：已立案（生态文明建设）\n· 第3号：已立案（生态文明建设）",
    )
    await say(
        app,
        group_message("不立案 4。 不属于受理范围", user_id=STAFF, group_id=STAFF_GROUP),
        f"提案第4号{T}不予立案，理由：不属于受理范围。已一对一告知提案人张三。",
    )
    assert [(await services.records.get(n)).status for n in (1, 2, 3, 4)] == [
        RecordStatus.ACCEPTED,
        RecordStatus.ACCEPTED,
        RecordStatus.ACCEPTED,
        RecordStatus.REJECTED,
    ]


async def test_cosign_with_a_full_stop(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services)
    await say(
        app,
        group_message("附议 1。", user_id=COSIGNER, group_id=MEMBER_GROUP, card="农业界-李四"),
        f"已附议提案第1号{T}，您已列为联名人，目前联名1人。",
    )


async def test_a_typed_year_is_not_replaced_by_the_year_before(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    year = services.records.current_year()
    await say(
        app,
        private_message(f"查提案 {year - 1}-1", user_id=PROPOSER),
        f"没有找到提案{year - 1}年第1号。请检查年份和编号；今年的第1号直接写 1。",
    )
    await say(
        app,
        private_message("查提案 7", user_id=PROPOSER),
        f"没有找到提案第7号。请检查编号；查看往年的请写成 {year - 1}-7。",
    )
