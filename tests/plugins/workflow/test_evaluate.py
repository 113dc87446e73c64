"""评价: the lead proposer, in a group or privately; 不满意 goes back to the staff group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import AnswerCategory, RecordStatus, Unit
from bot.core.workflow.parsing import AssignSpec
from tests.utils import MEMBER_GROUP, STAFF_GROUP, group_message, private_message, say
from tests.workflow_utils import EDU, PROPOSER, STAFF, add_record, group_texts, requester

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def answered(services: Services) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    staff = await requester(services, STAFF)
    await services.proposals.assign("1", staff, AssignSpec(EDU))
    await services.proposals.answer("1", staff, AnswerCategory.B, "列入计划")


async def test_unsatisfied_goes_back_to_staff(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await answered(services)
    await say(
        app,
        group_message("评价 1 不满意，没有回应第二条建议", user_id=PROPOSER, group_id=MEMBER_GROUP),
        "已记录您对提案第1号的评价：不满意，意见：没有回应第二条建议。"
        "提案将重新办理，机关会重新交办，新的答复会再告诉您。",
    )
    record = await services.records.get(1)
    assert (record.status, record.round) == (RecordStatus.REHANDLING, 2)
    assert (await group_texts(services, str(STAFF_GROUP)))[-1].startswith(
        "【不满意】张三对提案第1号"
    )


async def test_evaluate_usage(app: App, services: Services, units: dict[str, Unit]) -> None:
    await answered(services)
    await say(
        app,
        private_message("评价 1 很好", user_id=PROPOSER),
        "请写明“满意”“基本满意”或“不满意”。用法：评价 17 满意｜基本满意｜不满意 [意见]",
    )
    await say(
        app,
        private_message("评价 满意", user_id=PROPOSER),
        "“满意”不是编号。用法：评价 17 满意｜基本满意｜不满意 [意见]",
    )


async def test_evaluate_before_answer(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.ASSIGNED)
    await say(
        app,
        private_message("评价 1 满意", user_id=PROPOSER),
        "提案第1号当前状态是“已交办”，不能评价。收到承办单位的答复后才能评价；"
        "发送“查提案 1”可查看办理进度。",
    )
