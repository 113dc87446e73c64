"""The process-wide service container, set at start-up (or by tests), and the configuration the
runtime plugin builds it from (given once by bot.app.create_app from the settings it was handed)."""

from __future__ import annotations

from bot.core.services import CoreConfig, Services

_services: Services | None = None
_config: CoreConfig | None = None


def set_services(services: Services | None) -> None:
    global _services
    _services = services


def get_services() -> Services:
    if _services is None:
        raise RuntimeError("services are not started yet")
    return _services


def has_services() -> bool:
    return _services is not None


def set_config(config: CoreConfig | None) -> None:
    """The configuration the services will be built from (bot.app.create_app sets it)."""
    global _config
    _config = config


def get_config() -> CoreConfig:
    if _config is None:
        raise RuntimeError(
            "no configuration: start the bot with `python -m bot` (bot.app.create_app), or set "
            "the services before start-up (tests)"
        )
    return _config
