"""What every message costs: the matchers that see all messages use a rule NoneBot awaits
directly, and the gate is the only event preprocessor (bot/nb/rules.py, docs/PERFORMANCE.md:
NoneBot's dependency machinery cost ~0.5 ms per matcher and per preprocessor per message)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nonebot.internal.matcher import matchers
from nonebot.message import _event_preprocessors

from bot.nb.rules import DirectRule

if TYPE_CHECKING:
    from nonebug import App


def _message_matchers() -> list[type]:
    return [m for group in matchers.values() for m in group if m.type == "message"]


async def test_message_matchers_use_direct_rules(app: App) -> None:
    from bot.plugins.discussions.relay import relay_matcher
    from bot.plugins.intake import intake
    from bot.plugins.router import router

    assert all(isinstance(m.rule, DirectRule) for m in (intake, relay_matcher, router))
    ours = [m for m in _message_matchers() if (m.module_name or "").startswith("bot.plugins")]
    assert [m for m in ours if not isinstance(m.rule, DirectRule)] == []


async def test_the_gate_is_the_only_event_preprocessor(app: App) -> None:
    names = [d.call.__module__ for d in _event_preprocessors]
    assert names == ["bot.plugins.gate"]
