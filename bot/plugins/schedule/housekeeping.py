"""Housekeeping jobs: tables that would otherwise grow for ever.

The re-delivery marks (``seen_event``, bot/core/dedup.py) are needed for a week at most (a
OneBot client re-delivers within minutes of a reconnect): once a day, at a quiet hour, the older
ones are pruned (``DedupService.prune``, keeps :data:`bot.core.dedup.KEEP_FOR`). The job is
registered by a services-ready hook (bot/nb/lifecycle.py) under an explicit id, like the digests;
`推送` does not list it (it is not a push to anyone), the start-up log does. Like every scheduled
job it runs only on the holder of the schedules' lease (bot/nb/leases.py).
"""

from __future__ import annotations

from nonebot import require
from nonebot.log import logger

require("nonebot_plugin_apscheduler")
from apscheduler.triggers.cron import CronTrigger  # noqa: E402
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

from bot.core.clock import local_zone  # noqa: E402
from bot.core.services import Services  # noqa: E402
from bot.nb.leases import runs_here  # noqa: E402
from bot.nb.lifecycle import on_services_ready  # noqa: E402
from bot.nb.runtime import get_services  # noqa: E402

PRUNE_JOB = "housekeeping:prune-seen"
#: Local time of the daily prune (nobody posts at 04:30; outside the digests' hours).
PRUNE_AT = (4, 30)


async def prune_seen() -> int:
    """The daily job: forget re-delivery marks older than a week. How many went."""
    if not runs_here("prune of seen events"):
        return 0
    try:
        pruned = await get_services().dedup.prune()
    except Exception:
        logger.exception("pruning seen events failed")
        return 0
    if pruned:
        logger.info(f"housekeeping: pruned {pruned} seen events older than a week")
    return pruned


def register_prune_job() -> None:
    hour, minute = PRUNE_AT
    scheduler.add_job(
        prune_seen,
        CronTrigger(hour=hour, minute=minute, timezone=local_zone()),
        id=PRUNE_JOB,
        name=f"清理一周前的消息记录 {hour:02d}:{minute:02d}",
        replace_existing=True,
        misfire_grace_time=6 * 3600,  # a bot down at 04:30 prunes when it is back that morning
        coalesce=True,
        max_instances=1,
    )


@on_services_ready
async def _register(services: Services) -> None:
    register_prune_job()
