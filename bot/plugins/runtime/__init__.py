"""Starts and stops the services (database, caches) with the driver.

This is the one place the services start; then every plugin's `on_services_ready` hook runs
(bot/nb/lifecycle.py), whatever order NoneBot loaded the plugins in. Tests that provide their
own services (set before start-up) go through the same hooks.
"""

from __future__ import annotations

from nonebot import get_driver
from nonebot.log import logger
from nonebot.plugin import PluginMetadata

from bot.core.services import CoreConfig, Services
from bot.nb import lifecycle, runtime
from bot.settings import load_settings

__plugin_meta__ = PluginMetadata(
    name="运行时",
    description="启动时升级数据库、加载配置数据",
    usage="（无命令）",
    supported_adapters={"~onebot.v11"},
)

driver = get_driver()


def config_from_settings() -> CoreConfig:
    settings = load_settings()
    return CoreConfig(
        database_url=settings.resolved_database_url(),
        data_dir=settings.data_dir,
        superusers=tuple(str(s) for s in driver.config.superusers),
        intake_rate_per_minute=settings.intake_rate_per_minute,
        answer_months=settings.answer_months,
        outbox_interval=settings.outbox_interval,
        outbox_jitter=settings.outbox_jitter,
        timezone=settings.bot_timezone,
    )


#: The services this plugin built (and so stops); None when a test provided its own.
_owned: list[Services] = []


@driver.on_startup
async def _start_services() -> None:
    if runtime.has_services():  # a test provided its own
        services = runtime.get_services()
    else:
        services = Services(config_from_settings())
        await services.start()
        _owned.append(services)
        config = driver.config
        logger.info(
            f"政协履职助手已启动，等待 QQ 客户端连接：ws://{config.host}:{config.port}/onebot/v11/ws "
            f"(database: {services.db.engine.url.render_as_string(hide_password=True)})"
        )
    await lifecycle.services_ready(services)


@driver.on_shutdown
async def _stop_services() -> None:
    while _owned:
        await _owned.pop().stop()
