"""Fixtures for the workflow service tests: people and units on the session's services."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from tests.utils import local_morning
from tests.workflow_utils import (
    EDU_CONTACT,
    FIN_CONTACT,
    PROPOSER,
    STAFF,
    requester,
    setup_people,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.core.clock import FakeClock
    from bot.core.models import Unit
    from bot.core.services import Services
    from bot.core.workflow.common import Requester


@pytest.fixture
def on_day(clock: FakeClock) -> Callable[[date], None]:
    def set_day(day: date) -> None:
        clock.set(local_morning(day))

    return set_day


@pytest.fixture
async def units(services: Services, clock: FakeClock) -> dict[str, Unit]:
    clock.set(local_morning(date(2026, 3, 2)))  # a Monday; the year's holidays are known
    return await setup_people(services)


@pytest.fixture
async def staff(services: Services, units: dict[str, Unit]) -> Requester:
    return await requester(services, STAFF, "group:900002")


@pytest.fixture
async def proposer(services: Services, units: dict[str, Unit]) -> Requester:
    return await requester(services, PROPOSER)


@pytest.fixture
async def edu(services: Services, units: dict[str, Unit]) -> Requester:
    return await requester(services, EDU_CONTACT, "group:900003")


@pytest.fixture
async def fin(services: Services, units: dict[str, Unit]) -> Requester:
    return await requester(services, FIN_CONTACT)
