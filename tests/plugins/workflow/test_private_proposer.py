"""A proposal submitted privately: replies that others may read (a unit group, a refusal to
another member) never name its proposer; the proposer is still told one-to-one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import AnswerCategory, RecordStatus, Unit
from bot.core.workflow.parsing import AssignSpec
from tests.utils import MEMBER_GROUP, UNIT_GROUP, group_message, say
from tests.workflow_utils import (
    EDU,
    EDU_CONTACT,
    MEMBER,
    PROPOSER,
    STAFF,
    add_record,
    private_texts,
    requester,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def assigned_private(services: Services) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED, private=True)
    await services.proposals.assign("1", await requester(services, STAFF), AssignSpec(EDU, []))


async def test_unit_group_replies_do_not_name_a_private_proposer(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned_private(services)
    consulted = await say(
        app,
        group_message("沟通 1 电话 3月1日 听取了意见", group_id=UNIT_GROUP, user_id=EDU_CONTACT),
        "已记录县教育局与提案人就提案第1号的沟通（电话，2026年3月1日），已告知提案人。"
        "办理完毕请发送：答复 1 A|B|C 答复内容",
    )
    answered = await say(
        app, group_message("答复 1 A 已建成", group_id=UNIT_GROUP, user_id=EDU_CONTACT)
    )
    assert answered.startswith("已记录提案第1号的答复：A类")
    assert "已一对一通知提案人，评价期限" in answered
    assert "张三" not in consulted + answered
    told = await private_texts(services, PROPOSER)
    assert any(text.startswith("【办理协商】县教育局") for text in told)
    assert any("答复内容：已建成" in text for text in told)


async def test_refusals_to_others_do_not_name_a_private_proposer(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await assigned_private(services)
    await services.proposals.answer(
        "1", await requester(services, EDU_CONTACT), AnswerCategory.A, "已建成"
    )
    await say(
        app,
        group_message("评价 1 满意", group_id=MEMBER_GROUP, user_id=MEMBER),
        "只有提案第1号的领衔提案人可以评价答复。联名委员的意见可以请领衔提案人一并反映。",
    )
    assert (await services.records.get(1)).status == RecordStatus.ANSWERED


async def test_public_proposals_still_name_their_proposer(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await services.proposals.assign("1", await requester(services, STAFF), AssignSpec(EDU, []))
    answered = await say(
        app, group_message("答复 1 A 已建成", group_id=UNIT_GROUP, user_id=EDU_CONTACT)
    )
    assert "已一对一通知提案人张三" in answered


async def test_withdraw_refusal_does_not_name_a_private_proposer(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, private=True)
    refused = await say(app, group_message("撤回 1", group_id=MEMBER_GROUP, user_id=MEMBER))
    assert refused.startswith("只有提出人可以撤回")
    assert "张三" not in refused
    assert (await services.records.get(1)).status == RecordStatus.SUBMITTED
