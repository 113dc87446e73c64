"""The public engagement service tests' data (tests/public_data.py)."""

from __future__ import annotations

import pytest

from bot.core.clock import FakeClock
from bot.core.services import Services
from tests.public_data import PublicData, build


@pytest.fixture
async def data(services: Services, clock: FakeClock) -> PublicData:
    return await build(services, clock)
