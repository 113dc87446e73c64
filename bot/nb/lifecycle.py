"""Start-up order, made explicit: first the services, then everything that needs them.

NoneBot runs the ``driver.on_startup`` hooks in the order the plugins were loaded, and
``nonebot.load_all_plugins`` loads them in set order, which changes from run to run
(PYTHONHASHSEED). So no plugin may count on the services in a start-up hook of its own. Instead,
a plugin registers a hook here with :func:`on_services_ready`; the ``runtime`` plugin, the one
place that starts the services (or takes those a test provided), then calls
:func:`services_ready`, which runs every hook in registration order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.services import Services
from bot.nb import runtime

ReadyHook = Callable[[Services], Awaitable[None]]

_hooks: list[ReadyHook] = []
_ready = False


def on_services_ready(hook: ReadyHook) -> ReadyHook:
    """Run ``hook(services)`` once the services are started (a decorator)."""
    if _ready:
        raise RuntimeError(
            f"{hook.__qualname__} was registered after the services started: register it "
            "when the plugin is imported"
        )
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


async def services_ready(services: Services) -> None:
    """Make `services` the process's services and run every ready hook (an error stops the
    start: a bot without its schedules must not look healthy)."""
    global _ready
    runtime.set_services(services)
    _ready = True
    for hook in list(_hooks):
        await hook(services)


def is_ready() -> bool:
    return _ready


def hooks() -> list[ReadyHook]:
    return list(_hooks)
