"""The discussions' periodic job (``discussions:sweep``): time-outs and the one-hour warning.

Registered by a services-ready hook with an explicit id, like bot/plugins/schedule. Its state is
in the database (bot/core/discussions/closing.py), so a restart neither repeats nor loses a
close or a warning; a discussion that timed out while the bot was down is closed on the first
run after the start.
"""

from __future__ import annotations

from nonebot import require
from nonebot.log import logger

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

from bot.core.services import Services  # noqa: E402
from bot.nb.leases import add_interval_job, runs_here  # noqa: E402
from bot.nb.lifecycle import on_services_ready  # noqa: E402
from bot.nb.runtime import get_services  # noqa: E402

SWEEP_JOB = "discussions:sweep"


async def sweep() -> None:
    if not runs_here("discussion sweep"):  # the schedules' lease (bot/core/leases.py)
        return
    try:
        report = await get_services().discussions.closing.sweep()
    except Exception:
        logger.exception("discussion sweep failed")
        return
    if report.closed or report.warned:
        logger.info(f"discussions: {report.closed} closed, {report.warned} warned")


@on_services_ready
async def _register(services: Services) -> None:
    add_interval_job(
        scheduler,
        sweep,
        seconds=services.config.discussion_sweep_seconds,
        job_id=SWEEP_JOB,
        name="讨论组到时与提醒",
    )
