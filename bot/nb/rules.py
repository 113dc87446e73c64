"""Matchers that see every message, with a rule NoneBot calls directly.

NoneBot runs a `Rule`'s checkers as dependents: for each message and each checker a task group
for the checks of its parameters, another for solving them and a third for the checkers
themselves (nonebot/internal/rule.py, nonebot/dependencies/__init__.py). For ordinary chatter,
which every `on_message` matcher sees, that machinery cost ~0.5 ms a matcher on the 2-core
machine, more than the rules' own work (bench/bench_roundtrip.py, docs/PERFORMANCE.md).
`on_every_message` gives the matcher a rule that awaits the check with the event and the
matcher's state, nothing else: the check must be an ``async def check(event, state) -> bool``
that takes no injected parameters. `message_preprocessor` does the same for an event
preprocessor (``async def pre(bot, event)``, called for message events only), which NoneBot
would run as a dependent on every event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from nonebot import on_message
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot.v11 import MessageEvent
from nonebot.dependencies import Dependent
from nonebot.internal.matcher import Matcher
from nonebot.message import _event_preprocessors
from nonebot.rule import Rule
from nonebot.typing import T_State

Check = Callable[[MessageEvent, T_State], Awaitable[bool]]
Preprocessor = Callable[[Any, Any], Awaitable[None]]


class DirectRule(Rule):
    """A rule of one async check, awaited as it is (no dependency injection)."""

    __slots__ = ("check",)

    def __init__(self, check: Check) -> None:
        super().__init__()
        self.check = check

    async def __call__(
        self,
        bot: Bot,
        event: Event,
        state: T_State,
        stack: AsyncExitStack | None = None,
        dependency_cache: dict[Any, Any] | None = None,
    ) -> bool:
        if not isinstance(event, MessageEvent):
            return False
        return await self.check(event, state)

    def __repr__(self) -> str:
        return f"DirectRule({getattr(self.check, '__qualname__', self.check)!r})"


def on_every_message(check: Check, *, priority: int, block: bool = True) -> type[Matcher]:
    """An `on_message` matcher whose rule is `check`, called directly."""
    matcher = on_message(priority=priority, block=block)
    # on_message combines rules into a plain Rule (dropping a subclass): set it afterwards.
    matcher.rule = DirectRule(check)
    return matcher


class DirectPreprocessor(Dependent[None]):
    """An event preprocessor awaited as it is, for message events only."""

    async def __call__(self, **kwargs: Any) -> None:
        event = kwargs.get("event")
        if isinstance(event, MessageEvent):
            await self.call(kwargs["bot"], event)


def message_preprocessor(func: Preprocessor) -> Preprocessor:
    """`nonebot.message.event_preprocessor` for ``async def func(bot, event: MessageEvent)``,
    without the dependency injection (NoneBot keeps its preprocessors in a module-level set;
    an IgnoredException raised by ``func`` still stops the event, as before)."""
    _event_preprocessors.add(DirectPreprocessor(call=func))
    return func
