"""A tiny NoneBot app for the simulator's end-to-end tests (run as a subprocess).

Usage: ``python echo_bot.py HOST PORT ACCESS_TOKEN``. It listens for OneBot V11 reverse
WebSocket connections and answers group/private messages:

* ``members`` → ``members: <count of get_group_member_list>``
* ``fail``    → sends ``should fail``; on ActionFailed replies ``failed <retcode>``
* ``raw``     → ``send_group_msg`` with a CQ-coded *string* message
* a message quoting another one →
  ``quoted: <quoted message's plain text> | <own plain text> | to_me=<event.to_me>``
* anything else → ``echo: <plain text>``
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import nonebot
from nonebot.adapters.onebot.v11 import (
    ActionFailed,
    Adapter,
    Bot,
    GroupMessageEvent,
    MessageEvent,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from nonebot.matcher import Matcher

RAW_CQ = "[CQ:at,qq=4242] a&#91;b&#93;&amp;c&#44;d"


def _text_is(word: str) -> Callable[[MessageEvent], Awaitable[bool]]:
    async def rule(event: MessageEvent) -> bool:
        return event.get_plaintext().strip() == word

    return rule


async def _has_reply(event: MessageEvent) -> bool:
    return event.reply is not None


def main() -> None:
    host, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    nonebot.init(
        driver="~fastapi",
        host=host,
        port=port,
        onebot_access_token=token,
        log_level="INFO",
    )
    nonebot.get_driver().register_adapter(Adapter)

    members = nonebot.on_message(rule=_text_is("members"), priority=1, block=True)

    @members.handle()
    async def _members(bot: Bot, event: GroupMessageEvent, matcher: Matcher) -> None:
        member_list = await bot.get_group_member_list(group_id=event.group_id)
        await matcher.finish(f"members: {len(member_list)}")

    fail = nonebot.on_message(rule=_text_is("fail"), priority=1, block=True)

    @fail.handle()
    async def _fail(bot: Bot, event: MessageEvent) -> None:
        try:
            await bot.send(event, "should fail")
        except ActionFailed as exc:
            await bot.send(event, f"failed {exc.info.get('retcode')}")

    raw = nonebot.on_message(rule=_text_is("raw"), priority=1, block=True)

    @raw.handle()
    async def _raw(bot: Bot, event: GroupMessageEvent) -> None:
        await bot.send_group_msg(group_id=event.group_id, message=RAW_CQ)

    quoted = nonebot.on_message(rule=_has_reply, priority=2, block=True)

    @quoted.handle()
    async def _quoted(event: MessageEvent, matcher: Matcher) -> None:
        assert event.reply is not None
        quoted_text = event.reply.message.extract_plain_text()
        own_text = event.get_plaintext()
        await matcher.finish(f"quoted: {quoted_text} | {own_text} | to_me={event.to_me}")

    echo = nonebot.on_message(priority=10, block=True)

    @echo.handle()
    async def _echo(event: MessageEvent, matcher: Matcher) -> None:
        await matcher.finish(f"echo: {event.get_plaintext()}")

    nonebot.run()


if __name__ == "__main__":
    main()
