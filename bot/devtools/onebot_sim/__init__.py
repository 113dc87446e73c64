"""A OneBot V11 client simulator: plays a QQ client (NapCat / Lagrange) for tests and demos.

The simulator is a *reverse WebSocket* client: it connects to the bot's
``ws://HOST:PORT/onebot/v11/ws`` endpoint the way NapCat does, posts events (group and
private messages, raw notices, heartbeats) and answers the bot's API calls from a small
world model (groups, members, friends, messages). Everything the bot does is recorded in
:attr:`OneBotSimulator.calls` and :attr:`OneBotSimulator.sent`.

Typical use::

    async with OneBotSimulator("ws://127.0.0.1:8080/onebot/v11/ws", access_token="t") as sim:
        sim.add_group(1001, "政协委员群")
        sim.add_member(1001, 42, nickname="张委员")
        await sim.post_group_message(1001, 42, "提案 关于...", at=[sim.self_id])
        reply = await sim.wait_for_sent(lambda m: m.group_id == 1001)
        assert "已收到" in reply.text

Conventions the simulator follows (all as a real client does):

* Events carry ``message`` in array format (list of segment dicts) and a CQ-coded
  ``raw_message``. A ``str`` passed to ``post_*_message`` is *plain text* (CQ-looking text
  stays literal, as if a person typed it); pass a list of segment dicts for rich messages.
* A ``str`` message in an API call from the bot is parsed as CQ code (unless
  ``auto_escape`` is true), with ``&amp; &#91; &#93; &#44;`` unescaped.
* Sending to a group that was never added, or privately to a user who is neither a friend
  nor (with ``group_id``) a member of that group, fails with retcode 100.
* The bot itself is listed as a member of every group (role ``member`` unless added).
* ``wait_for_sent`` / ``wait_for_call`` consume what they return: each recorded item is
  returned at most once, so call them once per expected message, in any order.

Only ``websockets`` and the standard library are used. The package: ``client`` (the
simulator), ``connection`` (the reverse WebSocket), ``world`` (groups, members, friends,
messages), ``events`` (event payloads), ``api`` (answering calls), ``records`` (what the bot
did, and waiting for it), ``cq`` (segments and CQ codes).
"""

from bot.devtools.onebot_sim.client import OneBotSimulator
from bot.devtools.onebot_sim.cq import escape_cq, parse_cq, segments_to_cq, unescape_cq
from bot.devtools.onebot_sim.records import (
    ApiCall,
    SentMessage,
    SimulatorError,
    SimulatorNotConnected,
    SimulatorRefused,
    UploadedFile,
)

__all__ = [
    "ApiCall",
    "OneBotSimulator",
    "SentMessage",
    "SimulatorError",
    "SimulatorNotConnected",
    "SimulatorRefused",
    "UploadedFile",
    "escape_cq",
    "parse_cq",
    "segments_to_cq",
    "unescape_cq",
]
