"""SimilarityService (bot/core/intake/index.py): similar records, rebuilding, the snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import (
    RecordStatus,
)
from bot.core.records.kinds import RecordKind
from tests.intake_helpers import (
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_REWORDED,
    SEWAGE_REWORDED_TITLE,
    SEWAGE_TITLE,
    group_source,
    post,
    register,
)
from tests.workflow_utils import write_directly

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_similar_proposals_come_from_the_index(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    assert first.similar == []
    await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
    second = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED), identity=li, source=group_source()
    )
    assert [s.record.id for s in second.similar] == [first.record.id]
    assert 0.3 <= second.similar[0].score <= 1.0
    # an opinion lead on the same matter is a different kind
    opinion = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED + "补充", "#社情民意"),
        identity=li,
        source=group_source(),
    )
    assert opinion.similar == []

    await services.withdrawals.withdraw(first.record, zhang, source="private")
    third = await services.similarity.similar(RecordKind.PROPOSAL, SEWAGE_TITLE, SEWAGE)
    assert [s.record.id for s in third] == [second.record.id]


async def test_similar_covers_this_year_and_last_only(services: Services, clock: FakeClock) -> None:
    zhang = await register(services, "20001", "张三")
    now = clock.now()
    clock.set(now.replace(year=now.year - 2))
    old = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    clock.set(now.replace(year=now.year - 1))
    last = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE + "。"), identity=zhang, source=group_source()
    )
    clock.set(now)
    found = await services.similarity.similar(
        RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
    )
    assert [s.record.id for s in found] == [last.record.id]
    assert old.record.year == now.year - 2


async def test_index_is_rebuilt_from_the_database(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    kept = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    gone = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE + "补充"), identity=zhang, source=group_source()
    )
    await services.withdrawals.withdraw(gone.record, zhang, source="private")
    services.similarity.reset()
    assert (
        await services.similarity.similar(
            RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
        )
        == []
    )
    assert await services.similarity.rebuild_index() == 1
    found = await services.similarity.similar(
        RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
    )
    assert [s.record.id for s in found] == [kept.record.id]


async def test_stale_index_entries_are_dropped(services: Services) -> None:
    """A record id the index knows but the database holds other text for is not offered."""
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    services.similarity._indexed[first.record.id or 0] = "something else"
    assert (
        await services.similarity.similar(
            RecordKind.PROPOSAL, SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED
        )
        == []
    )
    assert (RecordKind.PROPOSAL.value, first.record.id) not in services.similarity.index


async def test_snapshot_is_reconciled_with_the_database(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    second = await services.intake.submit(
        post(SEWAGE_REWORDED_TITLE, SEWAGE_REWORDED), identity=zhang, source=group_source()
    )
    saved, services.similarity.snapshot = services.similarity.snapshot, tmp_path / "similarity.idx"
    try:
        assert await services.similarity.rebuild_index() == 2
        assert services.similarity.snapshot.exists()
        # withdrawn behind the index's back (as if while the bot was down)
        await write_directly(services, first.record, "withdraw", to_status=RecordStatus.WITHDRAWN)
        services.similarity.reset()
        assert await services.similarity.rebuild_index() == 1
        found = await services.similarity.similar(RecordKind.PROPOSAL, SEWAGE_TITLE, SEWAGE)
        assert [s.record.id for s in found] == [second.record.id]
        assert (RecordKind.PROPOSAL.value, first.record.id) not in services.similarity.index
    finally:
        services.similarity.snapshot = saved
