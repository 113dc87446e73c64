"""Running a test in another local zone (BOT_TIMEZONE), set the way the bot sets it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.clock import DEFAULT_ZONE, local_zone, set_local_zone
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR

CHICAGO = "America/Chicago"


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
