"""交办: units, assisting units, deadlines in every accepted form, reasons, bulk, notes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.models import RecordStatus, Unit
from tests.utils import STAFF_GROUP, UNIT_GROUP, group_message, local_morning, private_message, say
from tests.workflow_utils import (
    EDU_CONTACT,
    FIN_CONTACT,
    PROPOSER,
    STAFF,
    add_record,
    outbox,
    private_texts,
)

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services

T = "《关于加快推进农村生活污水治理的建议》"


async def test_assign_with_assisting_units_and_working_days(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        group_message(
            "交办 1 主办 县教育局 会办 县财政局,县住建局 时限 30个工作日",
            user_id=STAFF,
            group_id=STAFF_GROUP,
        ),
        f"已交办提案第1号{T}\n主办：县教育局；会办：县财政局、县住建局\n"
        "答复时限：30个工作日（至2026年4月14日）\n"  # Qingming: 04-06 is a holiday
        "县住建局还没有联系人，交办通知未能发出。请发送：单位 联系人 县住建局 @联系人",
    )
    assert len(await private_texts(services, EDU_CONTACT)) == 1
    assert len(await private_texts(services, FIN_CONTACT)) == 1
    assert "已交办" in (await private_texts(services, PROPOSER))[0]
    # issue 9, item 12: ONE short message in the unit group, @-ing every contact concerned
    (in_group,) = [m for m in await outbox(services) if m.target_id == str(UNIT_GROUP)]
    mentions = [p["user_id"] for p in in_group.parts if p["type"] == "mention"]
    assert mentions == [EDU_CONTACT, FIN_CONTACT]
    said = in_group.parts[-1]["text"]
    assert said == (
        f"【提案交办】提案第1号{T}交由县教育局主办，县财政局、县住建局会办，"
        "答复时限2026年4月14日。交办通知和提案内容已私聊发给各单位联系人，请查看。"
    )


async def test_rehandling_sends_one_group_message_and_one_private_message_each(
    app: App, services: Services, units: dict[str, Unit], clock: FakeClock
) -> None:
    """交办 again (交办调整) repeats neither the excerpt in the group nor a message per unit."""
    await add_record(services, status=RecordStatus.ACCEPTED)
    command = "交办 1 主办 县教育局 会办 县财政局"
    done = "主办：县教育局；会办：县财政局\n答复时限：2026年6月2日（交办后3个月）\n已通知承办单位联系人和提案人。"
    await say(
        app,
        group_message(command, user_id=STAFF, group_id=STAFF_GROUP),
        f"已交办提案第1号{T}\n{done}",
    )
    before = len(await outbox(services))
    clock.advance(timedelta(minutes=5))
    await say(
        app,
        group_message(command, user_id=STAFF, group_id=STAFF_GROUP),
        f"已交办（交办调整）提案第1号{T}\n{done}",
    )
    again = (await outbox(services))[before:]
    assert sorted((m.target_type, m.target_id) for m in again) == [
        ("group", str(UNIT_GROUP)),
        ("private", PROPOSER),
        ("private", EDU_CONTACT),
        ("private", FIN_CONTACT),
    ]
    group_text = next(m for m in again if m.target_type == "group").parts[-1]["text"]
    assert group_text.startswith("【提案交办（交办调整）】提案第1号")
    assert "提案人" not in group_text
    assert "建议：" not in group_text


async def test_assign_unknown_unit_suggests(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        private_message("交办 1 主办 教育局", user_id=STAFF),
        "没有“教育局”这个单位。您是不是要找：县教育局？如确是新单位，请先发送：单位 添加 教育局",
    )
    assert (await services.records.get(1)).status == RecordStatus.ACCEPTED


async def test_long_deadline_needs_reason(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        private_message("交办 1 主办 县教育局 时限 2026-12-31", user_id=STAFF),
        "答复时限2026年12月31日超过6个月，须写明延长理由。请在时限后加“理由 ……”，"
        "例如：交办 1 主办 县教育局 时限 2026-12-31 理由 涉及跨年度预算安排",
    )
    await say(
        app,
        private_message(
            "交办 1 主办 县教育局 时限 2026-12-31 理由 涉及跨年度预算安排", user_id=STAFF
        ),
        f"已交办提案第1号{T}\n主办：县教育局\n答复时限：2026年12月31日（理由：涉及跨年度预算安排）\n"
        "已通知承办单位联系人和提案人。",
    )


async def test_assign_several_and_month_day_form(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    await add_record(services, status=RecordStatus.ACCEPTED)
    await say(
        app,
        private_message("交办 1 2 主办 县教育局 时限 5月29日", user_id=STAFF),
        "交办：2件，完成2件\n· 第1号：已交办（主办：县教育局；时限 2026年5月29日）\n"
        "· 第2号：已交办（主办：县教育局；时限 2026年5月29日）",
    )


async def test_assign_into_a_year_without_holidays_says_so_once(
    app: App, services: Services, units: dict[str, Unit], clock: FakeClock
) -> None:
    clock.set(local_morning(date(2026, 11, 26)))
    await add_record(services, status=RecordStatus.ACCEPTED)
    await add_record(services, status=RecordStatus.ACCEPTED)
    note = (
        "注意：2027年的法定节假日和调休安排尚未录入，期限按周一至周五计算，可能不准。"
        "国务院公布安排后，请在 data/holidays.toml 中按文件开头的说明补上2027年的放假日（holidays）"
        "和调休上班日（workdays），写上 complete = true，重启机器人后生效。"
    )
    await say(
        app,
        private_message("交办 1 2 主办 县教育局", user_id=STAFF),
        "交办：2件，完成2件\n· 第1号：已交办（主办：县教育局；时限 2027年2月26日）\n"
        f"· 第2号：已交办（主办：县教育局；时限 2027年2月26日）\n{note}",
    )


async def test_assign_bad_deadline(app: App, services: Services, units: dict[str, Unit]) -> None:
    await add_record(services, status=RecordStatus.ACCEPTED)
    from bot.core.schedule.deadlines import ACCEPTED_FORMS_HINT

    await say(
        app,
        private_message("交办 1 主办 县教育局 时限 3月", user_id=STAFF),
        "时限“3月”有误：“3月”是指几月份还是几个月？时长请写“3个月”，日期请写到哪一天，如“3月31日”。"
        + ACCEPTED_FORMS_HINT,
    )
