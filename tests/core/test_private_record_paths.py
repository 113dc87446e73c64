"""A privately submitted record never reaches a unit group or a members' group with its title or
content (issue 9, item 2). Staff groups may read it (staff may see every record).

One test per path a private record's text could take into a group — 交办, 会办意见, deadline
reminders, merges, 不立案→转社情民意, digests, outbox failure reports — and one invariant over a
whole life: every message queued, scanned for the private titles and body lines. Before, the
交办 notice put `提案第1号《…》… 提案人：… 情况：…` (300 characters of the body) into the
承办单位群, the reminders and 会办意见 their title; the suite checked the private messages only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.intake.results import Source
from bot.core.models import (
    AnswerCategory,
    ChannelKind,
    DigestKind,
    EvaluationResult,
    OutboxMessage,
    OutboxStatus,
    Record,
)
from bot.core.records.kinds import RecordKind
from bot.core.workflow.parsing import AssignSpec
from tests.intake_helpers import post, register
from tests.utils import local_morning, outbox_rows, outbox_text
from tests.workflow_utils import (
    EDU,
    EDU_CONTACT,
    FIN,
    FIN_CONTACT,
    STAFF,
    requester,
    setup_people,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

WHOLE = "920001"
SECTOR = "920002"
STAFF_GROUP = "920003"
UNIT_GROUP = "920004"

PRIVATE_TITLE = "关于县医院院长违规收受回扣问题的反映"
PRIVATE_BODY = (
    "据群众反映，县医院部分科室在药品采购中存在收受回扣现象。\n"
    "涉及的设备采购金额较大，群众意见强烈。\n"
    "建议：一是纪检部门介入调查；二是完善药品设备集中采购制度。"
)
OTHER_PRIVATE_TITLE = "关于某乡镇干部家属经营砂石场的情况"
OTHER_PRIVATE_BODY = (
    "某乡镇干部的亲属长期经营砂石场，占用河道。\n建议：一是自然资源部门核查；二是依法处置。"
)
PUBLIC_TITLE = "关于加强县医院药品采购监管的建议"
PUBLIC_BODY = "药品采购环节监管薄弱。\n建议：一是推行阳光采购；二是定期公开采购信息。"


def secrets() -> list[str]:
    """What may not be read outside the proposer's circle and the staff: titles, body lines."""
    lines = [line for body in (PRIVATE_BODY, OTHER_PRIVATE_BODY) for line in body.splitlines()]
    return [PRIVATE_TITLE, OTHER_PRIVATE_TITLE, *(line[:12] for line in lines), "提案人："]


async def leaks(services: Services, *, after: int = 0) -> list[tuple[str, str]]:
    """(group, text) of every group message, outside the staff groups, that gives a private
    record away."""
    found = []
    for row in await outbox_rows(services):
        if (row.id or 0) <= after or row.target_type != "group" or row.target_id == STAFF_GROUP:
            continue
        text = outbox_text(row)
        if any(secret in text for secret in secrets()):
            found.append((row.target_id, text))
    return found


async def last_id(services: Services) -> int:
    rows = await outbox_rows(services)
    return rows[-1].id or 0 if rows else 0


@pytest.fixture
async def office(services: Services, clock: FakeClock) -> Requester:
    clock.set(local_morning(date(2026, 3, 2)))  # a Monday; the year's holidays are known
    await setup_people(services)
    for group, kind, sector in (
        (WHOLE, ChannelKind.WHOLE, None),
        (SECTOR, ChannelKind.SECTOR, "农业界"),
        (STAFF_GROUP, ChannelKind.STAFF, None),
        (UNIT_GROUP, ChannelKind.UNIT, None),
    ):
        await services.channels.bind(group, kind, sector=sector, bound_by=STAFF)
    return await requester(services, STAFF, f"group:{STAFF_GROUP}")


async def submit(
    services: Services, title: str, body: str, *, private: bool, user: str = "20001"
) -> Record:
    identity = await register(services, user, "张三" if user == "20001" else "李四")
    source = Source.private() if private else Source.group(WHOLE)
    result = await services.intake.submit(post(title, body), identity=identity, source=source)
    return result.record


async def accepted(services: Services, staff: Requester, record: Record) -> Record:
    await services.proposals.accept(str(record.number), staff)
    return await services.records.get(record.id or 0)


# ---------------------------------------------------------------------- path by path


async def test_assignment_tells_the_unit_group_only_to_look_privately(
    services: Services, office: Requester
) -> None:
    record = await accepted(
        services, office, await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    )
    mark = await last_id(services)
    await services.proposals.assign(str(record.number), office, AssignSpec(EDU, [FIN]))
    rows = [r for r in await outbox_rows(services) if (r.id or 0) > mark]
    (in_group,) = [r for r in rows if r.target_type == "group"]
    assert in_group.target_id == UNIT_GROUP
    assert [p.get("user_id") for p in in_group.parts if p["type"] == "mention"] == [
        EDU_CONTACT,
        FIN_CONTACT,
    ]
    assert outbox_text(in_group).strip() == (
        "【提案交办】您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。"
    )
    # the contacts get the notice itself, one-to-one
    private = {r.target_id: outbox_text(r) for r in rows if r.target_type == "private"}
    assert PRIVATE_TITLE in private[EDU_CONTACT]
    assert "纪检部门介入调查" in private[EDU_CONTACT]
    assert PRIVATE_TITLE in private[FIN_CONTACT]
    assert await leaks(services) == []


async def test_an_assisting_opinion_is_not_read_in_the_unit_group(
    services: Services, office: Requester
) -> None:
    record = await accepted(
        services, office, await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    )
    await services.proposals.assign(str(record.number), office, AssignSpec(EDU, [FIN]))
    mark = await last_id(services)
    fin = await requester(services, FIN_CONTACT)
    await services.proposals.progress(str(record.number), fin, "资金可从专项中安排")
    rows = [r for r in await outbox_rows(services) if (r.id or 0) > mark]
    (in_group,) = [r for r in rows if r.target_type == "group"]
    assert outbox_text(in_group).strip() == (
        "【会办意见】您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。"
    )
    (to_lead,) = [r for r in rows if r.target_type == "private"]
    assert "资金可从专项中安排" in outbox_text(to_lead)
    assert PRIVATE_TITLE in outbox_text(to_lead)


async def test_deadline_reminders_and_escalations(
    services: Services, office: Requester, clock: FakeClock
) -> None:
    record = await accepted(
        services, office, await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    )
    await services.proposals.assign(str(record.number), office, AssignSpec(EDU, [], "2026-03-20"))
    mark = await last_id(services)
    clock.set(local_morning(date(2026, 3, 17)))  # 3 working days left
    await services.reminders.sweep()
    clock.set(local_morning(date(2026, 3, 23)))  # overdue: the staff group is told too
    await services.reminders.sweep()
    rows = [r for r in await outbox_rows(services) if (r.id or 0) > mark]
    consult = [r for r in rows if r.purpose == "consultation"]  # 办理协商: also a pointer only
    assert [outbox_text(r).strip() for r in consult if r.target_id == UNIT_GROUP] == [
        "【办理协商提醒】您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。"
    ]
    rows = [r for r in rows if r.purpose != "consultation"]
    unit_group = [outbox_text(r).strip() for r in rows if r.target_id == UNIT_GROUP]
    assert unit_group == [
        "【办理提醒】您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。",
        "【逾期提醒】您有一条新的办理通知，已私聊发送，请查看与机器人的私聊消息。",
    ]
    to_contact = [outbox_text(r) for r in rows if r.target_id == EDU_CONTACT]
    assert len(to_contact) == 2
    assert all(PRIVATE_TITLE in t for t in to_contact)
    assert any(r.target_id == STAFF_GROUP for r in rows)  # escalation: staff may read it
    assert await leaks(services) == []


async def test_merges_do_not_carry_a_private_title_to_others(
    services: Services, office: Requester
) -> None:
    public = await submit(services, PUBLIC_TITLE, PUBLIC_BODY, private=False, user="20002")
    private = await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    await services.proposals.merge(str(private.number), str(public.number), office)
    shown = await services.records.timeline(public.id or 0, include_internal=False)
    assert all(PRIVATE_TITLE not in entry.detail for entry in shown)
    told = [outbox_text(r) for r in await outbox_rows(services) if r.target_id == "20002"]
    assert told
    assert all(PRIVATE_TITLE not in t for t in told)
    # the other way round: a public record merged into a private one
    other_private = await submit(services, OTHER_PRIVATE_TITLE, OTHER_PRIVATE_BODY, private=True)
    third = await submit(
        services, "关于河道采砂管理的建议", PUBLIC_BODY, private=False, user="20002"
    )
    await services.proposals.merge(str(third.number), str(other_private.number), office)
    shown = await services.records.timeline(third.id or 0, include_internal=False)
    assert all(OTHER_PRIVATE_TITLE not in entry.detail for entry in shown)


async def test_a_rejected_private_proposal_stays_private_as_an_opinion(
    services: Services, office: Requester
) -> None:
    record = await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    outcome = await services.proposals.reject(
        str(record.number), office, "宜作社情民意", to_opinion=True
    )
    opinion = await services.records.get(outcome.record.linked_record_id or 0)
    assert (opinion.kind, opinion.source_kind) == (RecordKind.OPINION, "private")
    await services.opinions.adopt(str(opinion.number), office)
    for kind in DigestKind:
        await services.digests.run_now(kind)
    assert await leaks(services) == []


async def test_failure_reports_go_to_staff_groups_only(
    services: Services, office: Requester
) -> None:
    record = await accepted(
        services, office, await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    )
    await services.proposals.assign(str(record.number), office, AssignSpec(EDU))
    async with services.db.session() as session:
        rows = list((await session.exec(select(OutboxMessage))).all())
        for row in rows:
            row.status = OutboxStatus.FAILED
            row.last_error = "not a friend"
            session.add(row)
        await session.commit()
    mark = await last_id(services)
    assert await services.outbox_reports.report() == len(rows)
    reports = [r for r in await outbox_rows(services) if (r.id or 0) > mark]
    assert {r.target_id for r in reports} == {STAFF_GROUP}
    assert await leaks(services) == []


# ---------------------------------------------------------------------- a whole life


async def test_a_private_proposal_s_whole_life_leaves_no_trace_in_other_groups(
    services: Services, office: Requester, clock: FakeClock
) -> None:
    """Submitted privately, reviewed, assigned with 会办, reminded, overdue, answered, found
    unsatisfying, handled again, answered, evaluated, concluded; digests of every kind on the
    way; a second private proposal withdrawn, a third rejected into an opinion lead."""
    staff = office
    edu = await requester(services, EDU_CONTACT)
    fin = await requester(services, FIN_CONTACT)
    proposer = await requester(services, "20001")
    record = await submit(services, PRIVATE_TITLE, PRIVATE_BODY, private=True)
    n = str(record.number)
    withdrawn = await submit(services, OTHER_PRIVATE_TITLE, OTHER_PRIVATE_BODY, private=True)
    await services.withdrawals.withdraw(withdrawn, proposer.identity, source="private")
    await services.proposals.accept(n, staff)
    await services.proposals.mark_key(n, staff)
    await services.proposals.assign(n, staff, AssignSpec(EDU, [FIN], "2026-03-27"))
    await services.proposals.progress(n, fin, "资金可从专项中安排")
    await services.proposals.progress(n, edu, "已到现场调研")
    for day in (date(2026, 3, 3), date(2026, 3, 25), date(2026, 3, 30), date(2026, 4, 2)):
        clock.set(local_morning(day))
        await services.reminders.sweep()
        for kind in DigestKind:
            await services.digests.run_now(kind)
            clock.advance(timedelta(seconds=1))
    await services.proposals.answer(n, edu, AnswerCategory.B, "已列入明年计划")
    await services.proposals.evaluate(n, proposer, EvaluationResult.UNSATISFIED, "不具体")
    await services.proposals.assign(n, staff, AssignSpec(None))
    await services.proposals.answer(n, edu, AnswerCategory.A, "已解决")
    await services.proposals.evaluate(n, proposer, EvaluationResult.SATISFIED, "")
    await services.proposals.conclude(n, staff)
    clock.set(local_morning(date(2026, 4, 7)))
    for kind in DigestKind:
        await services.digests.run_now(kind)
    third = await submit(services, OTHER_PRIVATE_TITLE + "（二）", OTHER_PRIVATE_BODY, private=True)
    await services.proposals.reject(str(third.number), staff, "宜作社情民意", to_opinion=True)
    rows = await outbox_rows(services)
    assert any(r.target_id == UNIT_GROUP for r in rows)  # the unit group was @-ed …
    assert any(PRIVATE_TITLE in outbox_text(r) for r in rows if r.target_id == EDU_CONTACT)
    assert await leaks(services) == []  # … but read nothing of the record
