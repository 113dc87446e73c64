"""答复: the lead unit's contact answers; the proposer is told one-to-one how to evaluate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from bot.core.workflow.parsing import AssignSpec
from tests.utils import STAFF_GROUP, private_message, say
from tests.workflow_utils import (
    EDU,
    EDU_CONTACT,
    FIN,
    FIN_CONTACT,
    PROPOSER,
    STAFF,
    add_record,
    group_texts,
    private_texts,
    requester,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def assigned(services: Services) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await services.proposals.assign("1", await requester(services, STAFF), AssignSpec(EDU, [FIN]))


async def test_unit_answers_and_member_is_told(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        private_message("答复 1 B 已列入明年计划", user_id=EDU_CONTACT),
        "已记录提案第1号的答复：B类（正在解决或列入计划解决）。"
        "已一对一通知提案人张三，评价期限2026年3月23日（15个工作日）。"
        "\n注意：答复前没有记录与提案人的沟通（办理协商）。",
    )
    told = (await private_texts(services, PROPOSER))[-1]
    assert "答复内容：已列入明年计划" in told
    assert "评价 1 满意 / 评价 1 基本满意 / 评价 1 不满意 您的意见" in told
    assert (await group_texts(services, str(STAFF_GROUP)))[-1].startswith("县教育局已答复提案第1号")


async def test_answer_needs_a_category(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        private_message("答复 1 已经办好了", user_id=EDU_CONTACT),
        "请写明答复类别 A、B 或 C。用法：答复 17 A|B|C 答复内容（A 已解决或基本解决，B 正在解决或列入计划，C 留作参考）",
    )
    assert (await services.records.get(1)).status == RecordStatus.ASSIGNED


async def test_assisting_unit_is_pointed_to_progress(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned(services)
    await say(
        app,
        private_message("答复 1 A", user_id=FIN_CONTACT),
        "县财政局是提案第1号的会办单位，答复由主办单位县教育局提交。会办意见请发送：进展 1 意见内容",
    )
