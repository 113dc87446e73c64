"""Queueing group notices inside a caller's transaction makes no other database round trip.

On SQLite that transaction holds the write lock. Since bindings follow other processes' changes
(bot/core/changes.py), looking the groups up could start the periodic version read, through
`Database.run_sync`, i.e. a worker thread of the default executor; under a burst every worker
thread is a writer waiting for that very lock, so the read waited for the busy timeout (10 s),
and those writers failed with "database is locked": commands answered 出错了 and, during a
re-delivery after a crash, posts and changes were lost (bench/bench_reliability.py, kill -9 runs
on SQLite). Inside a transaction the groups are now taken from the cache as it is; it is never
staler than the check interval, which every incoming message keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.core.models import ChannelKind, Member

if TYPE_CHECKING:
    import pytest

    from bot.core.services import Services

STAFF_GROUP = "900002"
UNIT_GROUP = "900003"


async def test_group_notices_queued_in_a_transaction_start_no_other_round_trip(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await services.channels.bind(STAFF_GROUP, ChannelKind.STAFF, sector=None, bound_by="1")
    await services.channels.bind(UNIT_GROUP, ChannelKind.UNIT, sector=None, bound_by="1")
    unit, _created = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "教育局小刘")
    monkeypatch.setattr(services.changes, "interval", 0.0)
    await services.changes.refresh(force=True)  # the next look at the versions is due now

    elsewhere: list[str] = []
    real_run_sync, real_session = services.db.run_sync, services.db.session

    async with real_session() as session:
        session.add(Member(user_id="20001", name="张三", created_at=services.clock.now()))
        await session.flush()  # the transaction writes: on SQLite it holds the write lock

        async def run_sync(fn: Any, *args: Any, **kwargs: Any) -> Any:
            elsewhere.append(f"run_sync {getattr(fn, '__name__', fn)}")
            return await real_run_sync(fn, *args, **kwargs)

        def other_session() -> Any:
            elsewhere.append("session")
            return real_session()

        monkeypatch.setattr(services.db, "run_sync", run_sync)
        monkeypatch.setattr(services.db, "session", other_session)
        staff = await services.notifier.to_staff_groups("新提案", session=session)
        delivery = await services.notifier.to_units(
            [(unit.id or 0, "交办")], "交办", session=session
        )
        await session.commit()

    assert elsewhere == []
    assert staff == 1
    assert delivery.queued == 2  # the contact privately, and the unit group
