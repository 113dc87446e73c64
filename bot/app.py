"""Builds the NoneBot application: driver, OneBot V11 adapter, the project's plugins."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import nonebot
from nonebot.log import logger

from bot.nb import runtime
from bot.nb.adapter import Adapter as OneBotV11Adapter
from bot.nb.logs import bridge_std_logging

if TYPE_CHECKING:
    from bot.settings import Settings

PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"


def nonebot_kwargs(settings: Settings) -> dict[str, Any]:
    """What NoneBot is told; settings resolved here win over NoneBot's own .env reading."""
    return {
        "driver": "~fastapi",
        "host": settings.host,
        "port": settings.port,
        "onebot_access_token": settings.onebot_access_token or None,
        "onebot_secret": settings.onebot_secret or None,
        "superusers": set(settings.superusers),
        "log_level": settings.log_level,
        "command_start": {"/", ""},
        "apscheduler_autostart": True,
        "apscheduler_config": {
            "apscheduler.timezone": settings.bot_timezone,
            "apscheduler.job_defaults.misfire_grace_time": 3600,
            "apscheduler.job_defaults.coalesce": True,
        },
        "fastapi_docs_url": None,
        "fastapi_redoc_url": None,
        "fastapi_openapi_url": None,
    }


def load_project_plugins() -> None:
    """Load every package under bot/plugins by module name (independent of the working dir),
    one by one in name order: `nonebot.load_all_plugins` goes through a set, so its order (and
    with it the order of start-up hooks and of commands in 帮助) changed from run to run."""
    names = sorted(
        p.name
        for p in PLUGINS_DIR.iterdir()
        if (p / "__init__.py").is_file() and not p.name.startswith("_")
    )
    for name in names:
        nonebot.load_plugin(f"bot.plugins.{name}")


def create_app(settings: Settings) -> Any:
    """Initialise NoneBot for `settings` and return the ASGI app. The settings are read once,
    by the caller: the services are built from ``settings.core_config()`` (plugins read them
    from ``services.config``), NoneBot is told the rest."""
    settings.check_safe_to_listen()
    nonebot.init(**nonebot_kwargs(settings))
    bridge_std_logging(settings.log_level)  # the core's `logging` lines into NoneBot's log
    for notice in settings.notices:
        logger.warning(notice)
    runtime.set_config(settings.core_config())
    driver = nonebot.get_driver()
    driver.register_adapter(OneBotV11Adapter)
    load_project_plugins()
    return nonebot.get_asgi()


def run(settings: Settings) -> None:
    create_app(settings)
    nonebot.run()
