"""The review announcement job (``public:announce``): what the public left since the last run,
in ONE message to the staff groups (bot/core/public/moderation.py `announce`). Its state is in
the database (each row's notified_at), so a restart neither repeats nor loses an announcement."""

from __future__ import annotations

from nonebot import require
from nonebot.log import logger

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler  # noqa: E402

from bot.core.services import Services  # noqa: E402
from bot.nb.leases import add_interval_job, runs_here  # noqa: E402
from bot.nb.lifecycle import on_services_ready  # noqa: E402
from bot.nb.runtime import get_services, has_services  # noqa: E402

ANNOUNCE_JOB = "public:announce"


async def announce() -> None:
    if not has_services() or not runs_here("public announcement"):  # the schedules' lease
        return
    try:
        count = await get_services().moderation.announce()
    except Exception:
        logger.exception("public review announcement failed")
        return
    if count:
        logger.info(f"public: {count} submissions announced to staff")


@on_services_ready
async def _register(services: Services) -> None:
    add_interval_job(
        scheduler,
        announce,
        seconds=services.config.public_announce_minutes * 60,
        job_id=ANNOUNCE_JOB,
        name="网页留言与线索汇总提醒",
    )
