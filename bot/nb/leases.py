"""Scheduled jobs: the lease check (only the instance holding the ``schedules`` lease runs them,
bot/core/leases.py; on the other one a job that fires does nothing, logged at DEBUG), and the
one way the periodic jobs are added to the scheduler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from nonebot.log import logger

from bot.core.clock import local_zone
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


def add_interval_job(
    scheduler: BaseScheduler,
    job: Callable[[], Awaitable[None]],
    *,
    seconds: float,
    job_id: str,
    name: str,
) -> None:
    """Run ``job`` every ``seconds`` (replacing a job of the same id): runs missed while the
    process was busy are merged into one, never two at once."""
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone=local_zone()),
        id=job_id,
        name=name,
        replace_existing=True,
        misfire_grace_time=600,
        coalesce=True,
        max_instances=1,
    )
