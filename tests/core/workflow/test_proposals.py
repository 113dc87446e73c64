"""ProposalWorkflow: each step, its refusals, its timeline entry and who is told."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import col, select

from bot.core.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.models import (
    Answer,
    AnswerCategory,
    Assignment,
    ChannelKind,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    Record,
    RecordStatus,
    Unit,
)
from bot.core.records.kinds import RecordKind
from bot.core.workflow.parsing import AssignSpec
from tests.utils import STAFF_GROUP_ID as STAFF_GROUP
from tests.utils import UNIT_GROUP_ID as UNIT_GROUP
from tests.workflow_utils import (
    BODY,
    COSIGNER,
    EDU,
    EDU_CONTACT,
    FIN,
    FIN_CONTACT,
    HOUSING,
    MEMBER,
    PROPOSER,
    STAFF,
    add_record,
    group_texts,
    latest_entry,
    outbox,
    private_texts,
    reload,
    requester,
    timeline,
    timeline_actions,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

S = RecordStatus


def ref(record: Record) -> str:
    return str(record.number)


@pytest.fixture
async def staff_group(services: Services) -> str:
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by=STAFF)
    return STAFF_GROUP


async def accepted(services: Services, staff: Requester) -> Record:
    record = await add_record(services)
    await services.proposals.accept(ref(record), staff)
    return await reload(services, record)


async def assigned(
    services: Services, staff: Requester, assisting: list[str] | None = None
) -> Record:
    record = await accepted(services, staff)
    await services.proposals.assign(ref(record), staff, AssignSpec(EDU, assisting or []))
    return await reload(services, record)


async def answered(services: Services, staff: Requester, edu: Requester) -> Record:
    record = await assigned(services, staff)
    await services.proposals.answer(ref(record), edu, AnswerCategory.B, "已列入明年计划")
    return await reload(services, record)


# ================================================================ 立案


async def test_accept_sets_category_writes_timeline_and_tells_member(
    services: Services, staff: Requester
) -> None:
    record = await add_record(services)
    outcome = await services.proposals.accept(ref(record), staff, "社会建设")
    assert outcome.record.status == S.ACCEPTED
    assert outcome.record.category == "社会建设"
    assert outcome.text == (
        "已立案：提案第1号《关于加快推进农村生活污水治理的建议》，类别：社会建设。"
        "已通知提案人张三。下一步：交办 1 主办 单位名称"
    )
    entry = await latest_entry(services, record)
    assert (entry.action, entry.from_status, entry.to_status) == ("accept", "submitted", "accepted")
    assert (entry.actor_user_id, entry.actor_name, entry.source) == (
        STAFF,
        "王秘书",
        "group:900002",
    )
    assert entry.detail == "类别：社会建设"
    assert entry.public
    assert await private_texts(services, PROPOSER) == [
        "您的提案第1号《关于加快推进农村生活污水治理的建议》已立案（类别：社会建设），"
        "接下来将交承办单位办理，办理进展会再告诉您。"
    ]


async def test_accept_keeps_the_guessed_category(services: Services, staff: Requester) -> None:
    record = await add_record(services)
    outcome = await services.proposals.accept(ref(record), staff)
    assert outcome.record.category == "生态文明建设"
    assert (await latest_entry(services, record)).detail == "类别：生态文明建设"


async def test_accept_unknown_category_lists_the_county_categories(
    services: Services, staff: Requester
) -> None:
    record = await add_record(services)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.accept(ref(record), staff, "火星建设")
    assert info.value.message.startswith("没有“火星建设”这个类别。可用的类别：经济建设、")
    assert "例如：立案 17 社会建设" in info.value.message
    assert (await reload(services, record)).status == S.SUBMITTED


async def test_accept_twice_is_refused_with_what_is_possible(
    services: Services, staff: Requester
) -> None:
    record = await accepted(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.accept(ref(record), staff)
    assert info.value.message == (
        "提案第1号当前状态是“已立案”，不能立案。现在可以：交办、并案。例如：交办 1 主办 单位名称"
    )


async def test_unknown_number_is_not_found(services: Services, staff: Requester) -> None:
    with pytest.raises(NotFound) as info:
        await services.proposals.accept("99", staff)
    assert "没有找到提案第99号" in info.value.message


# ================================================================ 不立案


async def test_reject_needs_a_reason(services: Services, staff: Requester) -> None:
    record = await add_record(services)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.reject(ref(record), staff, "  ")
    assert info.value.message == (
        "不立案需要写明理由，提案人会收到这个理由。例如：不立案 1 不属于政协提案受理范围 转社情民意"
    )


async def test_reject_tells_member_the_reason(services: Services, staff: Requester) -> None:
    record = await add_record(services)
    outcome = await services.proposals.reject(ref(record), staff, "属于个人诉求")
    assert outcome.record.status == S.REJECTED
    assert outcome.record.linked_record_id is None
    assert (await latest_entry(services, record)).detail == "理由：属于个人诉求"
    assert await private_texts(services, PROPOSER) == [
        "您的提案第1号《关于加快推进农村生活污水治理的建议》经审查不予立案。理由：属于个人诉求。"
        "如有疑问，请联系政协机关。"
    ]
    assert "已一对一告知提案人张三" in outcome.text


async def test_reject_converting_to_opinion_creates_a_linked_lead(
    services: Services, staff: Requester
) -> None:
    record = await add_record(services)
    outcome = await services.proposals.reject(ref(record), staff, "建议不够具体", to_opinion=True)
    opinion = await services.records.resolve(RecordKind.OPINION, "1")
    assert opinion.status == S.SUBMITTED
    assert (opinion.title, opinion.body, opinion.proposer_user_id) == (
        record.title,
        record.body,
        PROPOSER,
    )
    assert opinion.linked_record_id == record.id
    assert outcome.record.linked_record_id == opinion.id
    entries = await timeline(services, opinion)
    assert [(e.action, e.detail) for e in entries] == [
        ("submit", "由提案第1号（不予立案）转为社情民意信息")
    ]
    assert (await latest_entry(services, record)).detail == (
        "理由：建议不够具体；已转为社情民意信息第1号"
    )
    (message,) = await private_texts(services, PROPOSER)
    assert "已转为社情民意信息第1号，将按社情民意信息处理，可发送“查民意 1”查看。" in message
    assert "已转为社情民意信息第1号（采用 1 / 未采用 1）" in outcome.text


async def test_reject_after_accept_is_refused(services: Services, staff: Requester) -> None:
    record = await accepted(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.reject(ref(record), staff, "重复", to_opinion=True)
    assert "当前状态是“已立案”，不能不立案" in info.value.message
    with pytest.raises(NotFound):
        await services.records.resolve(RecordKind.OPINION, "1")  # nothing converted


# ================================================================ 并案


async def test_merge_carries_proposer_and_cosigners(services: Services, staff: Requester) -> None:
    target = await add_record(services, user_id=MEMBER, name="赵六", title="关于农村污水的建议")
    # 李四 was invited to the target but has not confirmed yet
    async with services.db.session() as session:
        session.add(
            Cosign(
                record_id=target.id or 0,
                user_id=COSIGNER,
                name="李四",
                status=CosignStatus.PENDING,
                created_at=services.clock.now(),
            )
        )
        await session.commit()
    source = await add_record(
        services, cosigners=[(COSIGNER, "李四"), (MEMBER, "赵六"), ("20010", "孙七")]
    )
    outcome = await services.proposals.merge(ref(source), ref(target), staff)
    assert outcome.record.status == S.MERGED
    assert outcome.record.merged_into_id == target.id
    async with services.db.session() as session:
        rows = await session.exec(
            select(Cosign).where(Cosign.record_id == target.id).order_by(col(Cosign.user_id))
        )
        cosigns = {c.user_id: c.status for c in rows.all()}
    # 赵六 is the target's own proposer: not a co-signer of his own proposal
    assert cosigns == {
        PROPOSER: CosignStatus.CONFIRMED,
        COSIGNER: CosignStatus.CONFIRMED,
        "20010": CosignStatus.CONFIRMED,
    }
    assert "联名人增加：张三、李四、孙七" in outcome.text
    assert (await latest_entry(services, source)).detail == "并入提案第1号《关于农村污水的建议》"
    merged_in = await latest_entry(services, target)
    assert merged_in.action == "merged_in"
    assert merged_in.detail == (
        "提案第2号（张三）《关于加快推进农村生活污水治理的建议》并入本案；联名人增加：张三、李四、孙七"
    )
    (to_source,) = await private_texts(services, PROPOSER)
    assert "已并入第1号一并办理，您已列为第1号的联名人" in to_source
    (to_target,) = await private_texts(services, MEMBER)
    assert to_target.startswith(
        "提案第2号（张三）《关于加快推进农村生活污水治理的建议》已并入您的提案第1号"
    )


async def test_merged_proposal_points_to_its_target(services: Services, staff: Requester) -> None:
    target = await add_record(services, title="甲")
    source = await add_record(services, title="乙")
    await services.proposals.merge(ref(source), ref(target), staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.accept(ref(source), staff)
    assert info.value.message == "提案第2号已并入提案第1号，请对第1号操作，例如：立案 1"
    third = await add_record(services, title="丙")
    with pytest.raises(InvalidInput) as info:
        await services.proposals.merge(ref(third), ref(source), staff)
    assert info.value.message == "提案第2号已并入提案第1号，请改为：并案 3 到 1"


async def test_merge_refusals(services: Services, staff: Requester) -> None:
    one = await add_record(services)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.merge(ref(one), ref(one), staff)
    assert info.value.message == "不能把提案并入它自己。用法：并案 17 到 9"
    done = await add_record(services, status=S.CONCLUDED)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.merge(ref(one), ref(done), staff)
    assert info.value.message == (
        "提案第2号当前状态是“已办结”，不能再并入其他提案。请选一件尚未答复的提案。"
    )
    busy = await add_record(services, status=S.ASSIGNED)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.merge(ref(busy), ref(one), staff)
    assert "提案第3号当前状态是“已交办”，不能并案。" in info.value.message


# ================================================================ 交办


async def test_assign_with_default_deadline_tells_units_and_member(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    await services.channels.bind(UNIT_GROUP, ChannelKind.UNIT, sector=None, bound_by=STAFF)
    record = await accepted(services, staff)
    outcome = await services.proposals.assign(ref(record), staff, AssignSpec(EDU, [FIN]))
    assert outcome.record.status == S.ASSIGNED
    assert outcome.text == (
        "已交办提案第1号《关于加快推进农村生活污水治理的建议》\n"
        "主办：县教育局；会办：县财政局\n"
        "答复时限：2026年6月2日（交办后3个月）\n"
        "已通知承办单位联系人和提案人。"
    )
    assert outcome.notes == []
    entry = await latest_entry(services, record)
    assert (entry.action, entry.to_status) == ("assign", "assigned")
    assert entry.detail == "主办：县教育局；会办：县财政局；答复时限：2026年6月2日"
    async with services.db.session() as session:
        rows = (await session.exec(select(Assignment).order_by(col(Assignment.id)))).all()
    assert [(a.unit_id, a.role, a.round, a.due_date) for a in rows] == [
        (units[EDU].id, "lead", 1, date(2026, 6, 2)),
        (units[FIN].id, "assisting", 1, date(2026, 6, 2)),
    ]
    (edu_notice,) = await private_texts(services, EDU_CONTACT)
    assert edu_notice.startswith(
        "【提案交办】提案第1号《关于加快推进农村生活污水治理的建议》交由县教育局主办（会办：县财政局），"
        "答复时限2026年6月2日。\n提案人：张三（农业界）\n"
    )
    assert "办理完毕请发送“答复 1 A|B|C 答复内容”" in edu_notice
    (fin_notice,) = await private_texts(services, FIN_CONTACT)
    assert "交由县财政局会办（主办：县教育局）" in fin_notice
    assert "会办意见请发送“进展 1 意见内容”" in fin_notice
    # one short message in the unit group, @-ing both contacts (issue 9, item 12)
    (group_message,) = [m for m in await outbox(services) if m.target_id == UNIT_GROUP]
    assert [p["user_id"] for p in group_message.parts if p["type"] == "mention"] == [
        EDU_CONTACT,
        FIN_CONTACT,
    ]
    assert BODY.splitlines()[0] not in group_message.parts[-1]["text"]
    (to_member,) = (await private_texts(services, PROPOSER))[1:]
    assert to_member == (
        "您的提案第1号《关于加快推进农村生活污水治理的建议》已交办：主办：县教育局；会办：县财政局，"
        "答复时限2026年6月2日。单位答复后会一对一告诉您，并请您评价。"
    )


async def test_assign_unknown_unit_suggests_close_names(
    services: Services, staff: Requester
) -> None:
    record = await accepted(services, staff)
    with pytest.raises(NotFound) as info:
        await services.proposals.assign(ref(record), staff, AssignSpec("教育局"))
    assert info.value.message == (
        "没有“教育局”这个单位。您是不是要找：县教育局？如确是新单位，请先发送：单位 添加 教育局"
    )
    assert (await reload(services, record)).status == S.ACCEPTED


async def test_assign_refusals(services: Services, staff: Requester) -> None:
    record = await accepted(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.assign(ref(record), staff, AssignSpec(EDU, [FIN, EDU]))
    assert info.value.message == "县教育局已是主办单位，不能同时会办。请从“会办”中去掉它。"
    with pytest.raises(InvalidInput) as info:
        await services.proposals.assign(ref(record), staff, AssignSpec(None, [FIN]))
    assert info.value.message.startswith("请写明主办单位。用法：交办 17 主办 县教育局")
    submitted = await add_record(services)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.assign(ref(submitted), staff, AssignSpec(EDU))
    assert info.value.message == (
        "提案第2号当前状态是“已提交”，不能交办。现在可以：立案、不立案、并案。例如：立案 2"
    )


async def test_assign_to_unit_without_contact_says_how_to_add_one(
    services: Services, staff: Requester
) -> None:
    record = await accepted(services, staff)
    outcome = await services.proposals.assign(ref(record), staff, AssignSpec(HOUSING))
    assert outcome.text.endswith(
        "县住建局还没有联系人，交办通知未能发出。请发送：单位 联系人 县住建局 @联系人"
    )


async def test_assign_again_before_answer_replaces_the_units(
    services: Services, staff: Requester, units: dict[str, Unit]
) -> None:
    record = await assigned(services, staff, [FIN])
    outcome = await services.proposals.assign(
        ref(record), staff, AssignSpec(HOUSING, [], "2026-05-29")
    )
    assert outcome.record.status == S.ASSIGNED
    assert outcome.text.startswith("已交办（交办调整）提案第1号")
    async with services.db.session() as session:
        rows = (await session.exec(select(Assignment))).all()
    assert [(a.unit_id, a.due_date) for a in rows] == [(units[HOUSING].id, date(2026, 5, 29))]
    entry = await latest_entry(services, record)
    assert (entry.action, entry.detail) == ("reassign", "主办：县住建局；答复时限：2026年5月29日")


# ================================================================ 进展


async def test_lead_unit_progress_is_public(
    services: Services, staff: Requester, edu: Requester
) -> None:
    record = await assigned(services, staff, [FIN])
    outcome = await services.proposals.progress(ref(record), edu, "已到现场调研")
    assert outcome.record.status == S.IN_PROGRESS
    entry = await latest_entry(services, record)
    assert (entry.action, entry.detail, entry.public) == (
        "progress",
        "县教育局：已到现场调研",
        True,
    )
    assert (entry.actor_user_id, entry.source) == (EDU_CONTACT, "group:900003")
    again = await services.proposals.progress(ref(record), staff, "机关督促")
    assert again.record.status == S.IN_PROGRESS
    assert (await latest_entry(services, record)).detail == "机关督促"


async def test_assisting_unit_progress_is_an_internal_opinion_for_the_lead(
    services: Services, staff: Requester, fin: Requester
) -> None:
    record = await assigned(services, staff, [FIN])
    outcome = await services.proposals.progress(ref(record), fin, "资金可从专项中安排")
    assert outcome.text == "已记录县财政局对提案第1号的会办意见，并转给主办单位县教育局。"
    entry = await latest_entry(services, record)
    assert (entry.action, entry.public) == ("assist_opinion", False)
    assert entry.detail == "县财政局（会办）意见：资金可从专项中安排"
    texts = await private_texts(services, EDU_CONTACT)
    assert texts[-1] == (
        "【会办意见】县财政局对提案第1号《关于加快推进农村生活污水治理的建议》的会办意见："
        "资金可从专项中安排"
    )
    public = await services.records.timeline(record.id or 0, include_internal=False)
    assert "assist_opinion" not in [e.action for e in public]


async def test_other_units_contact_may_not_report_progress(
    services: Services, staff: Requester, fin: Requester
) -> None:
    record = await assigned(services, staff)
    with pytest.raises(PermissionDenied) as info:
        await services.proposals.progress(ref(record), fin, "我们来办")
    assert info.value.message == (
        "提案第1号没有交由您所在的单位办理（主办：县教育局），只有承办该件的单位可以提交“进展”。如有疑问请联系政协机关。"
    )


async def test_progress_refusals(services: Services, staff: Requester, edu: Requester) -> None:
    record = await accepted(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.progress(ref(record), edu, "开始")
    assert info.value.message.startswith("提案第1号当前状态是“已立案”，不能进展。现在可以：交办")
    with pytest.raises(InvalidInput) as info:
        await services.proposals.progress(ref(record), edu, " ")
    assert info.value.message == "请写上进展内容。例如：进展 1 已到现场调研，正在制定方案"


# ================================================================ 答复


async def test_lead_unit_answer_tells_member_and_staff(
    services: Services, staff: Requester, edu: Requester, staff_group: str
) -> None:
    record = await assigned(services, staff, [FIN])
    outcome = await services.proposals.answer(ref(record), edu, AnswerCategory.B, "已列入明年计划")
    assert outcome.record.status == S.ANSWERED
    # 2026-03-02 + 15 working days (no holiday in between) = 2026-03-23
    assert outcome.text == (
        "已记录提案第1号的答复：B类（正在解决或列入计划解决）。"
        "已一对一通知提案人张三，评价期限2026年3月23日（15个工作日）。"
    )
    async with services.db.session() as session:
        answer = (await session.exec(select(Answer))).one()
        assignments = (await session.exec(select(Assignment))).all()
    assert (answer.category, answer.content, answer.round) == ("B", "已列入明年计划", 1)
    assert answer.evaluation_due == date(2026, 3, 23)
    assert answer.answered_by == EDU_CONTACT
    assert all(a.answered_at is not None for a in assignments)
    assert (await latest_entry(services, record)).detail == (
        "县教育局答复：B类（正在解决或列入计划解决）。已列入明年计划（委员评价期限：2026年3月23日）"
    )
    to_member = (await private_texts(services, PROPOSER))[-1]
    assert to_member == (
        "您的提案第1号《关于加快推进农村生活污水治理的建议》收到县教育局的答复：\n"
        "答复类别：B类（正在解决或列入计划解决）\n"
        "答复内容：已列入明年计划\n"
        "请在2026年3月23日前评价，发送：评价 1 满意 / 评价 1 基本满意 / 评价 1 不满意 您的意见\n"
        "承办单位办理中是否与您沟通过？评价时请一并写上，例如：评价 1 满意 已沟通，"
        "或 评价 1 基本满意 未沟通"
    )
    (to_staff,) = await group_texts(services, staff_group)
    assert to_staff.startswith("县教育局已答复提案第1号")


async def test_staff_may_answer_without_telling_the_staff_group(
    services: Services, staff: Requester, staff_group: str
) -> None:
    record = await assigned(services, staff)
    outcome = await services.proposals.answer(ref(record), staff, AnswerCategory.A, "")
    assert outcome.record.status == S.ANSWERED
    assert await group_texts(services, staff_group) == []
    assert "答复内容" not in (await private_texts(services, PROPOSER))[-1]


async def test_assisting_unit_may_not_answer(
    services: Services, staff: Requester, fin: Requester
) -> None:
    record = await assigned(services, staff, [FIN])
    with pytest.raises(PermissionDenied) as info:
        await services.proposals.answer(ref(record), fin, AnswerCategory.A, "")
    assert info.value.message == (
        "县财政局是提案第1号的会办单位，答复由主办单位县教育局提交。会办意见请发送：进展 1 意见内容"
    )


async def test_answer_refused_before_assignment_and_twice(
    services: Services, staff: Requester, edu: Requester
) -> None:
    record = await accepted(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.answer(ref(record), staff, AnswerCategory.A, "")
    assert info.value.message.startswith("提案第1号当前状态是“已立案”，不能答复。")
    done = await answered(services, staff, edu)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.answer(ref(done), edu, AnswerCategory.A, "")
    assert "当前状态是“已答复”，不能答复。" in info.value.message


# ================================================================ 评价


async def test_only_the_lead_proposer_evaluates(
    services: Services, staff: Requester, edu: Requester
) -> None:
    record = await answered(services, staff, edu)
    for who in (COSIGNER, STAFF):
        with pytest.raises(PermissionDenied) as info:
            await services.proposals.evaluate(
                ref(record), await requester(services, who), EvaluationResult.SATISFIED, ""
            )
        assert info.value.message == (
            "只有提案第1号的领衔提案人张三可以评价答复。联名委员的意见可以请领衔提案人一并反映。"
        )


async def test_satisfied_evaluation_then_conclude(
    services: Services, staff: Requester, edu: Requester, proposer: Requester, staff_group: str
) -> None:
    record = await answered(services, staff, edu)
    outcome = await services.proposals.evaluate(
        ref(record), proposer, EvaluationResult.BASICALLY_SATISFIED, "还需跟踪落实"
    )
    assert outcome.record.status == S.EVALUATED
    assert outcome.text == "已记录您对提案第1号的评价：基本满意，意见：还需跟踪落实。感谢您的履职！"
    async with services.db.session() as session:
        evaluation = (await session.exec(select(Evaluation))).one()
    assert (evaluation.result, evaluation.opinion, evaluation.round, evaluation.user_id) == (
        "basically_satisfied",
        "还需跟踪落实",
        1,
        PROPOSER,
    )
    assert (await group_texts(services, staff_group))[-1].endswith("可以办结：办结 1")
    with pytest.raises(InvalidInput) as info:
        await services.proposals.evaluate(ref(record), proposer, EvaluationResult.SATISFIED, "")
    assert info.value.message.endswith("本轮答复已经评价过了，每轮只能评价一次。")
    done = await services.proposals.conclude(ref(record), staff)
    assert done.record.status == S.CONCLUDED
    assert (await latest_entry(services, record)).detail == "办结（提案人评价：基本满意）"
    assert (await private_texts(services, PROPOSER))[-1] == (
        "您的提案第1号《关于加快推进农村生活污水治理的建议》已办结。感谢您的履职！"
    )


async def test_unsatisfied_evaluation_reopens_once(
    services: Services, staff: Requester, edu: Requester, proposer: Requester, staff_group: str
) -> None:
    record = await answered(services, staff, edu)
    outcome = await services.proposals.evaluate(
        ref(record), proposer, EvaluationResult.UNSATISFIED, "没有回应第二条建议"
    )
    assert outcome.record.status == S.REHANDLING
    assert outcome.record.round == 2
    assert (await latest_entry(services, record)).detail == (
        "提案人评价：不满意。意见：没有回应第二条建议。转为重新办理（第2轮）"
    )
    to_staff = (await group_texts(services, staff_group))[-1]
    assert to_staff.startswith(
        "【不满意】张三对提案第1号《关于加快推进农村生活污水治理的建议》的答复不满意，"
        "意见：没有回应第二条建议。已转为重新办理（第2轮），请重新交办：交办 1"
    )
    with pytest.raises(InvalidInput) as info:
        await services.proposals.evaluate(ref(record), proposer, EvaluationResult.SATISFIED, "")
    assert info.value.message.endswith("提案正在重新办理，新的答复到达后可再次评价。")
    # second round: 交办 without units goes to the same units again
    again = await services.proposals.assign(ref(record), staff, AssignSpec(None))
    assert again.record.status == S.ASSIGNED
    assert again.text.startswith("已交办（重新办理）提案第1号")
    entry = await latest_entry(services, record)
    assert entry.detail == "主办：县教育局；答复时限：2026年6月2日（第2轮，重新办理）"
    async with services.db.session() as session:
        rounds = [a.round for a in (await session.exec(select(Assignment))).all()]
    assert sorted(rounds) == [1, 2]
    await services.proposals.answer(ref(record), edu, AnswerCategory.C, "条件不具备")
    last = await services.proposals.evaluate(
        ref(record), proposer, EvaluationResult.UNSATISFIED, "仍未解决"
    )
    assert last.record.status == S.EVALUATED  # no third round
    assert last.record.round == 2
    assert "已经重新办理过一次" in last.text
    assert (await group_texts(services, staff_group))[-1].endswith("请协调后办结：办结 1")
    async with services.db.session() as session:
        results = [(e.round, e.result) for e in (await session.exec(select(Evaluation))).all()]
    assert sorted(results) == [(1, "unsatisfied"), (2, "unsatisfied")]


async def test_evaluate_before_answer_is_refused(
    services: Services, staff: Requester, proposer: Requester
) -> None:
    record = await assigned(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.evaluate(ref(record), proposer, EvaluationResult.SATISFIED, "")
    assert info.value.message == (
        "提案第1号当前状态是“已交办”，不能评价。"
        "收到承办单位的答复后才能评价；发送“查提案 1”可查看办理进度。"
    )


# ================================================================ 办结


async def test_conclude_without_evaluation_waits_for_the_window(
    services: Services, staff: Requester, edu: Requester, clock: FakeClock
) -> None:
    record = await answered(services, staff, edu)
    clock.advance(timedelta(days=21))  # 2026-03-23: the last day to evaluate
    with pytest.raises(InvalidInput) as info:
        await services.proposals.conclude(ref(record), staff)
    assert info.value.message == (
        "提案第1号已答复，委员评价期限到2026年3月23日，提案人还没有评价。"
        "请等提案人评价后再办结；评价期限过后（2026年3月23日之后）可直接办结。"
    )
    clock.advance(timedelta(days=1))
    outcome = await services.proposals.conclude(ref(record), staff)
    assert outcome.record.status == S.CONCLUDED
    assert (await latest_entry(services, record)).detail == (
        "提案人未在评价期限内评价，办结（评价期限：2026年3月23日）"
    )


async def test_conclude_before_answer_is_refused(services: Services, staff: Requester) -> None:
    record = await assigned(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.conclude(ref(record), staff)
    assert info.value.message.startswith("提案第1号当前状态是“已交办”，不能办结。现在可以：")


# ================================================================ 重点


async def test_key_proposal_toggle(services: Services, staff: Requester) -> None:
    record = await accepted(services, staff)
    outcome = await services.proposals.mark_key(ref(record), staff)
    assert outcome.record.is_key
    assert outcome.record.status == S.ACCEPTED
    assert (await latest_entry(services, record)).detail == "列为重点提案（督办）"
    assert (await private_texts(services, PROPOSER))[-1].endswith("已列为重点提案，由政协督办。")
    with pytest.raises(InvalidInput) as info:
        await services.proposals.mark_key(ref(record), staff)
    assert info.value.message == "提案第1号已经是重点提案。取消请发送：重点 1 取消"
    off = await services.proposals.mark_key(ref(record), staff, on=False)
    assert not off.record.is_key
    assert (await latest_entry(services, record)).action == "unkey"
    with pytest.raises(InvalidInput) as info:
        await services.proposals.mark_key(ref(record), staff, on=False)
    assert info.value.message == "提案第1号不是重点提案，无需取消。设为重点：重点 1"


async def test_key_refused_on_closed_proposal(services: Services, staff: Requester) -> None:
    record = await add_record(services, status=S.CONCLUDED)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.mark_key(ref(record), staff)
    assert (
        info.value.message
        == "提案第1号当前状态是“已办结”，不能重点。它的办理已经结束，不能再操作。"
    )


# ================================================================ every refused transition


STAFF_STEPS = {
    "accept": lambda s, r, by: s.proposals.accept(r, by),
    "reject": lambda s, r, by: s.proposals.reject(r, by, "理由"),
    "assign": lambda s, r, by: s.proposals.assign(r, by, AssignSpec(EDU)),
    "progress": lambda s, r, by: s.proposals.progress(r, by, "内容"),
    "answer": lambda s, r, by: s.proposals.answer(r, by, AnswerCategory.A, ""),
    "conclude": lambda s, r, by: s.proposals.conclude(r, by),
}
ALLOWED = {
    "accept": {S.SUBMITTED},
    "reject": {S.SUBMITTED},
    "assign": {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING},
    "progress": {S.ASSIGNED, S.IN_PROGRESS},
    "answer": {S.ASSIGNED, S.IN_PROGRESS},
    "conclude": {S.ANSWERED, S.EVALUATED},
}
ALL_STATES = [
    S.SUBMITTED,
    S.WITHDRAWN,
    S.ACCEPTED,
    S.REJECTED,
    S.MERGED,
    S.ASSIGNED,
    S.IN_PROGRESS,
    S.ANSWERED,
    S.EVALUATED,
    S.REHANDLING,
    S.CONCLUDED,
]
REFUSED = [
    (step, status) for step in STAFF_STEPS for status in ALL_STATES if status not in ALLOWED[step]
]


@pytest.mark.parametrize(("step", "status"), REFUSED)
async def test_service_refuses_actions_that_do_not_fit(
    services: Services, staff: Requester, step: str, status: RecordStatus
) -> None:
    record = await add_record(services, status=status)
    with pytest.raises(InvalidInput) as info:
        await STAFF_STEPS[step](services, ref(record), staff)
    assert info.value.message.startswith(f"提案第1号当前状态是“{status.label}”，不能")
    after = await reload(services, record)
    assert after.status == status
    forced = [] if status is S.SUBMITTED else ["test"]
    assert await timeline_actions(services, record) == ["submit", *forced]  # nothing written


# ================================================================ the timeline of a whole round


async def test_timeline_records_who_what_when_and_where(
    services: Services,
    staff: Requester,
    edu: Requester,
    proposer: Requester,
    clock: FakeClock,
) -> None:
    record = await add_record(services)
    steps = [
        lambda: services.proposals.accept("1", staff),
        lambda: services.proposals.mark_key("1", staff),
        lambda: services.proposals.assign("1", staff, AssignSpec(EDU, [FIN])),
        lambda: services.proposals.progress("1", edu, "已调研"),
        lambda: services.proposals.answer("1", edu, AnswerCategory.A, "已解决"),
        lambda: services.proposals.evaluate("1", proposer, EvaluationResult.SATISFIED, ""),
        lambda: services.proposals.conclude("1", staff),
    ]
    for step in steps:
        clock.advance(timedelta(hours=1))
        await step()
    entries = await timeline(services, record)
    assert [(e.action, e.from_status, e.to_status, e.actor_user_id, e.source) for e in entries] == [
        ("submit", None, "submitted", PROPOSER, "group:900001"),
        ("accept", "submitted", "accepted", STAFF, "group:900002"),
        ("key", "accepted", None, STAFF, "group:900002"),
        ("assign", "accepted", "assigned", STAFF, "group:900002"),
        ("progress", "assigned", "in_progress", EDU_CONTACT, "group:900003"),
        ("answer", "in_progress", "answered", EDU_CONTACT, "group:900003"),
        ("evaluate", "answered", "evaluated", PROPOSER, "private"),
        ("conclude", "evaluated", "concluded", STAFF, "group:900002"),
    ]
    times = [e.at for e in entries]
    assert times == sorted(times)
    assert len(set(times)) == len(times)
    assert all(e.public for e in entries)
    handling = await services.proposals.handling(await reload(services, record))
    assert handling.lead is not None
    assert handling.lead.name == EDU
    assert [u.name for u in handling.assisting] == [FIN]
    assert handling.answer is not None
    assert handling.answer.category == "A"
    assert handling.evaluation is not None
    assert handling.evaluation.result == "satisfied"
