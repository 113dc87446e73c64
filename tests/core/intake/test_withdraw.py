"""WithdrawalService (bot/core/intake/withdraw.py): 撤回."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import (
    ChannelKind,
    RecordStatus,
)
from bot.core.records.service import Actor
from bot.core.workflow.states import Action
from tests.intake_helpers import (
    GROUP,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    STAFF_GROUP,
    group_source,
    outbox_rows,
    post,
    register,
)

if TYPE_CHECKING:
    from bot.core.services import Services


async def test_withdraw_rules(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="10001")
    record = (
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
    ).record
    await services.cosigns.cosign(record, li, source="private")
    with pytest.raises(PermissionDenied, match="只有提出人张三可以撤回"):
        await services.withdrawals.withdraw(record, li, source="private")

    withdrawn = await services.withdrawals.withdraw(record, zhang, source=f"group:{GROUP}")
    assert withdrawn.status == RecordStatus.WITHDRAWN
    timeline = await services.records.timeline(record.id or 0, include_internal=True)
    assert timeline[-1].action == "withdraw"
    assert timeline[-1].to_status == "withdrawn"
    with pytest.raises(InvalidInput, match=r"已撤回.*只有尚未审核"):
        await services.withdrawals.withdraw(withdrawn, zhang, source="private")
    told = {(m.purpose, m.target_id) for m in await outbox_rows(services)}
    assert ("intake_withdrawn", STAFF_GROUP) in told
    assert ("withdraw_notice", "20002") in told

    other = (
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
    ).record
    accepted = await services.records.change(other, Action.ACCEPT, Actor.system())
    with pytest.raises(InvalidInput, match="已立案"):
        await services.withdrawals.withdraw(accepted, zhang, source="private")
