"""Events whose fields do not fit their type (a message id `abc`, a sender that is a string, a
`self_id` of `abc`) are skipped with one warning line, and nothing else happens.

Before, NoneBot's parser fell back to its base `Event` class for a message or notice that did
not validate as such, and dispatched it: the project's id checks (which look at message events)
never saw it, and NoneBot logged a traceback for each ("Error while parsing command for
event"); when even the base class failed (`self_id`, `time`), the parser logged an ERROR with a
traceback. Found by bench/bench_reliability.py (hostile inputs, bad-id events).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import SUPERUSER

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess
    from bot.devtools.onebot_sim import OneBotSimulator

GROUP = 561_001


def message(sim: OneBotSimulator, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "time": int(time.time()),
        "self_id": sim.self_id,
        "post_type": "message",
        "message_type": "group",
        "sub_type": "normal",
        "message_id": 5001,
        "group_id": GROUP,
        "user_id": SUPERUSER,
        "message": [{"type": "text", "data": {"text": "本群 设为 全体群"}}],
        "raw_message": "本群 设为 全体群",
        "font": 0,
        "sender": {"user_id": SUPERUSER, "card": "机关-主任"},
    }
    event.update(changes)
    return event


def malformed(sim: OneBotSimulator) -> list[dict[str, Any]]:
    return [
        message(sim, message_id="abc"),
        message(sim, message_id=None),
        message(sim, user_id="abc"),
        message(sim, group_id=[]),
        message(sim, message=17),
        message(sim, sender="x"),
        message(sim, self_id="abc"),
        message(sim, time="abc"),
        {"post_type": "notice", "notice_type": "group_increase", "time": "abc"},
        {"post_type": float("nan"), "self_id": sim.self_id, "time": int(time.time())},
        {"post_type": "message", "message_type": ["group"], "self_id": sim.self_id},
        {"post_type": "request", "request_type": "friend", "self_id": sim.self_id,
         "time": int(time.time()), "user_id": {}, "flag": []},
    ]  # fmt: skip


async def test_events_that_do_not_fit_their_type_are_skipped_quietly(
    bot_process: BotProcess, sim: OneBotSimulator
) -> None:
    sim.add_group(GROUP, "县政协全体委员")
    for event in malformed(sim):
        await sim.send_raw(json.dumps(event))
    # a well-formed message after them: answered, and the only thing that happened
    await sim.post_group_message(GROUP, SUPERUSER, "本群 设为 机关群", message_id=6001)
    answer = await sim.wait_for_sent(lambda m: m.group_id == GROUP, timeout=15)
    assert "已将本群设为机关群" in answer.text
    assert [m.text for m in sim.sent] == [answer.text]
    log = bot_process.current_log()
    assert "Traceback" not in log
    assert log.count("skipped an event that does not fit its type") == len(malformed(sim))
