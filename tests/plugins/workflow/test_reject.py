"""不立案: the reason goes to the member; 转社情民意 creates a linked opinion lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.utils import STAFF_GROUP, group_message, private_message, say
from tests.workflow_utils import PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def test_reject_and_convert(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services)
    await say(
        app,
        group_message(
            "不立案 1 不属于提案受理范围 转社情民意", user_id=STAFF, group_id=STAFF_GROUP
        ),
        f"提案第1号{T}不予立案，理由：不属于提案受理范围。已转为社情民意信息第1号（采用 1 / 未采用 1）。"
        "已一对一告知提案人张三。",
    )
    opinion = await services.records.resolve(RecordKind.OPINION, "1")
    assert opinion.linked_record_id == 1
    (told,) = await private_texts(services, PROPOSER)
    assert "理由：不属于提案受理范围。已转为社情民意信息第1号" in told


async def test_reject_with_reason_word(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services)
    await say(
        app,
        private_message("不予立案 1 理由：重复提交", user_id=STAFF),
        f"提案第1号{T}不予立案，理由：重复提交。已一对一告知提案人张三。",
    )
    assert (await services.records.get(1)).status == RecordStatus.REJECTED


async def test_reject_without_reason(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services)
    await say(
        app,
        private_message("不立案 1 转社情民意", user_id=STAFF),
        "不立案需要写明理由，提案人会收到这个理由。例如：不立案 1 不属于政协提案受理范围 转社情民意",
    )
    assert (await services.records.get(1)).status == RecordStatus.SUBMITTED
