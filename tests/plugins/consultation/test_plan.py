"""列入计划 and 协商计划 by chat command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import Record, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.utils import MEMBER_GROUP, STAFF_GROUP, at, group_message, private_message, say, text
from tests.workflow_utils import COSIGNER, EDU_CONTACT, PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

TOPIC = "关于推进农村人居环境整治的协商议题"
PLAN = "列入计划 1 专题协商 牵头 李副主席 责任 县教育局 时限 2026-06-30"


async def topic(services: Services, **options: object) -> None:
    await add_record(
        services,
        kind=RecordKind.TOPIC,
        title=TOPIC,
        cosigners=[(COSIGNER, "李四")],
        **options,  # type: ignore[arg-type]
    )


async def make_private(services: Services, record_id: int) -> None:
    """As if the topic had been posted to the bot privately."""
    async with services.db.session() as session:
        record = await session.get(Record, record_id)
        assert record is not None
        record.source_kind = "private"
        session.add(record)
        await session.commit()


async def test_plan_tells_proposer_supporters_and_unit(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await topic(services)
    await say(
        app,
        group_message(PLAN, user_id=STAFF, group_id=STAFF_GROUP),
        f"议题第1号《{TOPIC}》已列入2026年度协商计划专题协商第1项。牵头领导：李副主席；"
        "责任部门：县教育局；完成时限：2026年6月30日。已通知提出人和1位附议委员。",
    )
    record = await services.records.resolve(RecordKind.TOPIC, "1")
    assert record.status == RecordStatus.PLANNED
    (proposer,) = await private_texts(services, PROPOSER)
    assert proposer.startswith(f"您提出的议题第1号《{TOPIC}》已列入2026年度协商计划专题协商第1项")
    (supporter,) = await private_texts(services, COSIGNER)
    assert supporter.startswith("您支持的议题第1号")
    (unit,) = await private_texts(services, EDU_CONTACT)
    assert unit.startswith("【协商计划】议题第1号")


async def test_plan_numbers_within_forms(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    for _ in range(3):
        await topic(services)
    staff = private_message
    await say(app, staff(PLAN, user_id=STAFF))
    await say(app, staff(PLAN.replace("1 专题协商", "2 调研"), user_id=STAFF))
    reply = await say(app, staff(PLAN.replace("列入计划 1", "列入计划 3"), user_id=STAFF))
    assert "专题协商第2项" in reply
    listing = await say(app, group_message("协商计划 2026", group_id=MEMBER_GROUP))
    assert listing.startswith("2026年度协商计划（2类3项，已办结0项）\n一、专题协商（2项）\n1. ")
    assert "二、调研（1项）\n1. " in listing
    assert "牵头：李副主席｜责任：县教育局｜时限：2026年6月30日｜已列入计划" in listing


async def test_plan_refusals(app: App, services: Services, units: dict[str, Unit]) -> None:
    await topic(services)
    staff = STAFF
    await say(
        app,
        private_message("列入计划 1 座谈 牵头 李副主席", user_id=staff),
        "“座谈”不是协商形式。可以写：常委会议协商、专题协商、主席会议视察、主席约谈、"
        "对口协商、界别协商、提案办理协商、调研。",
    )
    await say(
        app,
        private_message("列入计划 1 专题协商 牵头 李副主席", user_id=staff),
        "请写明责任、时限。用法：列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 "
        "[责任人 张三 或 @张三] 时限 2027-06-30 [题目 计划中的名称]",
    )
    reply = await say(app, private_message(PLAN.replace("2026-06-30", "明年"), user_id=staff))
    assert reply.startswith("时限“明年”有误：")
    await say(
        app,
        private_message("列入计划 专题协商", user_id=staff),
        "“专题协商”不是编号。用法：列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 "
        "[责任人 张三 或 @张三] 时限 2027-06-30 [题目 计划中的名称]",
    )
    await say(
        app,
        group_message(PLAN, user_id=PROPOSER, group_id=MEMBER_GROUP),
        "“列入计划”仅限政协机关工作人员使用。如需办理，请联系机关工作人员。发送“帮助”查看您可以使用的命令。",
    )
    await say(app, private_message(PLAN, user_id=staff))
    await say(
        app,
        private_message(PLAN, user_id=staff),
        "议题第1号当前状态是“已列入计划”，不能列入计划。现在可以：记录活动、记录成果。"
        "例如：议题 活动 1 调研 2027-03-15 参加 委员名单",
    )
    assert await private_texts(services, PROPOSER)  # told once, by the first


async def test_responsible_person_by_mention(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await topic(services)
    message = text(PLAN.replace("县教育局", "县农业农村局") + " 责任人 ") + at(COSIGNER)
    reply = await say(app, group_message(message, user_id=STAFF, group_id=STAFF_GROUP))
    assert "责任部门：县农业农村局；责任人：李四；" in reply
    assert reply.endswith("（“县农业农村局”不是已登记的承办单位，时限提醒将发给责任人或机关群。）")


async def test_private_topic_hidden_from_groups(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    record = await add_record(services, kind=RecordKind.TOPIC, title=TOPIC)
    await make_private(services, record.id or 0)
    await say(app, private_message(PLAN, user_id=STAFF))
    listing = await say(app, group_message("协商计划", group_id=MEMBER_GROUP))
    assert TOPIC not in listing
    assert "另有1项不在群内显示" in listing
    assert TOPIC in await say(app, private_message("协商计划", user_id=STAFF))
