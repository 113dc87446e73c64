"""Two real `python -m bot` processes on one PostgreSQL database, each with its own simulator of
the same QQ account (issue 15 item 4): one instance runs the schedules and drains the account's
outbox (leases, bot/core/leases.py); a digest and a reminder go out once; after the holder is
killed (-9) the other takes both leases over and sends what comes due, without resending.

Short leases (LEASE_SECONDS=10, renewed every second) and a faked clock (libfaketime: both
processes start on Thursday 3 December 2026, 10:00 local, so the 09:00 daily digest and a
deadline reminder are due at start). REMINDER_SWEEP_MINUTES=60: the only sweeps are the one
after a start and the one after a takeover, so what each instance sends is determined.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.core.clock import FakeClock
from bot.core.models import ChannelKind, DigestRun, OutboxMessage, RecordStatus, Unit
from bot.core.services import CoreConfig, Services
from bot.devtools.botprocess import LIBFAKETIME, BotProcess
from bot.devtools.onebot_sim import OneBotSimulator, SentMessage
from bot.settings import DEFAULT_DATA_DIR
from tests import dbutil
from tests.core.schedule_data import add_record, add_unit, assign, local
from tests.e2e.conftest import FAST_OUTBOX, SUPERUSER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.core.schedule.workdays import WorkCalendar

pytestmark = [
    pytest.mark.skipif(not dbutil.is_postgres(), reason="two instances share PostgreSQL"),
    pytest.mark.skipif(LIBFAKETIME is None, reason="needs libfaketime (apt-get install faketime)"),
]

SELF_ID = 75_001
WHOLE_GROUP = 559001
CONTACT = 30001
START = "2026-12-03 02:00:00"  # Thursday 10:00 in Asia/Shanghai
THURSDAY = date(2026, 12, 3)
TIMEOUT = 60  # waits, not timed assertions
LEASES = {"LEASE_SECONDS": "10", "LEASE_RENEW_SECONDS": "1", "REMINDER_SWEEP_MINUTES": "60"}
#: DEBUG: a job that fires on the instance without the lease says so (and does nothing)
DEBUG = {"LOG_LEVEL": "DEBUG"}
FIRST_TITLE = "关于加快农村生活污水治理的建议"
SECOND_TITLE = "关于修缮人民广场健身器材的建议"


def due_in_three_working_days(calendar: WorkCalendar, today: date) -> date:
    """The date that is 3 working days after ``today`` (the reminder's d3 stage today)."""
    day, counted = today, 0
    while counted < 3:
        day += timedelta(days=1)
        counted += calendar.is_workday(day)
    return day


async def in_process(url: str) -> Services:
    """This test's own look at the shared database, its clock on Wednesday 10:00."""
    services = Services(
        CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR, lease_seconds=0.0),
        clock=FakeClock(local(2026, 12, 2, 10)),
    )
    await services.db.upgrade()
    await services.sectors.seed()
    await services.channels.load()
    await services.units.load()
    return services


async def assigned(services: Services, title: str, unit: Unit) -> None:
    """A proposal assigned on Wednesday, due so that Thursday is its 3-working-days stage."""
    record = await add_record(services, title, status=RecordStatus.ASSIGNED)
    await assign(services, record, unit, due_in_three_working_days(services.calendar, THURSDAY))


@pytest.fixture
async def shared(tmp_path: Path) -> AsyncIterator[tuple[str, Services]]:
    url = await dbutil.create_database(tmp_path)
    services = await in_process(url)
    try:
        yield url, services
    finally:
        await services.db.dispose()
        await dbutil.drop_database(url)


def simulator(process: BotProcess) -> OneBotSimulator:
    sim = OneBotSimulator(
        process.ws_url, self_id=SELF_ID, access_token=process.token, heartbeat_interval=None
    )
    sim.add_group(WHOLE_GROUP, "县政协全体委员")
    sim.add_friend(CONTACT, "教育局联系人")
    return sim


async def first_holder(bots: list[BotProcess]) -> BotProcess:
    """The process that took the `schedules` lease (polls both logs; a wait, not a timing)."""
    for _ in range(TIMEOUT * 10):
        for process in bots:
            if "lease schedules: taken by this instance" in process.current_log():
                return process
        await asyncio.sleep(0.1)
    raise TimeoutError("no instance took the schedules lease")


def texts(sim: OneBotSimulator, predicate: str) -> list[str]:
    return [m.text for m in sim.sent if predicate in m.text]


def is_digest(message: SentMessage) -> bool:
    return message.group_id == WHOLE_GROUP and "日报" in message.text


def is_reminder(title: str):  # type: ignore[no-untyped-def]
    return lambda m: m.user_id == CONTACT and "办理提醒" in m.text and title in m.text


async def test_one_instance_sends_and_the_other_takes_over_after_a_kill(
    tmp_path: Path, shared: tuple[str, Services]
) -> None:
    url, services = shared
    await services.channels.bind(
        str(WHOLE_GROUP), ChannelKind.WHOLE, sector=None, bound_by=str(SUPERUSER)
    )
    assert isinstance(services.clock, FakeClock)
    services.clock.advance(timedelta(minutes=1))  # the proposals come after the binding
    unit = await add_unit(services, "县教育局", contacts=(str(CONTACT),))
    await assigned(services, FIRST_TITLE, unit)

    env = {**FAST_OUTBOX, **LEASES, **DEBUG}
    bots = [
        BotProcess(
            workdir=tmp_path / f"bot{n}",
            database_url=url,
            superusers=(str(SUPERUSER),),
            extra_env=env,
            fake_start=START,
        )
        for n in range(2)
    ]
    sims: list[OneBotSimulator] = []
    try:
        await asyncio.gather(*(process.astart(timeout=120) for process in bots))
        holder = await first_holder(bots)
        other = bots[1 - bots.index(holder)]
        # the holder of the schedules also takes the account's outbox: its simulator first
        holder_sim, other_sim = simulator(holder), simulator(other)
        sims += [holder_sim, other_sim]
        await holder_sim.connect(timeout=TIMEOUT)
        await holder.wait_for_log(rf"lease outbox:{SELF_ID}: taken by this instance", TIMEOUT)
        await other_sim.connect(timeout=TIMEOUT)
        await other.wait_for_log(rf"lease outbox:{SELF_ID}: held by", TIMEOUT)
        await other.wait_for_log(r"lease schedules: held by", TIMEOUT)

        # 1. the digest and the reminder due at start: sent once, by the holder
        digest = await holder_sim.wait_for_sent(is_digest, timeout=TIMEOUT)
        assert FIRST_TITLE in digest.text
        await holder_sim.wait_for_sent(is_reminder(FIRST_TITLE), timeout=TIMEOUT)
        await holder.wait_for_log(r"digest daily 2026-12-03 -> 559001: sent", TIMEOUT)
        # the other instance's start-up sweep fired too (5 s after its start), and did nothing
        await other.wait_for_log(r"reminder sweep: skipped, the lease schedules is held", TIMEOUT)
        assert "digest daily" not in other.current_log()
        assert re.search(r"reminder sweep: (?!skipped)", other.current_log()) is None

        # 2. another deadline comes due; the holder dies before its next sweep
        await assigned(services, SECOND_TITLE, unit)
        holder.kill()
        await holder_sim.close()
        await other.wait_for_log(r"lease schedules: taken by this instance", TIMEOUT)
        await other.wait_for_log(rf"lease outbox:{SELF_ID}: taken by this instance", TIMEOUT)
        reminder = await other_sim.wait_for_sent(is_reminder(SECOND_TITLE), timeout=TIMEOUT)
        assert "还有 3 个工作日到期" in reminder.text
        # its catch-up found the day's digest sent: not again
        await other.wait_for_log(
            r"digest daily 2026-12-03 -> 559001: done_before \(catch-up\)", TIMEOUT
        )
    finally:
        for sim in sims:
            await sim.close()
        await asyncio.gather(*(process.astop() for process in bots))

    # every message went out once, through one account's one drainer at a time
    assert [m.text for m in other_sim.sent if is_digest(m)] == []
    assert texts(other_sim, FIRST_TITLE) == []
    assert len(texts(holder_sim, "办理提醒")) == 1
    assert len(texts(other_sim, "办理提醒")) == 1
    async with services.db.session() as session:
        runs = (await session.exec(select(DigestRun))).all()
        rows = (await session.exec(select(OutboxMessage))).all()
    assert [(r.kind, r.period) for r in runs] == [("daily", "2026-12-03")]
    assert sorted(r.purpose for r in rows) == ["digest", "reminder", "reminder"]
    assert {r.status for r in rows} == {"sent"}
