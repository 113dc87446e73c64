"""The one helper every reminder stage goes through: a stage is handled once, its messages and
its reminder_log key commit together, and a stage another sweep handled first is a no-op."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.delivery.outbox import Target
from bot.core.models import OutboxMessage, ReminderLog
from bot.core.schedule.reminders.stages import Reminder, Stages, SweepReport

if TYPE_CHECKING:
    import pytest
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.services import Services


def reminder(services: Services, key: str, calls: list[str]) -> Reminder:
    async def queue(session: AsyncSession) -> int:
        calls.append(key)
        await services.outbox.enqueue(
            Target.private("20001"), f"提醒 {key}", purpose="reminder", dedup_key=key,
            session=session,
        )  # fmt: skip
        return 1

    return Reminder(key, None, queue)


async def rows(services: Services, model: type) -> list:  # type: ignore[type-arg]
    async with services.db.session() as session:
        return list((await session.exec(select(model))).all())


async def test_each_stage_once_with_its_log_entry(services: Services) -> None:
    stages = Stages(services.db, services.clock)
    calls: list[str] = []
    report = SweepReport()
    first = [reminder(services, "remind:a", calls), reminder(services, "remind:b", calls)]
    sent = await stages.send_new(first, report)
    assert [(r.key, queued) for r, queued in sent] == [("remind:a", 1), ("remind:b", 1)]
    assert report.keys == ["remind:a", "remind:b"]
    # the next sweep (a new helper: another process, or after a restart) skips both
    again = Stages(services.db, services.clock)
    await again.sync()
    assert await again.send_new([reminder(services, "remind:a", calls)], SweepReport()) == []
    assert calls == ["remind:a", "remind:b"]
    logged = sorted((r.key, r.queued) for r in await rows(services, ReminderLog))
    assert logged == [("remind:a", 1), ("remind:b", 1)]
    assert len(await rows(services, OutboxMessage)) == 2


async def test_a_stage_handled_concurrently_queues_nothing(services: Services) -> None:
    late = Stages(services.db, services.clock)
    assert await late.done(["remind:c"]) == set()  # looked up before the other sweep wrote it
    assert await Stages(services.db, services.clock).send(reminder(services, "remind:c", [])) == 1
    calls: list[str] = []
    assert await late.send(reminder(services, "remind:c", calls)) is None
    assert calls == ["remind:c"]  # it tried, and its message rolled back with its log entry
    assert len(await rows(services, OutboxMessage)) == 1
    assert len(await rows(services, ReminderLog)) == 1


async def test_unlogged_stages_keep_their_own_record(services: Services) -> None:
    stages = Stages(services.db, services.clock)
    assert await stages.send(reminder(services, "escalate:2026-W48", []), logged=False) == 1
    assert await rows(services, ReminderLog) == []
    assert len(await rows(services, OutboxMessage)) == 1


async def test_many_stages_share_a_transaction(services: Services) -> None:
    """After a long outage thousands are due: BATCH stages a transaction, not one each."""
    from sqlalchemy import event

    from bot.core.schedule.reminders import stages as stages_module

    commits: list[int] = []
    engine = services.db.engine.sync_engine
    listener = lambda _conn: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        count = stages_module.BATCH + 3
        reminders = [reminder(services, f"remind:n{n}", []) for n in range(count)]
        sent = await Stages(services.db, services.clock).send_new(reminders, SweepReport())
    finally:
        event.remove(engine, "commit", listener)
    assert len(sent) == count
    assert len(commits) == 2  # two batches
    assert len(await rows(services, OutboxMessage)) == count
    assert len(await rows(services, ReminderLog)) == count


async def test_a_batch_that_clashes_is_redone_one_stage_at_a_time(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = Stages(services.db, services.clock)
    keys = [f"remind:m{n}" for n in range(5)]

    async def looked_up_before(_keys: object) -> set[str]:
        return set()  # as if looked up just before another sweep handled one of them

    monkeypatch.setattr(late, "done", looked_up_before)
    await Stages(services.db, services.clock).send(reminder(services, keys[2], []))
    calls: list[str] = []
    report = SweepReport()
    sent = await late.send_new([reminder(services, key, calls) for key in keys], report)
    assert calls.count(keys[0]) == 2  # tried in the batch, then again on its own
    assert [r.key for r, _ in sent] == [keys[0], keys[1], keys[3], keys[4]]
    assert report.keys == [keys[0], keys[1], keys[3], keys[4]]
    # each stage once: the batch rolled back, then one transaction a stage
    messages = sorted(row.dedup_key or "" for row in await rows(services, OutboxMessage))
    assert messages == sorted(keys)
    assert sorted(r.key for r in await rows(services, ReminderLog)) == sorted(keys)
