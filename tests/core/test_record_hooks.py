"""One way to change a record: every path goes through the state machine and tells the change
hooks after the commit; the similarity index follows without any caller's help."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput
from bot.core.intake.results import Source
from bot.core.models import RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.records.service import Actor
from bot.core.workflow.common import Requester
from bot.core.workflow.states import Action
from tests.intake_helpers import LIFT, LIFT_TITLE, SEWAGE, SEWAGE_TITLE, post
from tests.workflow_utils import (
    PROPOSER,
    STAFF,
    add_record,
    force_status,
    requester,
    setup_people,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.records.hooks import RecordChange
    from bot.core.services import Services

Seen = list[tuple[int, str, str | None, str]]


@pytest.fixture
async def heard(services: Services, clock: FakeClock) -> AsyncIterator[Seen]:
    """(record id, action, status before, status after) of every change the hooks hear of."""
    clock.set(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # a Monday morning in Beijing
    await setup_people(services)
    seen: Seen = []

    async def hook(change: RecordChange) -> None:
        record = change.record
        seen.append((record.id or 0, change.action, change.from_status, record.status))

    services.records.on_change(hook)
    try:
        yield seen
    finally:
        services.records.hooks.unregister(hook)


async def test_every_path_that_changes_a_record_tells_the_hooks(
    services: Services, heard: Seen
) -> None:
    staff = await requester(services, STAFF, "group:900002")
    proposer = await requester(services, PROPOSER)
    posted = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=proposer.identity, source=Source.private("1")
    )
    created = await add_record(services, title="乙", user_id="20002", name="李四")
    taken_back = await add_record(services, title="丙")
    rejected = await add_record(services, title="丁")
    opinion = await add_record(services, kind=RecordKind.OPINION, title="戊")
    assert heard == [
        (posted.record.id, "submit", None, "submitted"),
        (created.id, "submit", None, "submitted"),
        (taken_back.id, "submit", None, "submitted"),
        (rejected.id, "submit", None, "submitted"),
        (opinion.id, "submit", None, "submitted"),
    ]
    heard.clear()

    await services.proposals.accept(str(posted.record.number), staff)  # RecordFlow.apply
    await services.withdrawals.withdraw(taken_back, proposer.identity, source="private")
    await services.proposals.merge(str(created.number), str(posted.record.number), staff)
    converted = await services.proposals.reject(
        str(rejected.number), staff, "不属于提案受理范围", to_opinion=True
    )
    await services.opinions.adopt(str(opinion.number), staff)
    new_opinion = converted.record.linked_record_id
    assert heard == [
        (posted.record.id, "accept", "submitted", "accepted"),
        (taken_back.id, "withdraw", "submitted", "withdrawn"),
        (created.id, "merge", "submitted", "merged"),
        (rejected.id, "reject", "submitted", "rejected"),
        (new_opinion, "submit", None, "submitted"),  # created inside the 不立案's transaction
        (opinion.id, "adopt", "submitted", "adopted"),
    ]


async def test_withdrawal_is_checked_by_the_state_machine(services: Services, heard: Seen) -> None:
    proposer = await requester(services, PROPOSER)
    record = await add_record(services)
    await force_status(services, record, RecordStatus.ACCEPTED)  # reviewed meanwhile
    heard.clear()
    # the member's copy still says 已提交: the state machine refuses on the record as it is now
    with pytest.raises(InvalidInput, match=r"当前状态是“已立案”，不能撤回。只有尚未审查的"):
        await services.withdrawals.withdraw(record, proposer.identity, source="private")
    assert (await services.records.get(record.id or 0)).status == RecordStatus.ACCEPTED
    assert heard == []


async def test_a_change_the_state_machine_refuses_is_not_made(
    services: Services, heard: Seen
) -> None:
    record = await add_record(services)
    heard.clear()
    with pytest.raises(InvalidInput, match="不能答复"):
        await services.records.change(record, Action.ANSWER, Actor.system())
    assert (await services.records.get(record.id or 0)).status == RecordStatus.SUBMITTED
    timeline = await services.records.timeline(record.id or 0, include_internal=True)
    assert [entry.action for entry in timeline] == ["submit"]
    assert heard == []


async def test_a_failing_hook_neither_undoes_the_change_nor_silences_the_others(
    services: Services, heard: Seen, caplog: pytest.LogCaptureFixture
) -> None:
    record = await add_record(services)
    heard.clear()

    async def broken(change: RecordChange) -> None:
        raise RuntimeError("board cache unavailable")

    services.records.hooks._hooks.insert(0, broken)  # before the index and the test's hook
    try:
        with caplog.at_level(logging.ERROR, logger="bot.core.records.hooks"):
            changed = await services.records.change(record, Action.ACCEPT, Actor.system())
    finally:
        services.records.hooks.unregister(broken)
    assert changed.status == RecordStatus.ACCEPTED
    assert (await services.records.get(record.id or 0)).status == RecordStatus.ACCEPTED
    assert heard == [(record.id, "accept", "submitted", "accepted")]
    assert "a change hook failed" in caplog.text


async def test_the_similarity_index_follows_changes_made_outside_the_chat(
    services: Services, heard: Seen
) -> None:
    """A caller that is not a chat command (the coming web board) leaves the index in step."""
    staff = Requester((await requester(services, STAFF)).identity, "web")
    proposer = await requester(services, PROPOSER)
    target = await add_record(services, title=SEWAGE_TITLE, body=SEWAGE)
    merged = await add_record(services, title=LIFT_TITLE, body=LIFT, user_id="20002", name="李四")
    rejected = await add_record(services, title="关于规范校外培训的建议", body=LIFT)
    taken_back = await add_record(services, title="关于增设公交线路的建议", body=SEWAGE)
    ids = services.similarity.index.doc_ids
    assert {target.id, merged.id, rejected.id, taken_back.id} <= ids(RecordKind.PROPOSAL)

    await services.proposals.merge(str(merged.number), str(target.number), staff)
    converted = await services.proposals.reject(
        str(rejected.number), staff, "不属于提案受理范围", to_opinion=True
    )
    await services.withdrawals.withdraw(taken_back, proposer.identity, source="private")

    assert target.id in ids(RecordKind.PROPOSAL)
    assert merged.id not in ids(RecordKind.PROPOSAL)
    assert taken_back.id not in ids(RecordKind.PROPOSAL)
    assert rejected.id in ids(RecordKind.PROPOSAL)  # 不予立案 stays findable as a similar one
    assert converted.record.linked_record_id in ids(RecordKind.OPINION)
