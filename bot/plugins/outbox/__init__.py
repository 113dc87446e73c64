"""The outbox sender: one per connected bot account, started and stopped with its connection.

Messages the bot starts are rows in the outbox (`services.outbox.enqueue`); this plugin delivers
them (bot/core/delivery/sender.py explains the guarantees). It also remembers which bound groups
people speak in, so that a member who is not the account's friend can be reached through a group
temporary session (bot/core/delivery/routes.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import nonebot
from nonebot import get_driver
from nonebot.adapters import Bot as BaseBot
from nonebot.adapters.onebot.v11 import Bot
from nonebot.log import logger

from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.services import Services
from bot.nb.meta import plugin_meta
from bot.nb.runtime import get_services, has_services
from bot.plugins.outbox.onebot import OneBotTransport

__plugin_meta__ = plugin_meta(
    "发件箱",
    "主动消息（通知、提醒、推送）的发送：按账号限速、失败重试、断线时保留、重启不丢不重；"
    "无法送达的告知机关群",
    "（无命令）",
)

driver = get_driver()

#: Only bots of this adapter get a sender (test doubles and other platforms do not).
ADAPTER_NAME = "OneBot V11"
#: Seconds a stopping sender may take to finish its call before it is cancelled.
STOP_GRACE = 2.0
#: Seconds failures are gathered before one report goes to the staff group.
REPORT_DELAY = 3.0


@dataclass
class _State:
    senders: dict[str, OutboxSender] = field(default_factory=dict)
    tasks: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    limiters: dict[str, RateLimiter] = field(default_factory=dict)
    listening: set[int] = field(default_factory=set)  # id() of services we wake senders for
    report_task: asyncio.Task[None] | None = None


_state = _State()


def wake_senders() -> None:
    """Something was queued: every sender looks again now."""
    for sender in _state.senders.values():
        sender.wake()


def senders() -> dict[str, OutboxSender]:
    """The running senders by bot account (diagnostics, tests)."""
    return dict(_state.senders)


def _listen(services: Services) -> None:
    if id(services) not in _state.listening:
        services.outbox.on_enqueue(wake_senders)
        _state.listening.add(id(services))


def schedule_report() -> None:
    """A message failed for good: tell staff soon (failures close together go in one report)."""
    if _state.report_task is not None and not _state.report_task.done():
        return
    _state.report_task = asyncio.get_running_loop().create_task(_report_later())


async def _report_later() -> None:
    await asyncio.sleep(REPORT_DELAY)
    if not has_services():
        return
    try:
        await get_services().outbox_reports.report()
    except Exception:
        logger.exception("outbox: reporting failures to staff failed")


def make_sender(
    bot: Bot,
    services: Services,
    *,
    limiter: RateLimiter | None = None,
    report_failures: bool = True,
) -> OutboxSender:
    """A sender for ``bot``; the account's rate limiter outlives reconnects. Failures are
    reported to staff (after :data:`REPORT_DELAY`) unless ``report_failures`` is off (tests)."""
    account = str(bot.self_id)
    if limiter is None:
        limiter = _state.limiters.get(account)
        if limiter is None:
            limiter = RateLimiter(services.config.outbox_interval, services.config.outbox_jitter)
            _state.limiters[account] = limiter
    transport = OneBotTransport(
        bot, services, is_connected=lambda: nonebot.get_bots().get(account) is bot
    )
    return OutboxSender(
        services.db,
        services.clock,
        transport,
        limiter,
        on_failure=schedule_report if report_failures else None,
        poll_interval=services.config.outbox_poll,
    )


async def _run(sender: OutboxSender) -> None:
    try:
        await sender.run()
    except asyncio.CancelledError:
        raise
    except Exception:
        logger.exception(f"outbox sender for {sender.account} stopped with an error")


async def _stop(account: str) -> None:
    # The task stays listed until it has ended: a reconnect that comes meanwhile (a replaced
    # connection) waits for it too, so the new sender never sees the old call's row unsettled.
    sender = _state.senders.pop(account, None)
    task = _state.tasks.get(account)
    if sender is not None:
        sender.stop()
    if task is not None and not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_GRACE)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    if task is not None and _state.tasks.get(account) is task:
        del _state.tasks[account]


@driver.on_bot_connect
async def _connected(bot: BaseBot) -> None:
    if not isinstance(bot, Bot) or bot.adapter.get_name() != ADAPTER_NAME:
        return
    if not has_services():
        logger.warning("outbox: a bot connected before the services started")
        return
    services = get_services()
    _listen(services)
    account = str(bot.self_id)
    await _stop(account)  # a reconnect: the old sender finishes (or is cancelled) first
    sender = make_sender(bot, services)
    _state.senders[account] = sender
    _state.tasks[account] = asyncio.get_running_loop().create_task(
        _run(sender), name=f"outbox-sender-{account}"
    )
    logger.info(f"outbox: sending for {account}")


@driver.on_bot_disconnect
async def _disconnected(bot: BaseBot) -> None:
    account = str(bot.self_id)
    sender = _state.senders.get(account)
    if sender is None or sender.transport.bot is not bot:  # type: ignore[attr-defined]
        return
    await _stop(account)
    logger.info(f"outbox: {account} disconnected; its messages wait for the next connection")


@driver.on_shutdown
async def _shutdown() -> None:
    for account in list(_state.senders):
        await _stop(account)
    task = _state.report_task
    if task is not None and not task.done():
        task.cancel()
