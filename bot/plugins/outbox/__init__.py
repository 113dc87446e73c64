"""The outbox sender: one per connected bot account, started and stopped with its connection.

Messages the bot starts are rows in the outbox (`services.outbox.enqueue`); this plugin delivers
them (bot/core/delivery/sender.py explains the guarantees). It also remembers which bound groups
people speak in, so that a member who is not the account's friend can be reached through a group
temporary session (bot/core/delivery/routes.py).

Two instances on one database: an account's sender runs only in the instance holding the lease
``outbox:<account>`` (bot/core/leases.py). Each instance that has the account connected wants
the lease; the other stands by and starts its sender when it takes the lease over. A lost lease
stops the sender before its next claim. A group message that fails for good through one account
is handed, once, to another connected account seen in that group (bot/nb/responders.py).
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

from bot.core.delivery.claims import QueuedMessage
from bot.core.delivery.sender import OutboxSender, RateLimiter
from bot.core.leases import outbox_lease
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
    bots: dict[str, Bot] = field(default_factory=dict)  # connected, holding or awaiting a lease
    stopping: set[asyncio.Task[None]] = field(default_factory=set)  # senders whose lease went


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
        services.leases.on_change(_lease_changed)
        _state.listening.add(id(services))


async def _lease_changed(name: str, held: bool) -> None:
    """This instance took an account's outbox lease (start its sender) or lost it (stop)."""
    prefix = outbox_lease("")
    if not name.startswith(prefix):
        return
    account = name.removeprefix(prefix)
    bot = _state.bots.get(account)
    if held and bot is not None and has_services():
        _start(bot, get_services())
    elif not held:
        # the sender already stopped at its lease check; its end is awaited off the keeper's
        # task (which renews the other leases meanwhile)
        task = asyncio.get_running_loop().create_task(_stop_after_loss(account, name))
        _state.stopping.add(task)
        task.add_done_callback(_state.stopping.discard)


async def _stop_after_loss(account: str, lease: str) -> None:
    await _stop(account)
    bot = _state.bots.get(account)
    if bot is not None and has_services() and get_services().leases.holds(lease):
        _start(bot, get_services())  # taken back while the old sender was ending


def other_account(bot: Bot, message: QueuedMessage) -> str | None:
    """Another connected account seen in the group of ``message`` (not the one that failed)."""
    if message.target_type != "group":
        return None
    responders = getattr(bot.adapter, "responders", None)
    if responders is None:
        return None
    connected = nonebot.get_bots()
    for account in sorted(responders.accounts_in(message.target_id)):
        if (
            account != str(bot.self_id)
            and account != message.rerouted_from
            and account in connected
        ):
            return account
    return None


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
    lease = outbox_lease(account)
    return OutboxSender(
        services.db,
        services.clock,
        transport,
        limiter,
        on_failure=schedule_report if report_failures else None,
        poll_interval=services.config.outbox_poll,
        permit=lambda: services.leases.holds(lease),
        alternate=lambda message: other_account(bot, message),
        on_rerouted=wake_senders,
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


def _start(bot: Bot, services: Services) -> None:
    """Start ``bot``'s sender (it is the account's current connection, and none runs)."""
    account = str(bot.self_id)
    task = _state.tasks.get(account)
    if _state.bots.get(account) is not bot or (task is not None and not task.done()):
        return
    sender = make_sender(bot, services)
    _state.senders[account] = sender
    _state.tasks[account] = asyncio.get_running_loop().create_task(
        _run(sender), name=f"outbox-sender-{account}"
    )
    logger.info(f"outbox: sending for {account}")


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
    _state.bots[account] = bot
    if await services.leases.want(outbox_lease(account)):
        _start(bot, services)  # (also started by the lease listener when taken just now)


@driver.on_bot_disconnect
async def _disconnected(bot: BaseBot) -> None:
    account = str(bot.self_id)
    if _state.bots.get(account) is not bot:  # never ours, or replaced by a newer connection
        return
    del _state.bots[account]
    await _stop(account)
    if account not in _state.bots and has_services():  # (not reconnected meanwhile)
        await get_services().leases.forgo(outbox_lease(account))
    logger.info(f"outbox: {account} disconnected; its messages wait for the next connection")


@driver.on_shutdown
async def _shutdown() -> None:
    for account in list(_state.senders):
        await _stop(account)
    task = _state.report_task
    if task is not None and not task.done():
        task.cancel()
