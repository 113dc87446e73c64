"""Starts and stops the services (database, caches) with the driver.

This is the one place the services start, from the configuration bot.app.create_app was given
(the settings are read once, by ``python -m bot``); then every plugin's `on_services_ready` hook
runs (bot/nb/lifecycle.py), whatever order NoneBot loaded the plugins in. Tests that provide
their own services (set before start-up) go through the same hooks.

The start-up log says, at INFO: the database in use (password hidden), the migrations applied
(bot/core/db.py), the similarity index's state (and, once built in the background, its size),
and the schedules registered (bot/plugins/schedule). The leases (bot/core/leases.py: which of
two instances on one database runs the schedules and drains each account's outbox) are kept
from here: their first round runs before the ready hooks, and a clean stop releases them.
"""

from __future__ import annotations

from nonebot import get_driver
from nonebot.log import logger
from sqlalchemy.engine import make_url

from bot.core.services import Services
from bot.nb import lifecycle, runtime
from bot.nb.meta import plugin_meta

__plugin_meta__ = plugin_meta(
    "运行时",
    "启动时升级数据库、加载配置数据",
    "（无命令）",
)

driver = get_driver()

#: The services this plugin built (and so stops); None when a test provided its own.
_owned: list[Services] = []


def shown_url(url: str) -> str:
    """The database URL as the log shows it: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def index_state(services: Services) -> str:
    """What the similarity index starts from (it is built in the background)."""
    snapshot = services.similarity.snapshot
    if snapshot is not None and snapshot.is_file():
        return f"similarity index: building in the background, from the snapshot {snapshot}"
    return "similarity index: building in the background, from the database (no snapshot yet)"


@driver.on_startup
async def _start_services() -> None:
    if runtime.has_services():  # a test provided its own
        services = runtime.get_services()
    else:
        config = runtime.get_config()
        logger.info(f"database: {shown_url(config.database_url)}")
        services = Services(config)
        state = index_state(services)  # before the build starts (it saves a new snapshot)
        await services.start()
        _owned.append(services)
        logger.info(state)
        nb_config = driver.config
        logger.info(
            "政协履职助手已启动，等待 QQ 客户端连接："
            f"ws://{nb_config.host}:{nb_config.port}/onebot/v11/ws "
            f"(database: {shown_url(config.database_url)})"
        )
    await services.leases.start()  # the first round before the jobs and senders ask
    await lifecycle.services_ready(services)


@driver.on_shutdown
async def _stop_services() -> None:
    while _owned:
        services = _owned.pop()
        await services.leases.stop()  # released: the other instance takes over at once
        await services.stop()
