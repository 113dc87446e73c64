"""议题 活动 / 成果 / 批示 / 落实 / 办结 / 录入 by chat command, and their refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.core.consultation.queries import entries, item_of
from bot.core.models import PlanEntryKind, RecordStatus, Unit
from bot.core.records.kinds import RecordKind
from tests.utils import MEMBER_GROUP, STAFF_GROUP, group_message, private_message, say
from tests.workflow_utils import COSIGNER, PROPOSER, STAFF, add_record, private_texts

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

TOPIC = "关于推进农村人居环境整治的协商议题"
HEAD = f"议题第1号《{TOPIC}》（2026年度协商计划专题协商第1项）"
PLAN = "列入计划 1 专题协商 牵头 李副主席 责任 县教育局 时限 2026-06-30"


async def planned(app: App, services: Services) -> None:
    await add_record(services, kind=RecordKind.TOPIC, title=TOPIC, cosigners=[(COSIGNER, "李四")])
    await say(app, private_message(PLAN, user_id=STAFF))


async def test_life_cycle(app: App, services: Services, units: dict[str, Unit]) -> None:
    await planned(app, services)
    await say(
        app,
        private_message(
            "议题 活动 1 调研 2026-03-15 参加 张三、李四 内容 走访5个乡镇", user_id=STAFF
        ),
        f"{HEAD}已记录协商活动：调研（2026年3月15日），参加：张三、李四。",
    )
    await say(
        app,
        group_message("议题活动 1 座谈 3月20日", user_id=STAFF, group_id=STAFF_GROUP),
        f"{HEAD}已记录协商活动：座谈（2026年3月20日）。",
    )
    report = MessageSegment.text(
        "议题 成果 1 建议案 关于改善农村人居环境的建议案"
    ) + MessageSegment("file", {"name": "建议案.docx", "url": "http://files.example/1"})
    await say(
        app,
        private_message(Message(report), user_id=STAFF),
        f"{HEAD}已记录协商成果：建议案（附件1个）。",
    )
    await say(
        app,
        private_message("议题 批示 1 县委书记批示：请县教育局抓好落实", user_id=STAFF),
        f"{HEAD}已记录领导批示。",
    )
    await say(
        app,
        private_message("议题 落实 1 已出台实施方案", user_id=STAFF),
        f"{HEAD}已记录落实情况。",
    )
    await say(
        app,
        private_message("议题 办结 1 反馈问效良好", user_id=STAFF),
        f"{HEAD}已办结。已通知提出人和1位附议委员。",
    )
    record = await services.records.resolve(RecordKind.TOPIC, "1")
    assert record.status == RecordStatus.CONCLUDED
    item = await item_of(services.db, record.id or 0)
    assert item is not None
    assert item.closed_at is not None
    kinds = [e.kind for e in await entries(services.db, item.id or 0)]
    assert kinds == ["activity", "activity", "result", "instruction", "follow_up", "close"]
    (result,) = [
        e for e in await entries(services.db, item.id or 0) if e.kind == PlanEntryKind.RESULT
    ]
    assert result.attachments == [
        {"kind": "file", "name": "建议案.docx", "url": "http://files.example/1"}
    ]
    closed = (await private_texts(services, COSIGNER))[-1]
    assert closed == (
        f"您支持的议题第1号《{TOPIC}》（2026年度协商计划专题协商第1项）已办结：反馈问效良好。"
        "感谢您的履职！"
    )
    assert len(await private_texts(services, PROPOSER)) == 2  # planned, closed
    detail = await say(app, private_message("查议题 1", user_id=PROPOSER))
    assert (
        "状态：已办结\n"
        f"协商计划：2026年度协商计划专题协商第1项《{TOPIC}》\n"
        "牵头领导：李副主席；责任部门：县教育局；完成时限：2026年6月30日\n"
        "已记录：活动2次（调研、座谈）；成果1项（建议案，附件1个）；批示1条；落实记录1条\n"
    ) in detail


async def test_steps_follow_the_state_machine(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, kind=RecordKind.TOPIC, title=TOPIC)
    await say(
        app,
        private_message("议题 活动 1 调研", user_id=STAFF),
        "议题第1号当前状态是“已提交”，不能记录活动。现在可以：列入计划、暂不列入计划。"
        "例如：列入计划 1 专题协商 牵头 某副主席 责任 单位 时限 2027-06-30",
    )
    await say(app, private_message(PLAN, user_id=STAFF))
    await say(
        app,
        private_message("议题 办结 1", user_id=STAFF),
        "议题第1号当前状态是“已列入计划”，不能办结。现在可以：记录活动、记录成果。"
        "例如：议题 活动 1 调研 2027-03-15 参加 委员名单",
    )
    await say(
        app,
        private_message("议题 成果 1", user_id=STAFF),
        "请写上成果名称或内容，或随消息附上文件。用法：议题 成果 1 建议案 内容",
    )
    await say(
        app,
        private_message("议题 批示 1", user_id=STAFF),
        "请写上内容。用法：议题 批示 3 县委书记批示：请县农业农村局抓好落实",
    )
    await say(
        app,
        private_message("议题 活动 1 调研 2026-02-30", user_id=STAFF),
        "日期“2026-02-30”不存在，请检查。",
    )


async def test_members_and_places(app: App, services: Services, units: dict[str, Unit]) -> None:
    await planned(app, services)
    await say(
        app,
        group_message("议题 活动 1 调研", user_id=PROPOSER, group_id=MEMBER_GROUP),
        "“议题 活动”仅限政协机关工作人员使用。建议协商议题请发送“#议题 内容”，"
        "赞同某个议题请发送“附议 议题 编号”。",
    )
    await say(
        app,
        group_message("议题 活动 1 调研", user_id=STAFF, group_id=MEMBER_GROUP),
        "“议题 活动”请私聊机器人或在机关群使用。",
    )
    await say(
        app,
        group_message("议题活动 1 调研", user_id=STAFF, group_id=MEMBER_GROUP),
        "“议题活动”请在私聊机器人、机关群使用。",
    )
    await say(
        app,
        private_message("议题 关于停车难", user_id=PROPOSER),
        "“议题 关于停车难”不是命令。建议协商议题请发送“#议题 内容”（以 # 开头）；"
        "查看征集中的议题请发送“议题”。",
    )


async def test_staff_entered_topic_and_pool(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, kind=RecordKind.TOPIC, title="关于城区停车难的协商议题")
    await say(
        app,
        private_message("议题 录入 关于优化营商环境的协商议题\n来自县工商联来信", user_id=STAFF),
        "已录入议题第2号《关于优化营商环境的协商议题》。委员可发送“附议 议题 2”表示支持；"
        "列入计划请发送：列入计划 2 专题协商 牵头 领导 责任 部门 时限 日期",
    )
    await say(app, private_message("附议 议题 2", user_id=COSIGNER))
    await say(
        app,
        group_message("议题", group_id=MEMBER_GROUP),
        "征集中的协商议题（按支持人数排列）：\n"
        "· 议题第2号《关于优化营商环境的协商议题》——王秘书，支持 1 人\n"
        "· 议题第1号《关于城区停车难的协商议题》——张三，支持 0 人\n"
        "赞同的委员可发送“附议 议题 编号”表示支持；发送“查议题 编号”查看详情。",
    )
    # a staff-entered topic has no proposer to tell, only its supporters
    reply = await say(app, private_message(PLAN.replace("列入计划 1", "列入计划 2"), user_id=STAFF))
    assert reply.endswith("完成时限：2026年6月30日。已通知1位附议委员。")
    assert len(await private_texts(services, COSIGNER)) == 1


async def test_pool_shows_private_topics_only_to_their_proposer_and_staff(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    from tests.plugins.consultation.test_plan import make_private

    record = await add_record(services, kind=RecordKind.TOPIC, title="私下建议的议题")
    await make_private(services, record.id or 0)
    empty = "目前没有征集中的协商议题。委员可发送“#议题 内容”建议协商议题。"
    await say(app, group_message("议题", group_id=MEMBER_GROUP), empty)
    await say(app, private_message("议题", user_id=COSIGNER), empty)
    for asker in (PROPOSER, STAFF):
        shown = await say(app, private_message("议题 列表", user_id=asker))
        assert "· 议题第1号《私下建议的议题》——张三（私聊提交），支持 0 人" in shown
    staff_group = await say(app, group_message("议题", user_id=STAFF, group_id=STAFF_GROUP))
    assert staff_group == empty


async def test_declined_topic_leaves_the_pool_and_may_be_planned_later(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    await add_record(services, kind=RecordKind.TOPIC, title=TOPIC, cosigners=[(COSIGNER, "李四")])
    await say(
        app,
        group_message("议题 不列入 1 今年已安排同类协商", user_id=STAFF, group_id=STAFF_GROUP),
        f"议题第1号《{TOPIC}》暂不列入协商计划。理由：今年已安排同类协商。已通知提出人。",
    )
    (notice,) = await private_texts(services, PROPOSER)
    assert notice == (
        f"您提出的议题第1号《{TOPIC}》经研究暂不列入年度协商计划。理由：今年已安排同类协商。"
        "以后的年度仍可能采用，欢迎继续建言。"
    )
    assert await private_texts(services, COSIGNER) == []
    await say(
        app,
        group_message("议题", group_id=MEMBER_GROUP),
        "目前没有征集中的协商议题。委员可发送“#议题 内容”建议协商议题。",
    )
    await say(
        app,
        private_message("议题 暂不列入 1", user_id=STAFF),
        "议题第1号当前状态是“暂未列入计划”，不能暂不列入计划。现在可以：列入计划。"
        "例如：列入计划 1 专题协商 牵头 某副主席 责任 单位 时限 2027-06-30",
    )
    reply = await say(app, private_message(PLAN, user_id=STAFF))
    assert reply.startswith(f"议题第1号《{TOPIC}》已列入2026年度协商计划专题协商第1项。")


async def test_a_topic_tagged_in_the_staff_group_points_staff_to_entering_it(
    app: App, services: Services, units: dict[str, Unit]
) -> None:
    reply = await say(
        app, group_message("#议题 关于优化营商环境", user_id=STAFF, group_id=STAFF_GROUP)
    )
    assert reply.startswith("机关群、承办单位群不受理#议题。")
    assert reply.endswith("\n机关工作人员录入议题请发送：议题 录入 议题名称⏎说明")
