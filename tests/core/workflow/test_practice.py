"""Handling practice (issue 14 items 1–5) on the services: 沟通, the answer's flag, 已沟通 on
evaluations, 提案质量, 重点 … 督办, 督办, 重点 候选, 回头看, 重新办理, 优秀提案, and what
statistics and the board read of them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import (
    AnswerCategory,
    ChannelKind,
    Consultation,
    Evaluation,
    EvaluationResult,
    KeySupervision,
    LookbackOutcome,
    QualityGrade,
    QualityRating,
    Record,
    RecordStatus,
)
from bot.core.workflow.parsing import AssignSpec
from bot.core.workflow.practice_parsing import KeySpec
from tests.utils import STAFF_GROUP_ID as STAFF_GROUP
from tests.workflow_utils import (
    COSIGNER,
    EDU,
    FIN,
    PROPOSER,
    STAFF,
    add_record,
    group_texts,
    latest_entry,
    private_texts,
    reload,
    timeline,
)

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

S = RecordStatus


@pytest.fixture
async def staff_group(services: Services) -> str:
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by=STAFF)
    return STAFF_GROUP


async def assigned(services: Services, staff: Requester, **record: object) -> Record:
    created = await add_record(services, **record)  # type: ignore[arg-type]
    await services.proposals.accept(str(created.number), staff)
    await services.proposals.assign(str(created.number), staff, AssignSpec(EDU, []))
    return await reload(services, created)


async def answered(
    services: Services, staff: Requester, edu: Requester, category: AnswerCategory, **record: object
) -> Record:
    created = await assigned(services, staff, **record)
    await services.proposals.answer(str(created.number), edu, category, "已列入明年计划")
    return await reload(services, created)


# ---------------------------------------------------------------- 沟通


async def test_consult_records_tells_proposer_and_moves_to_in_progress(
    services: Services, staff: Requester, edu: Requester
) -> None:
    record = await assigned(services, staff)
    outcome = await services.proposals.consult("1", edu, "面商 3月1日 到提案人单位听取意见")
    assert outcome.record.status == S.IN_PROGRESS
    assert outcome.text.startswith(
        "已记录县教育局与提案人张三就提案第1号的沟通（面商，2026年3月1日）"
    )
    async with services.db.session() as session:
        (row,) = (await session.exec(select(Consultation))).all()
    assert (row.record_id, row.round, row.method, row.held_on) == (
        record.id,
        1,
        "meeting",
        date(2026, 3, 1),
    )
    assert (await latest_entry(services, record)).action == "consult"
    told = (await private_texts(services, PROPOSER))[-1]
    assert told.startswith("【办理协商】县教育局记录了与您就提案第1号")
    assert "到提案人单位听取意见" in told


async def test_consult_refused_for_other_units_and_after_answer(
    services: Services, staff: Requester, edu: Requester, fin: Requester
) -> None:
    await assigned(services, staff)
    with pytest.raises(PermissionDenied):
        await services.proposals.consult("1", fin, "电话 沟通了")
    await services.proposals.answer("1", edu, AnswerCategory.A, "")
    with pytest.raises(InvalidInput) as info:
        await services.proposals.consult("1", edu, "电话 补记")
    assert "当前状态是“已答复”，不能沟通" in info.value.message


async def test_answer_without_contact_is_flagged_to_staff(
    services: Services, staff: Requester, edu: Requester, staff_group: str
) -> None:
    await assigned(services, staff)
    await assigned(services, staff)
    await services.proposals.consult("2", edu, "电话 交换了意见")
    flagged = await services.proposals.answer("1", edu, AnswerCategory.B, "")
    clean = await services.proposals.answer("2", edu, AnswerCategory.B, "")
    assert flagged.notes == ["注意：答复前没有记录与提案人的沟通（办理协商）。"]
    assert clean.notes == []
    first, second = await group_texts(services, staff_group)
    assert first.endswith("注意：答复前没有记录与提案人的沟通（办理协商）。")
    assert "沟通" not in second
    assert "评价 1 满意 已沟通" in (await private_texts(services, PROPOSER))[-2]


async def test_evaluation_keeps_whether_the_unit_consulted(
    services: Services, staff: Requester, edu: Requester, proposer: Requester, staff_group: str
) -> None:
    record = await answered(services, staff, edu, AnswerCategory.A)
    await services.proposals.evaluate("1", proposer, EvaluationResult.SATISFIED, "", False)
    async with services.db.session() as session:
        (evaluation,) = (await session.exec(select(Evaluation))).all()
    assert evaluation.consulted is False
    assert "（提案人表示：承办单位未与其沟通）" in (await latest_entry(services, record)).detail
    assert (await group_texts(services, staff_group))[-1].endswith(
        "（提案人表示：承办单位未与其沟通）"
    )
    figures = await services.proposals.consultation_figures(2026)
    assert (figures.answers, figures.with_contact, figures.said_not_consulted) == (1, 0, 1)
    assert figures.contact_share == 0


async def test_consultation_figures_count_answers_with_contact(
    services: Services, staff: Requester, edu: Requester, proposer: Requester
) -> None:
    await assigned(services, staff)
    await assigned(services, staff)
    await services.proposals.consult("1", edu, "面商 当面听取")
    for n in ("1", "2"):
        await services.proposals.answer(n, edu, AnswerCategory.A, "")
    await services.proposals.evaluate("1", proposer, EvaluationResult.SATISFIED, "", True)
    figures = await services.proposals.consultation_figures(2026)
    assert (figures.answers, figures.with_contact) == (2, 1)
    assert (figures.said_consulted, figures.said_not_consulted) == (1, 0)
    assert figures.contact_share == 0.5
    assert (await services.proposals.consultation_figures(2025)).contact_share is None


# ---------------------------------------------------------------- 提案质量


async def test_quality_rating_is_internal_and_replaced(
    services: Services, staff: Requester, edu: Requester, fin: Requester
) -> None:
    record = await answered(services, staff, edu, AnswerCategory.B)
    before = len(await private_texts(services, PROPOSER))
    outcome = await services.proposals.rate_quality("1", edu, QualityGrade.GOOD, "数据翔实")
    assert "质量评价仅机关工作人员可见" in outcome.text
    await services.proposals.rate_quality("1", staff, QualityGrade.EXCELLENT, "")
    async with services.db.session() as session:
        (rating,) = (await session.exec(select(QualityRating))).all()
    assert rating.grade == "excellent"
    entries = [e for e in await timeline(services, record) if e.action == "quality"]
    assert [e.public for e in entries] == [False, False]
    assert "提案质量" not in "".join(
        e.detail for e in await services.records.timeline(record.id or 0, include_internal=False)
    )
    assert len(await private_texts(services, PROPOSER)) == before  # the proposer is not told
    assert await services.proposals.quality_ratings(2026) == {record.id: QualityGrade.EXCELLENT}
    with pytest.raises(PermissionDenied):
        await services.proposals.rate_quality("1", fin, QualityGrade.FAIR, "")


async def test_quality_needs_an_answer(
    services: Services, staff: Requester, edu: Requester
) -> None:
    await assigned(services, staff)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.rate_quality("1", edu, QualityGrade.GOOD, "")
    assert "不能提案质量评价" in info.value.message


# ---------------------------------------------------------------- 重点 督办 / 督办 / 候选


async def test_key_with_leader_and_supervision_activities(
    services: Services, staff: Requester, edu: Requester
) -> None:
    record = await assigned(services, staff)
    outcome = await services.proposals.set_key("1", staff, KeySpec(leader="李副主席", unit=FIN))
    assert outcome.record.is_key
    assert "督办领导：李副主席；牵头：县财政局" in outcome.text
    assert (await private_texts(services, PROPOSER))[-1].endswith("由李副主席领衔督办。")
    again = await services.proposals.set_key("1", staff, KeySpec(leader="王副主席"))
    assert "王副主席" in again.text
    async with services.db.session() as session:
        (row,) = (await session.exec(select(KeySupervision))).all()
    assert (row.leader, row.unit_id) == ("王副主席", None)
    done = await services.proposals.supervise("1", staff, "视察 到现场察看进度")
    assert done.text == "已记录提案第1号的督办活动（视察），列入办理过程。已通知主办单位联系人。"
    entry = await latest_entry(services, record)
    assert (entry.action, entry.detail, entry.public) == (
        "supervise",
        "督办（视察）：到现场察看进度",
        True,
    )
    assert (await private_texts(services, "40001"))[-1].startswith("【督办】提案第1号")
    (supervised,) = await services.proposals.supervised(2026)
    assert (supervised.leader, supervised.unit, supervised.activities) == ("王副主席", None, 1)


async def test_supervise_refused_before_acceptance(services: Services, staff: Requester) -> None:
    await add_record(services)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.supervise("1", staff, "催办 请抓紧")
    assert "不能督办" in info.value.message


async def test_key_candidates_ranked(services: Services, staff: Requester, edu: Requester) -> None:
    plain = await add_record(services, title="关于普通事项的建议")
    popular = await add_record(
        services, title="关于大家都关心的建议", cosigners=[(COSIGNER, "李四"), ("20003", "王五")]
    )
    await add_record(services, title="未立案的建议")
    for record in (plain, popular):
        await services.proposals.accept(str(record.number), staff)
    text = await services.proposals.key_candidates(2026)
    lines = text.splitlines()
    assert lines[0].startswith(
        "2026年重点提案候选（按联名人数、提案质量评价、并入的相似提案排序，共2件已立案"
    )
    assert lines[1].startswith("1. 第2号《关于大家都关心的建议》：张三，联名2人")
    assert lines[2].startswith("2. 第1号《关于普通事项的建议》")
    assert "未立案" not in text
    assert (await services.proposals.key_candidates(2025)).startswith("2025年还没有已立案的提案")


# ---------------------------------------------------------------- 回头看 / 重新办理


async def test_lookback_tells_proposer_and_staff(
    services: Services, staff: Requester, edu: Requester, staff_group: str
) -> None:
    record = await answered(services, staff, edu, AnswerCategory.B)
    outcome = await services.proposals.look_back("1", edu, LookbackOutcome.NOT_DONE, "资金未到位")
    assert outcome.text == "已记录提案第1号的回头看：未落实，已一对一告知提案人张三。"
    told = (await private_texts(services, PROPOSER))[-1]
    assert told.startswith("【回头看】您的提案第1号")
    assert "县教育局回头看的落实情况：未落实。资金未到位" in told
    assert "可考虑督办：督办 1 催办" in (await group_texts(services, staff_group))[-1]
    assert (await latest_entry(services, record)).action == "lookback"
    assert await services.proposals.lookback_outcomes(2026) == {record.id: LookbackOutcome.NOT_DONE}
    listing = await services.proposals.lookback_list(2026)
    assert "第1号《关于加快推进农村生活污水治理的建议》（县教育局）：未落实" in listing


async def test_lookback_only_for_b_answers_of_the_answering_unit(
    services: Services, staff: Requester, edu: Requester, fin: Requester
) -> None:
    await answered(services, staff, edu, AnswerCategory.C)
    with pytest.raises(InvalidInput) as info:
        await services.proposals.look_back("1", edu, LookbackOutcome.RESOLVED, "好了")
    assert "重新办理 1 理由" in info.value.message
    await answered(services, staff, edu, AnswerCategory.B)
    with pytest.raises(PermissionDenied):
        await services.proposals.look_back("2", fin, LookbackOutcome.RESOLVED, "好了")


async def test_reopen_c_answer_starts_a_new_round(
    services: Services, staff: Requester, edu: Requester, proposer: Requester
) -> None:
    await answered(services, staff, edu, AnswerCategory.C)
    await services.proposals.evaluate("1", proposer, EvaluationResult.BASICALLY_SATISFIED, "")
    await services.proposals.conclude("1", staff)
    outcome = await services.proposals.reopen("1", staff, "明年预算已安排专项资金")
    assert (outcome.record.status, outcome.record.round) == (S.REHANDLING, 2)
    assert "请重新交办：交办 1" in outcome.text
    assert (
        "政协机关决定重新办理（第2轮）：明年预算已安排专项资金"
        in (await private_texts(services, PROPOSER))[-1]
    )
    again = await services.proposals.assign("1", staff, AssignSpec(None, []))
    assert again.record.status == S.ASSIGNED


async def test_reopen_refused_for_b_and_without_reason(
    services: Services, staff: Requester, edu: Requester
) -> None:
    await answered(services, staff, edu, AnswerCategory.B)
    with pytest.raises(InvalidInput, match="回头看"):
        await services.proposals.reopen("1", staff, "条件变了")
    with pytest.raises(InvalidInput, match="请写明重新办理的理由"):
        await services.proposals.reopen("1", staff, " ")


# ---------------------------------------------------------------- 优秀提案


async def test_excellent_tells_proposer_and_cosigners(services: Services, staff: Requester) -> None:
    record = await add_record(services, cosigners=[(COSIGNER, "李四")])
    await services.proposals.accept("1", staff)
    outcome = await services.proposals.mark_excellent("1", staff, "建议具体可行")
    assert outcome.text.endswith("评为2026年度优秀提案，已通知提案人和联名人（2人）。")
    for user in (PROPOSER, COSIGNER):
        assert (await private_texts(services, user))[-1].startswith("祝贺！提案第1号")
    assert await services.proposals.excellent_ids(2026) == [record.id]
    with pytest.raises(InvalidInput, match="已是2026年度优秀提案"):
        await services.proposals.mark_excellent("1", staff, "")
    assert "建议具体可行" in await services.proposals.excellent_list(2026)
    await services.proposals.mark_excellent("1", staff, "", on=False)
    assert await services.proposals.excellent_ids(2026) == []
    assert (await latest_entry(services, record)).action == "unexcellent"


async def test_excellent_refused_for_rejected(services: Services, staff: Requester) -> None:
    await add_record(services)
    await services.proposals.reject("1", staff, "不属于提案范围")
    with pytest.raises(InvalidInput, match="不能评为优秀提案"):
        await services.proposals.mark_excellent("1", staff, "")
