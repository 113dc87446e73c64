"""ClaimService: the claimed superuser is kept in the database, beside the configured ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.errors import PermissionDenied
from bot.core.people.claims import NOT_AVAILABLE, ClaimService
from bot.core.people.members import MemberService

if TYPE_CHECKING:
    from bot.core.services import Services


def fresh(services: Services, *configured: str) -> tuple[MemberService, ClaimService]:
    """What one process holds: its members (with SUPERUSERS) and its claims."""
    members = MemberService(services.db, services.clock, services.sectors, configured)
    return members, ClaimService(services.db, services.clock, members)


async def test_a_claim_survives_a_restart_beside_configured_superusers(
    services: Services,
) -> None:
    members, claims = fresh(services)
    assert await claims.load() == []
    code = claims.open()
    assert code is not None
    await claims.claim("40001", code)
    assert members.superusers == {"40001"}
    assert not claims.is_open
    # restarted, with SUPERUSERS configured since: both are superusers, and no code is made
    members, claims = fresh(services, "10001")
    assert await claims.load() == ["40001"]
    assert members.superusers == {"10001", "40001"}
    assert claims.open() is None
    members, claims = fresh(services)  # SUPERUSERS emptied again: the claim still counts
    await claims.load()
    assert claims.open() is None


async def test_two_processes_one_claim(services: Services) -> None:
    """Two processes on one database print different codes; only the first claim counts."""
    _, first = fresh(services)
    second_members, second = fresh(services)
    first_code, second_code = first.open(), second.open()
    assert first_code is not None
    assert second_code is not None
    await first.claim("40001", first_code)
    with pytest.raises(PermissionDenied) as refused:
        await second.claim("40002", second_code)
    assert refused.value.message == NOT_AVAILABLE
    assert second_members.superusers == {"40001"}  # learnt from the database
