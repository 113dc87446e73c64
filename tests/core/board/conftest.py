"""The board's hand-made fixture (tests/board_data.py) on the session's services."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.board_data import BoardData, build

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def data(services: Services, clock: FakeClock) -> BoardData:
    return await build(services, clock)
