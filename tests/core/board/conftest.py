"""The board's hand-made fixture (tests/board_data.py) on the session's services."""

from __future__ import annotations

import pytest

from bot.core.clock import FakeClock
from bot.core.services import Services
from tests.board_data import BoardData, build


@pytest.fixture
async def data(services: Services, clock: FakeClock) -> BoardData:
    return await build(services, clock)
