"""Settings are read once, into one config object: the services get it, and the plugins read
what they need from ``services.config`` (never from the environment again)."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.core.delivery.sender import RateLimiter
from bot.core.services import CoreConfig, Services
from bot.settings import load_settings
from tests.utils import make_bot

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from nonebug import App

NO_FILE = Path("/nonexistent/.env")


@pytest.fixture
async def configured(services: Services) -> AsyncIterator[Services]:
    """The session's services, for this test with a sweep every 7 minutes and a 0.25 s poll;
    afterwards the config and the jobs are as the session started them."""
    from bot.plugins.schedule import register_jobs

    original = services.config
    services.config = dataclasses.replace(original, reminder_sweep_minutes=7, outbox_poll=0.25)
    try:
        yield services
    finally:
        services.config = original
        await register_jobs(services)


def test_one_config_object_holds_every_setting_the_services_and_plugins_use() -> None:
    settings = load_settings(
        NO_FILE,
        {
            "DATABASE_URL": "sqlite+aiosqlite:///x.db",
            "SUPERUSERS": "1001,1002",
            "BOT_TIMEZONE": "America/Chicago",
            "INTAKE_RATE_PER_MINUTE": "9",
            "ANSWER_MONTHS": "4",
            "OUTBOX_INTERVAL": "2.5",
            "OUTBOX_JITTER": "0.1",
            "OUTBOX_POLL": "3",
            "REMINDER_SWEEP_MINUTES": "11",
            "LEASE_SECONDS": "30",
            "LEASE_RENEW_SECONDS": "5",
            "PORT": "8123",
        },
    )
    config = settings.core_config()
    assert config == CoreConfig(
        database_url="sqlite+aiosqlite:///x.db",
        data_dir=settings.data_dir,
        superusers=("1001", "1002"),
        intake_rate_per_minute=9,
        answer_months=4,
        outbox_interval=2.5,
        outbox_jitter=0.1,
        outbox_poll=3.0,
        reminder_sweep_minutes=11,
        timezone="America/Chicago",
        lease_seconds=30.0,
        lease_renew_seconds=5.0,
        instance_name=f"{socket.gethostname()}:8123",  # a restart is the same lease holder
    )
    named = load_settings(NO_FILE, {"INSTANCE_NAME": " standby-2 "}).core_config()
    assert named.instance_name == "standby-2"


async def test_the_reminder_sweep_runs_as_often_as_the_config_says(
    app: App, configured: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nonebot_plugin_apscheduler import scheduler

    from bot.plugins.schedule import SWEEP_JOB, register_jobs

    # the environment says otherwise: it is not read again
    monkeypatch.setenv("REMINDER_SWEEP_MINUTES", "13")
    await register_jobs(configured)
    job = scheduler.get_job(SWEEP_JOB)
    assert job is not None
    assert job.trigger.interval.total_seconds() == 7 * 60


async def test_the_outbox_sender_polls_as_often_as_the_config_says(
    app: App, configured: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.plugins.outbox import make_sender

    monkeypatch.setenv("OUTBOX_POLL", "42")
    async with app.test_api() as ctx:
        sender = make_sender(
            make_bot(ctx), configured, limiter=RateLimiter(0), report_failures=False
        )
        assert sender.poll_interval == 0.25
        await sender.close()
