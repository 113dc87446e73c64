"""Starts and stops the services (database, caches) with the driver."""

from __future__ import annotations

from nonebot import get_driver
from nonebot.log import logger
from nonebot.plugin import PluginMetadata

from bot.core.services import CoreConfig, Services
from bot.nb import runtime
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
    )


@driver.on_startup
async def _start_services() -> None:
    if runtime.has_services():  # tests provide their own
        return
    services = Services(config_from_settings())
    await services.start()
    runtime.set_services(services)
    config = driver.config
    logger.info(
        f"政协履职助手已启动，等待 QQ 客户端连接：ws://{config.host}:{config.port}/onebot/v11/ws "
        f"(database: {services.db.engine.url.render_as_string(hide_password=True)})"
    )
    if not services.config.superusers:
        logger.warning("没有设置 SUPERUSERS：无人能绑定群。请在 .env 中设置超级管理员 QQ 号。")


@driver.on_shutdown
async def _stop_services() -> None:
    if runtime.has_services():
        await runtime.get_services().stop()
