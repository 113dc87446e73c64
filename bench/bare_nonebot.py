"""Bare NoneBot, the yardstick of the chatter benchmark (bench/bench_roundtrip.py): the same
driver (FastAPI, reverse WebSocket), NoneBot's stock OneBot V11 adapter and ONE no-op matcher
that sees every message; no database, no plugins. ``--matcher handler`` (default): the matcher
takes every message and its handler does nothing; ``--matcher rule``: its async rule says no to
every message (the stricter yardstick: the bot's chatter matches nothing either);
``--matcher shape``: the bot's shape without its work (two event preprocessors, three
``on_message`` matchers at three priorities whose async rules say no), to tell NoneBot's own
cost per matcher from the bot's.

    .venv/bin/python bench/bare_nonebot.py --port 8081 --token t [--log-level INFO]
        [--matcher handler|rule]

Started as a child process by the benchmark, beside the real bot, and fed the same events.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import nonebot
from nonebot.adapters.onebot.v11 import Adapter, GroupMessageEvent, MessageEvent

if TYPE_CHECKING:
    from nonebot.typing import T_State


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--matcher", choices=("handler", "rule", "shape"), default="handler")
    args = parser.parse_args()
    nonebot.init(
        driver="~fastapi",
        host="127.0.0.1",
        port=args.port,
        onebot_access_token=args.token or None,
        log_level=args.log_level,
        command_start={"/", ""},
        fastapi_docs_url=None,
        fastapi_redoc_url=None,
        fastapi_openapi_url=None,
    )
    nonebot.get_driver().register_adapter(Adapter)
    if args.matcher == "shape":
        _shape()
        nonebot.run()
        return
    if args.matcher == "rule":

        async def _never(event: MessageEvent) -> bool:
            return False

        matcher = nonebot.on_message(rule=_never, priority=1, block=False)
    else:
        matcher = nonebot.on_message(priority=1, block=False)

    @matcher.handle()
    async def _noop(event: MessageEvent) -> None:
        """Sees every message and does nothing."""

    nonebot.run()


def _shape() -> None:
    from nonebot.message import event_preprocessor
    from nonebot.rule import Rule

    @event_preprocessor
    async def _first(event: MessageEvent) -> None:
        return None

    @event_preprocessor
    async def _second(event: GroupMessageEvent) -> None:
        return None

    async def _no(event: MessageEvent, state: T_State) -> bool:
        return False

    for priority in (5, 7, 10):
        nonebot.on_message(rule=Rule(_no), priority=priority, block=True)


if __name__ == "__main__":
    main()
