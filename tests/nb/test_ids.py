"""QQ ids at the edge: what counts as an account or group number, and @s that are not one."""

from __future__ import annotations

import pytest
from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.core.intake.segments import MentionSeg, OtherSeg
from bot.nb.ids import is_qq_id
from bot.nb.message import mentioned_ids
from bot.nb.segments import to_segments

BAD = ["abc", "-1", "1" * 25, "0", "01234", "1234", "", " ", "12345\n", "１２３４５", "1e5"]
GOOD = ["10000", "20001", "123456789", "4294967295", "999999999999"]


@pytest.mark.parametrize("value", GOOD)
def test_qq_numbers_are_ids(value: str) -> None:
    assert is_qq_id(value)
    assert is_qq_id(int(value))


@pytest.mark.parametrize("value", [*BAD, -1, 0, 9999, 10**12, True, None, 1.5])
def test_other_values_are_not(value: object) -> None:
    assert not is_qq_id(value)


def _ats(*targets: str) -> Message:
    return Message([MessageSegment.at(t) for t in targets] + [MessageSegment.text(" 你好")])


def test_mentions_keep_only_real_accounts() -> None:
    message = _ats("abc", "-1", "1" * 25, "all", "20002", "10000", "20002", "20003")
    assert mentioned_ids(message, self_id="10000") == ["20002", "20003"]


def test_intake_segments_turn_bad_ats_into_ignored_segments() -> None:
    segments = to_segments(_ats("abc", "-1", "1" * 25, "all", "20002"))
    mentions = [s for s in segments if isinstance(s, MentionSeg)]
    assert [m.user_id for m in mentions] == ["all", "20002"]
    assert sum(isinstance(s, OtherSeg) for s in segments) == 3
