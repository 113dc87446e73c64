"""结束讨论, 讨论记录 and 讨论转提案 through the NoneBot pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.models import Cosign, Discussion
from bot.core.records.kinds import RecordKind
from tests.discussion_helpers import LI, STAFF_ID, TOPIC, WANG, ZHANG, ZHAO, four_members, open_room
from tests.utils import (
    GROUP_ID,
    ReplyTo,
    expect_silence,
    group_message,
    outbox_rows,
    outbox_text,
    private_message,
    say,
)
from tests.workflow_utils import timeline

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services


async def talk(app: App, *lines: tuple[str, str]) -> None:
    for user_id, line in lines:
        await expect_silence(app, private_message(line, user_id=user_id))


async def test_creator_ends_it_and_the_summary_goes_out(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await talk(app, (ZHANG, "农村生活污水处理设施覆盖率低"), (LI, "建议统筹规划污水管网建设"))
    refused = private_message("结束讨论 D1", user_id=LI)
    await say(app, refused, ReplyTo(refused, "只有发起人张三或机关工作人员可以结束讨论D1"))
    event = private_message("结束讨论 D1", user_id=ZHANG)
    await say(app, event, f"讨论D1“{TOPIC}”已结束，小结已发给发起的群和各参加者。")
    rows = [
        r
        for r in await outbox_rows(services, purpose="discussion")
        if "summary" in (r.dedup_key or "")
    ]
    assert sorted((r.target_type, r.target_id) for r in rows) == [
        ("group", GROUP_ID),
        ("private", ZHANG),
        ("private", LI),
        ("private", WANG),
    ]
    summary = outbox_text(rows[0])
    assert summary.startswith(f"【讨论小结】D1“{TOPIC}”已结束。")
    assert "参加者：张三、李四、王五（3人）" in summary
    assert "消息：2条" in summary
    assert "关键词：" in summary
    assert "· 李四：建议统筹规划污水管网建设" in summary
    again = private_message("结束讨论 D1", user_id=ZHANG)
    await say(app, again, "讨论D1已经结束了。发送“讨论 D1”查看。")
    unknown = private_message("结束讨论 D7", user_id=STAFF_ID)
    await say(app, unknown, "没有讨论D7。发送“讨论”查看您参加的讨论，或核对编号。")
    usage = private_message("结束讨论", user_id=ZHANG)
    await say(app, usage, "请写讨论编号，例如：结束讨论 D3。发送“讨论”查看您参加的讨论。")


async def test_staff_may_end_any_discussion(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, group_id=None)
    event = private_message("结束讨论 D1", user_id=STAFF_ID)
    await say(app, event, f"讨论D1“{TOPIC}”已结束，小结已发给各参加者。")
    targets = {r.target_type for r in await outbox_rows(services, purpose="discussion")}
    assert targets == {"private"}  # opened privately: no group gets anything


async def test_transcript_for_staff_and_participants_only(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    await talk(app, (ZHANG, "第一条意见"), (LI, "第二条意见"))
    staff = private_message("讨论记录 D1", user_id=STAFF_ID)
    answer = await say(app, staff, ReplyTo(staff, f"讨论D1“{TOPIC}”的记录（进行中，发起人张三"))
    assert answer.splitlines()[1].endswith("张三：第一条意见")
    assert answer.splitlines()[2].endswith("李四：第二条意见")
    participant = private_message("讨论记录 D1", user_id=LI)
    await say(app, participant, ReplyTo(participant, "讨论D1“"))
    outsider = private_message("讨论记录 D1", user_id=ZHAO)
    await say(app, outsider, "讨论D1的记录只有参加者和机关工作人员可以查看。")
    in_group = group_message("讨论记录 D1", user_id=ZHANG)
    await say(app, in_group, "“讨论记录”请在私聊机器人、机关群使用。")


async def test_a_long_transcript_goes_as_a_forward_message(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    await talk(app, *[(ZHANG, f"第{i}条：" + "很长的意见" * 20) for i in range(20)])
    staff = private_message("讨论记录 D1", user_id=STAFF_ID)
    await say(app, staff, "讨论D1共20条，记录较长，以合并转发消息发送。")
    rows = await outbox_rows(services, purpose="discussion_transcript")
    assert len(rows) == 1
    assert rows[0].as_forward
    assert rows[0].target_id == STAFF_ID
    assert len(rows[0].parts) == 21


async def test_into_a_joint_proposal(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await talk(
        app,
        (ZHANG, "我县农村生活污水处理设施覆盖率低，很多村没有管网"),
        (LI, "建议统筹规划，分年度推进污水管网建设"),
        (WANG, "建议加大财政投入，建立运维长效机制"),
    )
    outsider = private_message("讨论转提案 D1", user_id=LI)
    await say(app, outsider, ReplyTo(outsider, "只有发起人张三可以把讨论D1转为提案"))
    event = private_message("讨论转提案 D1", user_id=ZHANG)
    answer = await say(
        app,
        event,
        ReplyTo(event, "讨论D1已转为提案。\n已登记：提案第1号《关于农村污水治理的建议》"),
    )
    assert "联名：李四（待确认）、王五（待确认）" in answer
    async with services.db.session() as session:
        discussion = await session.get(Discussion, 1)
        cosigns = list((await session.exec(select(Cosign))).all())
    assert discussion is not None
    assert discussion.proposal_id is not None
    assert sorted(c.user_id for c in cosigns) == [LI, WANG]
    record = await services.records.resolve(RecordKind.PROPOSAL, "1")
    assert record.proposer_user_id == ZHANG
    assert record.source_kind == "private"
    assert "情况：\n我县农村生活污水处理设施覆盖率低" in record.body
    assert "建议：\n1. 建议统筹规划" in record.body
    entries = await timeline(services, record)
    assert "来自讨论组D1" in entries[0].detail
    invitations = await outbox_rows(services, purpose="cosign_invite")
    assert sorted(r.target_id for r in invitations) == [LI, WANG]
    again = private_message("讨论转提案 D1", user_id=ZHANG)
    await say(app, again, ReplyTo(again, "讨论D1已转为提案第1号《关于农村污水治理的建议》"))
    # the co-signers confirm as in intake
    confirm = private_message("附议 1", user_id=LI)
    await say(app, confirm, ReplyTo(confirm, "已确认联名提案第1号"))


async def test_an_empty_discussion_cannot_become_a_proposal(app: App, services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    event = private_message("讨论转提案 D1 关于污水的建议", user_id=ZHANG)
    await say(app, event, ReplyTo(event, "讨论D1还没有文字发言，无法整理成提案"))
    assert await outbox_rows(services, purpose="cosign_invite") == []
