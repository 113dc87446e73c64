"""The lease check of scheduled jobs: only the instance holding the ``schedules`` lease runs
them (bot/core/leases.py); on the other one a job that fires does nothing (logged at DEBUG)."""

from __future__ import annotations

from nonebot.log import logger

from bot.core.leases import SCHEDULES
from bot.nb.runtime import get_services, has_services


def runs_here(job: str, lease: str = SCHEDULES) -> bool:
    """Whether ``job`` may run in this process now (services up, the lease held)."""
    if not has_services():
        return False
    if get_services().leases.holds(lease):
        return True
    logger.debug(f"{job}: skipped, the lease {lease} is held by another instance")
    return False
