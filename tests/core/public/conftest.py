"""The public engagement service tests' data (tests/public_data.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.public_data import PublicData, build

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def data(services: Services, clock: FakeClock) -> PublicData:
    return await build(services, clock)
