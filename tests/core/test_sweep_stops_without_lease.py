"""The reminder sweep asks before each kind of reminder whether it may go on (the schedules'
lease, bot/core/leases.py): a lost lease stops it there; the new holder sends the rest once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.models import RecordStatus
from tests.core.schedule_data import add_record, add_unit, assign, set_local
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_a_sweep_told_to_stop_queues_nothing_and_the_next_one_does_it_once(
    services: Services, clock: FakeClock
) -> None:
    set_local(clock, 2026, 12, 2, 10)  # Wednesday
    unit = await add_unit(services, "县教育局", contacts=("30001",))
    record = await add_record(services, "关于校车安全的建议", status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, date(2026, 12, 8))
    clock.advance(timedelta(days=1))  # Thursday: three working days left
    asked: list[int] = []

    def lost() -> bool:
        asked.append(1)
        return False

    stopped = await services.reminders.sweep(proceed=lost)
    assert stopped.stopped
    assert (stopped.deadline, asked) == (0, [1])
    assert [r for r in await outbox_rows(services) if r.purpose == "reminder"] == []
    done = await services.reminders.sweep(proceed=lambda: True)
    assert (done.stopped, done.deadline) == (False, 1)
    assert (await services.reminders.sweep()).deadline == 0
    assert len([r for r in await outbox_rows(services) if r.purpose == "reminder"]) == 1
