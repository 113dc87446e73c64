"""QQ account and group numbers: the one rule ids from the chat client are checked against.

OneBot V11 sends ``user_id``, ``group_id`` and ``self_id`` as int64 and the ``qq`` of an @ as
a string, and nothing stops a client (or a forged frame) from sending ``-1``, ``0``, ``abc`` or a
25-digit number. QQ numbers start at 10000 (five digits) and today stay below 2^32 (ten digits);
group numbers follow the same pattern. A positive number of 5–12 digits without a leading zero
leaves room for growth and is the rule the roster import already uses (bot/core/people/roster.py).
``all`` (@全体成员) is not an id: callers handle it on its own.
"""

from __future__ import annotations

import re

_QQ_ID = re.compile(r"[1-9][0-9]{4,11}")
MIN_QQ_ID = 10_000
MAX_QQ_ID = 999_999_999_999


def is_qq_id(value: object) -> bool:
    """Whether ``value`` (an int or its decimal string, no spaces or signs) is a QQ number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return MIN_QQ_ID <= value <= MAX_QQ_ID
    if isinstance(value, str):
        return _QQ_ID.fullmatch(value) is not None
    return False
