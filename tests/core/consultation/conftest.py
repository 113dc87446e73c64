"""Fixtures for the consultation service tests: people, units and bound groups on a Monday."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from bot.core.consultation.parsing import PlanSpec
from bot.core.models import ChannelKind, Record, Unit
from bot.core.records.kinds import RecordKind
from tests.utils import MEMBER_GROUP, STAFF_GROUP, UNIT_GROUP, local_morning
from tests.workflow_utils import COSIGNER, STAFF, add_record, requester, setup_people

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services
    from bot.core.workflow.common import Requester

TOPIC = "关于推进农村人居环境整治的协商议题"


@pytest.fixture
async def units(services: Services, clock: FakeClock) -> dict[str, Unit]:
    clock.set(local_morning(date(2026, 3, 2)))  # a Monday
    found = await setup_people(services)
    bind = services.channels.bind
    await bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=STAFF)
    await bind(str(UNIT_GROUP), ChannelKind.UNIT, sector=None, bound_by=STAFF)
    await bind(str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=STAFF)
    return found


@pytest.fixture
async def staff(services: Services, units: dict[str, Unit]) -> Requester:
    return await requester(services, STAFF, f"group:{STAFF_GROUP}")


async def new_topic(services: Services, *, private: bool = False, title: str = TOPIC) -> Record:
    record = await add_record(
        services, kind=RecordKind.TOPIC, title=title, cosigners=[(COSIGNER, "李四")]
    )
    if private:
        async with services.db.session() as session:
            fresh = await session.get(Record, record.id)
            assert fresh is not None
            fresh.source_kind = "private"
            session.add(fresh)
            await session.commit()
    return record


def spec(**fields: str) -> PlanSpec:
    values = {
        "form": "专题协商",
        "leader": "李副主席",
        "unit": "县教育局",
        "deadline": "2026-06-30",
    } | fields
    return PlanSpec(**values)
