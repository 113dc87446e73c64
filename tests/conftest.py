"""Test session: NoneBot with the project's plugins on a temporary database (SQLite by default,
PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings
from nonebug import NONEBOT_INIT_KWARGS

from bot.core.clock import DEFAULT_ZONE, FakeClock, local_zone, set_local_zone, utcnow
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR
from tests import dbutil
from tests.utils import CHICAGO, SELF_ID, SUPERUSER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

# Hypothesis's per-example deadline is a timed assertion: on a loaded 2-core machine a slow
# example fails a correct test. Examples still run; only their timing is not judged.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[NONEBOT_INIT_KWARGS] = {
        "driver": "~fastapi",
        "superusers": {SUPERUSER},
        "command_start": {"/", ""},
        "apscheduler_autostart": False,
        "log_level": "WARNING",
    }


@pytest.fixture(scope="session")
def test_clock() -> FakeClock:
    return FakeClock(utcnow())


@pytest.fixture(scope="session")
async def services(
    tmp_path_factory: pytest.TempPathFactory, test_clock: FakeClock
) -> AsyncIterator[Services]:
    url = await dbutil.create_database(tmp_path_factory.mktemp("db"))
    svc = Services(
        CoreConfig(
            database_url=url,
            data_dir=DEFAULT_DATA_DIR,
            superusers=(SUPERUSER,),
            # one process: other processes' changes are looked for once per test (after
            # clean_state), not at moments that depend on how fast a test runs
            change_check_seconds=3600.0,
            # one process, a clock that jumps by days: leases off (this process holds them
            # all); the leases are tested on their own (tests/core/test_leases.py, e2e)
            lease_seconds=0.0,
        ),
        clock=test_clock,
    )
    await svc.start()
    yield svc
    await svc.stop()
    await dbutil.drop_database(url)


@pytest.fixture(scope="session", autouse=True)
async def after_nonebot_init(after_nonebot_init: None, services: Services) -> None:
    import nonebot

    from bot.app import load_project_plugins
    from bot.nb import runtime
    from bot.nb.adapter import Adapter

    runtime.set_services(services)
    nonebot.get_driver().register_adapter(Adapter)
    load_project_plugins()


@pytest.fixture(autouse=True)
async def clean_state(services: Services, test_clock: FakeClock) -> AsyncIterator[None]:
    """Every test starts with empty tables, fresh caches and the clock at 'now'."""
    await dbutil.clear_tables(services.db.engine)
    await services.channels.load()
    services.dedup.forget_cache()
    services.contacts.forget_cache()  # the groups each person was seen in, like the tables
    services.similarity.reset()  # empty similarity index and rate counters, like the tables
    services.intake.throttle.reset()
    services.stats.forget()  # ids are reused once the tables are emptied
    services.board.forget()  # the board's in-memory index and figures, like the tables
    test_clock.set(utcnow())
    from bot.plugins.gate import forget_known

    forget_known()
    return


@pytest.fixture
def clock(test_clock: FakeClock) -> FakeClock:
    return test_clock


@pytest.fixture
def data_dir() -> Path:
    return DEFAULT_DATA_DIR


@pytest.fixture
def chicago(tmp_path: Path) -> Iterator[str]:
    """The local zone is America/Chicago for this test, set through the services' config (as
    at start: BOT_TIMEZONE -> CoreConfig.timezone -> Services); Asia/Shanghai again after."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'zone.db'}"
    Services(CoreConfig(database_url=url, data_dir=DEFAULT_DATA_DIR, timezone=CHICAGO))
    assert str(local_zone()) == CHICAGO
    try:
        yield CHICAGO
    finally:
        set_local_zone(DEFAULT_ZONE)


__all__ = ["SELF_ID", "timedelta"]
