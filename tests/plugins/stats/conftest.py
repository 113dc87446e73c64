"""The hand-counted year (tests/stats_data.py) with the staff and members' groups bound."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind
from tests.stats_data import Year, handled_year
from tests.utils import MEMBER_GROUP, STAFF, STAFF_GROUP

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def year(services: Services, clock: FakeClock, people: None) -> Year:
    staff = str(STAFF)
    await services.channels.bind(str(STAFF_GROUP), ChannelKind.STAFF, sector=None, bound_by=staff)
    await services.channels.bind(str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=staff)
    return await handled_year(services, clock)


@pytest.fixture(autouse=True)
def export_folder(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Exports under the test's tmp_path, not the repository's data/exports."""
    folder = tmp_path / "exports"
    monkeypatch.setattr(services.export, "folder", folder)
    return folder
