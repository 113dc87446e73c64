"""The process-wide service container, set at start-up (or by tests)."""

from __future__ import annotations

from bot.core.services import Services

_services: Services | None = None


def set_services(services: Services | None) -> None:
    global _services
    _services = services


def get_services() -> Services:
    if _services is None:
        raise RuntimeError("services are not started yet")
    return _services


def has_services() -> bool:
    return _services is not None
