"""Mistyped tags get a hint; chatter that starts with # does not (issue 9 item 8)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.intake.near_tags import near_tag
from bot.core.intake.parser import detect_tag
from bot.core.intake.segments import MentionSeg, TextSeg
from bot.core.records.kinds import RecordKind

P, OP, T = RecordKind.PROPOSAL, RecordKind.OPINION, RecordKind.TOPIC


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("#提按 关于加快推进农村生活污水治理的建议", P),
        ("＃题案 关于加快推进农村生活污水治理的建议", P),
        ("#提安：关于修缮人民广场健身器材的建议", P),
        ("#题按关于修缮人民广场健身器材的建议", P),  # no space after the tag
        ("#案提 关于修缮人民广场健身器材的建议", P),  # swapped
        ("【提按】关于修缮人民广场健身器材的建议", P),
        ("【提案 关于修缮人民广场健身器材的建议", P),  # the closing bracket is missing
        ("#社情名意 关于城区电动车充电难的问题", OP),
        ("#社清民意 关于城区电动车充电难的问题", OP),
        ("#社情民 关于城区电动车充电难的问题", OP),  # one character missing
        ("#社情民义信息 关于城区电动车充电难的问题", OP),
        ("#民义 关于城区电动车充电难的问题", OP),
        ("#意题 农村养老服务体系建设", T),
        ("＃议提 农村养老服务体系建设", T),
        ("#协商意题 农村养老服务体系建设", T),
    ],
)
def test_mistyped_tags(typed: str, kind: RecordKind) -> None:
    segments = [TextSeg(typed)]
    assert detect_tag(segments) is None
    found = near_tag(segments)
    assert found is not None
    assert found.kind is kind


def test_after_an_at_of_the_bot() -> None:
    found = near_tag([MentionSeg("10000"), TextSeg(" #提按 关于修缮人民广场健身器材的建议")])
    assert found is not None
    assert found.kind is P


@pytest.mark.parametrize(
    "typed",
    [
        "#今日打卡 跑步五公里",
        "#1",
        "#",
        "# 这不是标签",
        "#提醒 明天上午开会",
        "#体育 周末篮球赛",
        "#题目 下面哪个选项正确",
        "#话题 大家怎么看",
        "#意见 收集一下大家的想法",
        "#协商会议 通知",
        "#社区活动 报名",
        "#社情 调研",
        "#️⃣ 表情",
        "#🎉🎉🎉",
        "【通知】明天开会",
        "【提案办理情况通报】第一季度",
        "【会议纪要】",
        "今天讨论提案",
    ],
)
def test_chatter_gets_nothing(typed: str) -> None:
    segments = [TextSeg(typed)]
    assert detect_tag(segments) is None
    assert near_tag(segments) is None


@given(st.text(max_size=30))
def test_never_raises(text: str) -> None:
    found = near_tag([TextSeg("#" + text)])
    assert found is None or isinstance(found.kind, RecordKind)
