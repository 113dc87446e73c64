"""Workflow command tests: a staff group, people and units, and a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.clock import FakeClock
from bot.core.models import ChannelKind, Unit
from bot.core.services import Services
from tests.chat_utils import local_morning
from tests.workflow_utils import STAFF, setup_people

STAFF_GROUP = 900002
UNIT_GROUP = 900003
MEMBER_GROUP = 900001


@pytest.fixture
async def units(services: Services, clock: FakeClock) -> dict[str, Unit]:
    clock.set(local_morning(date(2026, 3, 2)))  # Monday; the answer is due 2026-06-02
    found = await setup_people(services)
    await services.channels.bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=STAFF)
    await services.channels.bind(str(UNIT_GROUP), ChannelKind.UNIT, sector=None, bound_by=STAFF)
    await services.channels.bind(str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=STAFF)
    return found
