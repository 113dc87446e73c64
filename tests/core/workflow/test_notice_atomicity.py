"""A workflow step and the notices it causes commit in one transaction (issue 17, item 3).

Each test lets the step run until it commits with a notice queued, and makes that commit fail
(as a crash would: the process dies before the commit is durable). Nothing of the step may be
left: neither the state change nor its timeline entry nor any message. Before, a step committed
its change first and queued its notices afterwards, each in its own transaction; a crash between
the two left e.g. a proposal 已立案 whose proposer was never told (and repeating 立案 is refused).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, func
from sqlmodel import Session, select

from bot.core.models import (
    Answer,
    AnswerCategory,
    Assignment,
    ChannelKind,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    OutboxMessage,
    Record,
    RecordStatus,
    TimelineEntry,
    Unit,
)
from bot.core.records.kinds import RecordKind
from bot.core.workflow.parsing import AssignSpec
from tests.utils import STAFF_GROUP_ID as STAFF_GROUP
from tests.utils import UNIT_GROUP_ID as UNIT_GROUP
from tests.workflow_utils import (
    COSIGNER,
    EDU,
    FIN,
    STAFF,
    add_record,
    requester,
)

if TYPE_CHECKING:
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

S = RecordStatus


class Crash(RuntimeError):
    """The commit that would have made a queued notice durable never happens."""


@contextmanager
def crash_on_notice_commit() -> Iterator[list[int]]:
    """Fail every commit of a transaction that queued an outbox row; yields the failed ones.

    (The rows are seen when they are flushed: after a flush the session may no longer hold
    them, its identity map being weak.)"""
    failed: list[int] = []
    carrying: set[int] = set()

    def after_flush(session: Session, _context: object) -> None:
        if any(isinstance(o, OutboxMessage) for o in session.new):
            carrying.add(id(session))

    def before_commit(session: Session) -> None:
        if id(session) in carrying or any(isinstance(o, OutboxMessage) for o in session.new):
            carrying.discard(id(session))
            failed.append(1)
            raise Crash("killed before the notice was committed")

    def after_rollback(session: Session) -> None:
        carrying.discard(id(session))

    hooks = [
        ("after_flush", after_flush),
        ("before_commit", before_commit),
        ("after_soft_rollback", lambda session, _tx: after_rollback(session)),
    ]
    for name, hook in hooks:
        event.listen(Session, name, hook)
    try:
        yield failed
    finally:
        for name, hook in hooks:
            event.remove(Session, name, hook)


async def snapshot(services: Services) -> dict[str, Any]:
    """Everything a step may change."""
    async with services.db.session() as session:
        counts = {
            model.__name__: (await session.exec(select(func.count()).select_from(model))).one()
            for model in (
                Record,
                TimelineEntry,
                OutboxMessage,
                Assignment,
                Answer,
                Evaluation,
                Cosign,
            )
        }
        records = (await session.exec(select(Record.id, Record.status, Record.is_key))).all()
        cosigns = (await session.exec(select(Cosign.id, Cosign.status))).all()
    return {"counts": counts, "records": sorted(records), "cosigns": sorted(cosigns)}


Step = Callable[[], Awaitable[object]]


async def _accepted(services: Services, staff: Requester) -> Record:
    record = await add_record(services)
    await services.proposals.accept(str(record.number), staff)
    return record


async def _assigned(services: Services, staff: Requester, assisting: list[str]) -> Record:
    record = await _accepted(services, staff)
    await services.proposals.assign(str(record.number), staff, AssignSpec(EDU, assisting))
    return record


async def _answered(services: Services, staff: Requester, edu: Requester) -> Record:
    record = await _assigned(services, staff, [])
    await services.proposals.answer(str(record.number), edu, AnswerCategory.B, "已列入计划")
    return record


async def step_accept(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await add_record(services)
    return lambda: services.proposals.accept(str(record.number), staff)


async def step_reject(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await add_record(services)
    return lambda: services.proposals.reject(str(record.number), staff, "属于个人事务")


async def step_reject_to_opinion(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await add_record(services)
    return lambda: services.proposals.reject(
        str(record.number), staff, "宜作社情民意", to_opinion=True
    )


async def step_merge(services: Services, staff: Requester, **_: Requester) -> Step:
    target = await add_record(services)
    other = await add_record(services, user_id=COSIGNER, name="李四", title="另一件相近的建议")
    return lambda: services.proposals.merge(str(other.number), str(target.number), staff)


async def step_assign(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await _accepted(services, staff)
    return lambda: services.proposals.assign(str(record.number), staff, AssignSpec(EDU, [FIN]))


async def step_assisting_opinion(
    services: Services, staff: Requester, fin: Requester, **_: Requester
) -> Step:
    record = await _assigned(services, staff, [FIN])
    return lambda: services.proposals.progress(str(record.number), fin, "资金可从专项中安排")


async def step_answer(services: Services, staff: Requester, edu: Requester, **_: Requester) -> Step:
    record = await _assigned(services, staff, [])
    return lambda: services.proposals.answer(
        str(record.number), edu, AnswerCategory.A, "已建成污水处理站"
    )


async def step_evaluate(
    services: Services, staff: Requester, edu: Requester, proposer: Requester, **_: Requester
) -> Step:
    record = await _answered(services, staff, edu)
    return lambda: services.proposals.evaluate(
        str(record.number), proposer, EvaluationResult.UNSATISFIED, "没有回应建议"
    )


async def step_conclude(
    services: Services, staff: Requester, edu: Requester, proposer: Requester, **_: Requester
) -> Step:
    record = await _answered(services, staff, edu)
    await services.proposals.evaluate(str(record.number), proposer, EvaluationResult.SATISFIED, "")
    return lambda: services.proposals.conclude(str(record.number), staff)


async def step_mark_key(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await _accepted(services, staff)
    return lambda: services.proposals.mark_key(str(record.number), staff)


def _opinion_step(action: str, status: RecordStatus | None, *args: str) -> Any:
    async def make(services: Services, staff: Requester, **_: Requester) -> Step:
        record = await add_record(services, kind=RecordKind.OPINION, status=status)
        method = getattr(services.opinions, action)
        return lambda: method(str(record.number), staff, *args)

    make.__name__ = f"step_opinion_{action}"
    return make


async def step_withdraw(
    services: Services, staff: Requester, proposer: Requester, **_: Requester
) -> Step:
    record = await add_record(services, cosigners=[(COSIGNER, "李四")])
    return lambda: services.withdrawals.withdraw(record, proposer.identity, source="private")


async def step_cosign(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await add_record(services)
    cosigner = await requester(services, COSIGNER)
    return lambda: services.cosigns.cosign(record, cosigner.identity, source="private")


async def step_confirm_invitation(services: Services, staff: Requester, **_: Requester) -> Step:
    record = await add_record(services)
    async with services.db.session() as session:
        session.add(
            Cosign(
                record_id=record.id or 0,
                user_id=COSIGNER,
                name="李四",
                status=CosignStatus.PENDING,
                invited=True,
                created_at=services.clock.now(),
            )
        )
        await session.commit()
    cosigner = await requester(services, COSIGNER)
    return lambda: services.cosigns.cosign(record, cosigner.identity, source="private")


STEPS = [
    step_accept,
    step_reject,
    step_reject_to_opinion,
    step_merge,
    step_assign,
    step_assisting_opinion,
    step_answer,
    step_evaluate,
    step_conclude,
    step_mark_key,
    _opinion_step("adopt", None),
    _opinion_step("not_adopt", None, "与已有信息重复"),
    _opinion_step("submit_up", S.ADOPTED, "市政协"),
    _opinion_step("instruction", S.ADOPTED, "县长批示：请农业农村局研究"),
    _opinion_step("implement", S.SUBMITTED_UP, "已建成"),
    step_withdraw,
    step_cosign,
    step_confirm_invitation,
]


@pytest.mark.parametrize("make_step", STEPS, ids=[s.__name__.removeprefix("step_") for s in STEPS])
async def test_a_crash_at_the_commit_leaves_neither_change_nor_notice(
    services: Services,
    units: dict[str, Unit],
    staff: Requester,
    proposer: Requester,
    edu: Requester,
    fin: Requester,
    make_step: Callable[..., Awaitable[Step]],
) -> None:
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by=STAFF)
    await services.channels.bind(UNIT_GROUP, ChannelKind.UNIT, sector=None, bound_by=STAFF)
    step = await make_step(services, staff, edu=edu, fin=fin, proposer=proposer)
    before = await snapshot(services)
    with crash_on_notice_commit() as failed, pytest.raises(Crash):
        await step()
    assert failed == [1]  # one transaction carried the notices (and it failed)
    assert await snapshot(services) == before
    # and without the crash, the step and its notices are there, once
    await step()
    after = await snapshot(services)
    assert after["counts"]["OutboxMessage"] > before["counts"]["OutboxMessage"]
    assert (
        after["records"] != before["records"]
        or after["cosigns"] != before["cosigns"]
        or (after["counts"]["TimelineEntry"] > before["counts"]["TimelineEntry"])
    )
