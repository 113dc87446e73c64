"""The daily prune of re-delivery marks: registered at start under its own id, keeps a week."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger
from sqlmodel import select

from bot.core.models import SeenEvent

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def seen(services: Services, message_id: str, age: timedelta, clock: FakeClock) -> None:
    async with services.db.session() as session:
        session.add(
            SeenEvent(
                self_id="10000",
                chat="group:900001",
                message_id=message_id,
                seen_at=clock.now() - age,
            )
        )
        await session.commit()


async def seen_ids(services: Services) -> list[str]:
    async with services.db.session() as session:
        return sorted((await session.exec(select(SeenEvent.message_id))).all())


async def test_the_prune_job_is_registered_daily_when_the_services_are_ready(app: App) -> None:
    from nonebot_plugin_apscheduler import scheduler

    from bot.nb import lifecycle
    from bot.plugins.schedule import housekeeping

    assert housekeeping._register in lifecycle.hooks()
    job = scheduler.get_job(housekeeping.PRUNE_JOB)
    assert job is not None, [j.id for j in scheduler.get_jobs()]
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"], fields["day"]) == ("4", "30", "*")
    assert job.func is housekeeping.prune_seen


async def test_the_job_forgets_marks_older_than_a_week(
    app: App, services: Services, clock: FakeClock
) -> None:
    from bot.plugins.schedule.housekeeping import prune_seen

    await seen(services, "week-old", timedelta(days=7, hours=1), clock)
    await seen(services, "month-old", timedelta(days=30), clock)
    await seen(services, "six-days", timedelta(days=6, hours=23), clock)
    await seen(services, "today", timedelta(minutes=5), clock)
    assert await prune_seen() == 2
    assert await seen_ids(services) == ["six-days", "today"]
    assert await prune_seen() == 0  # nothing left to prune


async def test_the_start_up_log_lists_the_prune_job(app: App) -> None:
    from bot.plugins.schedule import housekeeping, job_summary

    # (推送 lists the digests and the reminder sweep only: test_push.py's replies are unchanged)
    assert f"{housekeeping.PRUNE_JOB} (清理一周前的消息记录 04:30)" in job_summary()
