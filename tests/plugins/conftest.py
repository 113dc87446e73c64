"""Fixtures shared by the chat tests of every plugin."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind, Unit
from tests import utils
from tests.utils import MEMBER_GROUP, STAFF_GROUP, UNIT_GROUP, local_morning
from tests.workflow_utils import STAFF, setup_people

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def people(services: Services) -> None:
    """A member of 农业界 (tests.utils.MEMBER, 张三) and a staff member (STAFF, 王秘书)."""
    await services.members.register_from_card(str(utils.MEMBER), "农业界-张三")
    await services.members.set_staff(str(utils.STAFF), True, display_name="王秘书")


@pytest.fixture
async def units(services: Services, clock: FakeClock) -> dict[str, Unit]:
    """Staff, members and units (tests/workflow_utils.py), the staff, unit and members' groups
    bound, and a fixed day: Monday 2026-03-02 (an answer assigned today is due 2026-06-02)."""
    clock.set(local_morning(date(2026, 3, 2)))
    found = await setup_people(services)
    await services.channels.bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=STAFF)
    await services.channels.bind(str(UNIT_GROUP), ChannelKind.UNIT, sector=None, bound_by=STAFF)
    await services.channels.bind(str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=STAFF)
    return found
