"""撤回: only the proposer, only before review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import ChannelKind, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor
from bot.core.workflow.states import Action
from tests.intake_helpers import (
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_REWORDED,
    SEWAGE_REWORDED_TITLE,
    SEWAGE_TITLE,
    register,
    submit,
)
from tests.utils import (
    GROUP,
    SUPERUSER,
    group_message,
    make_bot,
    private_message,
    reply_of,
    reply_to,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_proposer_withdraws_and_index_forgets(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    record = await submit(services, zhang, SEWAGE_TITLE, SEWAGE)
    found = await services.similarity.similar(
        RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
    )
    assert [s.record.id for s in found] == [record.id]
    event = group_message("撤回 1", user_id=20001, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(event, f"已撤回提案第1号《{SEWAGE_TITLE}》。如需修改后重新提交，请重新发送。"),
            result={"message_id": 1},
        )
    assert (await services.records.get(record.id or 0)).status == RecordStatus.WITHDRAWN
    assert (
        await services.similarity.similar(
            RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
        )
        == []
    )


async def test_withdraw_by_replying_to_the_confirmation(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    record = await submit(services, zhang, LIFT_TITLE, LIFT, private=True)
    await services.intake.remember_confirmation(record, 6001)
    event = private_message("撤回", user_id=20001, reply=reply_to(6001, "已登记"))
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(event, f"已撤回提案第1号《{LIFT_TITLE}》。如需修改后重新提交，请重新发送。"),
            result={"message_id": 1},
        )


async def test_refusals(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    await register(services, "20002", "李四")
    first = await submit(services, zhang, LIFT_TITLE, LIFT)
    await submit(services, zhang, SEWAGE_TITLE, SEWAGE)
    await services.records.change(first, Action.ACCEPT, Actor("30001", "王秘书"))
    cases = [
        (
            private_message("撤回 2", user_id=20002),
            "只有提出人张三可以撤回提案第2号。如需查看，请发送“查提案 2”。",
        ),
        (
            private_message("撤回 1", user_id=20001),
            "提案第1号当前状态是“已立案”，只有尚未审核（已提交）的才能撤回。如确需撤回，请联系机关工作人员。",
        ),
        (
            private_message("撤回", user_id=20001),
            "请写编号，例如：撤回 17（社情民意写“民意 5”，议题写“议题 3”）",
        ),
    ]
    for event, answer in cases:
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})
    assert (await services.records.get(first.id or 0)).status == RecordStatus.ACCEPTED
