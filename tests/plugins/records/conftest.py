"""Each intake test starts with an empty similarity index and fresh rate counters."""

from __future__ import annotations

import pytest

from bot.core.services import Services


@pytest.fixture(autouse=True)
def fresh_intake(services: Services) -> None:
    services.intake.reset()
