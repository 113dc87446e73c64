"""查提案 / 查民意 / 查议题: the record, its co-signers and the timeline the asker may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.clock import format_local
from bot.core.intake import texts
from bot.core.models import ChannelKind
from bot.core.records.service import Actor
from bot.core.workflow.states import Action
from tests.intake_helpers import FOOD, FOOD_TITLE, LIFT, LIFT_TITLE, register, submit
from tests.utils import GROUP, SUPERUSER, group_message, make_bot, private_message, reply_of
from tests.workflow_utils import add_note

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def test_member_sees_record_cosigners_and_public_steps(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    record = await submit(services, zhang, LIFT_TITLE, LIFT)
    await services.cosigns.cosign(record, li, source=f"group:{GROUP}")
    await add_note(services, record, "内部意见", actor=Actor("30001", "王秘书"))
    timeline = await services.records.timeline(record.id or 0, include_internal=False)
    event = group_message("查提案 1", user_id=20003, card="教育界-王五")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                f"提案第1号《{LIFT_TITLE}》\n"
                "状态：已提交\n"
                "提出人：张三（农业界）\n"
                "联名（1人）：李四\n"
                f"类别：{record.category}\n"
                f"关键词：{record.keywords.replace(',', '、')}\n"
                f"提交时间：{format_local(record.created_at)}（群聊）\n"
                f"内容：{LIFT}\n"
                "办理进程：\n"
                f"· {format_local(timeline[0].at)} 提交（张三）：群聊提交\n"
                f"· {format_local(timeline[1].at)} 附议（李四）：李四附议",
            ),
            result={"message_id": 1},
        )


async def test_staff_also_see_internal_steps(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    record = await submit(services, zhang, FOOD_TITLE, FOOD, "#社情民意", private=True)
    changed = await add_note(services, record, "待核实", actor=Actor("30001", "王秘书"))
    await services.members.set_staff("30001", True, display_name="王秘书")
    event = private_message("查民意 1", user_id=30001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                f"社情民意信息第1号《{FOOD_TITLE}》\n"
                "状态：已提交\n"
                "提出人：张三（农业界）\n"
                "联名：暂无\n"
                f"类别：{record.category}\n"
                f"关键词：{record.keywords.replace(',', '、')}\n"
                f"提交时间：{format_local(record.created_at)}（私聊）\n"
                f"内容：{FOOD}\n"
                "办理进程（含内部记录）：\n"
                f"· {format_local(record.created_at)} 提交（张三）：私聊提交\n"
                f"· {format_local(changed.updated_at)} 〔内部〕记录（王秘书）：待核实",
            ),
            result={"message_id": 1},
        )


async def test_private_record_is_not_shown_in_a_group(app: App, services: Services) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    zhang = await register(services, "20001", "张三")
    await submit(services, zhang, LIFT_TITLE, LIFT, private=True)
    event = group_message("查提案 1", user_id=20001, card="农业界-张三")
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event, "提案第1号是私聊提交的，不在群里显示。请私聊机器人发送“查提案 1”查看。"
            ),
            result={"message_id": 1},
        )


async def test_merged_record_points_to_the_target(app: App, services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    target = await submit(services, zhang, LIFT_TITLE, LIFT)
    merged = await submit(services, zhang, FOOD_TITLE, FOOD)

    def into_target(record) -> None:  # type: ignore[no-untyped-def]
        record.merged_into_id = target.id

    await services.records.change(
        merged, Action.MERGE, Actor("30001", "王秘书"), mutate=into_target
    )
    fresh = await services.records.get(merged.id or 0)
    detail = await services.queries.detail(fresh, await services.members.identify("20001"))
    event = private_message("查提案 第2号", user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(
            event,
            reply_of(
                event,
                "提案第2号已并入提案第1号一并办理，办理情况请发送“查提案 1”。\n"
                + texts.detail_text(detail, services.records.current_year()),
            ),
            result={"message_id": 1},
        )
    assert "状态：已并入" not in texts.detail_text(detail, services.records.current_year())
    assert "状态：已并案" in texts.detail_text(detail, services.records.current_year())


async def test_missing_number_and_unknown_record(app: App, services: Services) -> None:
    year = services.records.current_year()
    await register(services, "20001", "张三")
    cases = [
        ("查提案", f"请写提案编号，例如：查提案 17（往年的写成 {year - 1}-17）"),
        ("查议题 8", f"没有找到议题第8号。请检查编号；查看往年的请写成 {year - 1}-8。"),
        ("查提案 abc", "“abc”不是提案编号。请写编号，例如 17、第17号，或带年份的 2026-17。"),
    ]
    for text, answer in cases:
        event = private_message(text, user_id=20001)
        async with app.test_matcher() as ctx:
            bot = make_bot(ctx)
            ctx.receive_event(bot, event)
            ctx.should_call_send(event, reply_of(event, answer), result={"message_id": 1})
