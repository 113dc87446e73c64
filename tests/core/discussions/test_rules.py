"""Pure rules: numbers, durations, the #讨论 draft, the proposal body, the summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.discussions.common import Room, parse_duration, parse_number
from bot.core.discussions.proposal import assemble_body, default_title, post_segments
from bot.core.discussions.rooms import parse_draft
from bot.core.discussions.summary import duration_text, summary
from bot.core.errors import InvalidInput
from bot.core.intake.segments import MentionSeg, TextSeg
from bot.core.models import Discussion, DiscussionMessage, DiscussionParticipant

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def room(*names: str) -> Room:
    d = Discussion(id=3, topic="农村污水治理", creator_user_id="1", creator_name=names[0])
    d.created_at, d.ends_at = START, START + timedelta(hours=48)
    people = [
        DiscussionParticipant(discussion_id=3, user_id=str(i + 1), name=n, joined_at=START)
        for i, n in enumerate(names)
    ]
    return Room(d, people)


def said(name: str, text: str, minutes: int = 0) -> DiscussionMessage:
    return DiscussionMessage(
        discussion_id=3,
        user_id="x",
        name=name,
        text=text,
        created_at=START + timedelta(minutes=minutes),
    )


@pytest.mark.parametrize(
    ("text", "number"), [("D3", 3), ("d12", 12), ("3", 3), ("Ｄ4", 4), ("D", None), ("三", None)]
)
def test_numbers(text: str, number: int | None) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("word", "hours"), [("48小时", 48), ("2天", 48), ("3日", 72), ("12h", 12), ("明天", None)]
)
def test_durations(word: str, hours: int | None) -> None:
    parsed = parse_duration(word)
    assert (parsed.total_seconds() / 3600 if parsed else None) == hours


def test_draft_in_a_group_and_privately() -> None:
    group = parse_draft(["农村", "污水", "[24小时]"], ["2", "3"], private=False)
    assert (group.topic, group.mentions, group.duration) == (
        "农村 污水",
        ["2", "3"],
        timedelta(hours=24),
    )
    private = parse_draft(["污水", "张三", "10086", "3天"], [], private=True)
    assert (private.topic, private.names, private.duration) == (
        "污水",
        ["张三", "10086"],
        timedelta(days=3),
    )
    with pytest.raises(InvalidInput, match="1 小时到 7 天"):
        parse_draft(["污水", "8天"], ["2"], private=False)
    with pytest.raises(InvalidInput, match="请写讨论的主题"):
        parse_draft(["48小时"], ["2"], private=False)


def test_body_tells_situation_from_suggestions() -> None:
    body = assemble_body(
        [
            said("甲", "覆盖率低[图片]"),
            said("乙", "建议统筹规划"),
            said("丙", "应当加大投入"),
            said("丁", ""),
        ]
    )
    assert body == "情况：\n覆盖率低\n建议：\n1. 建议统筹规划\n2. 应当加大投入"


def test_the_post_names_the_others_as_cosigners() -> None:
    segments = post_segments(room("张三", "李四", "王五"), "关于污水的建议", "情况：…", "1")
    assert segments[0] == TextSeg("#提案 关于污水的建议\n情况：…\n")
    assert [s for s in segments if isinstance(s, MentionSeg)] == [
        MentionSeg("2", "李四"),
        MentionSeg("3", "王五"),
    ]
    assert default_title("农村污水治理") == "关于农村污水治理的建议"
    assert default_title("关于污水的建议") == "关于污水的建议"


def test_summary_lists_what_it_must() -> None:
    messages = [said("张三", f"第{i}点意见", i) for i in range(5)]
    text = summary(
        room("张三", "李四"),
        messages,
        START + timedelta(hours=26, minutes=5),
        lambda s, k: ["污水", "管网"],
        by_timeout=True,
    )
    lines = text.splitlines()
    assert lines[0] == "【讨论小结】D3“农村污水治理”到时自动结束。"
    assert lines[1] == "参加者：张三、李四（2人）"
    assert lines[2].startswith("消息：5条；历时：1天2小时（")
    assert lines[3] == "关键词：污水、管网"
    assert lines[4:8] == [
        "最后几条意见：",
        "· 张三：第2点意见",
        "· 张三：第3点意见",
        "· 张三：第4点意见",
    ]
    assert "讨论转提案 D3" in lines[-1]


def test_summary_of_a_silent_discussion() -> None:
    text = summary(
        room("张三", "李四"), [], START + timedelta(minutes=30), lambda s, k: [], by_timeout=False
    )
    assert "讨论中没有人发言。" in text
    assert "关键词" not in text
    assert duration_text(START, START + timedelta(minutes=30)) == "30分钟"
