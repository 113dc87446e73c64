"""帮助 for the consultation plan and the news: staff see every step, members see who may."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.utils import MEMBER, STAFF, private_message, say

if TYPE_CHECKING:
    from nonebug import App


async def test_topic_handling_lists_every_step_for_staff(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 议题办理", user_id=STAFF))
    lines = answer.splitlines()
    assert lines[0] == "【议题办理】"
    for usage in (
        "· 列入计划 3 形式 牵头 … 责任 … 时限 …",
        "· 议题 录入 议题名称⏎说明（可不写）",
        "· 议题 活动 3 调研 2027-03-15 参加 张三、李四",
        "· 议题 成果 3 建议案 内容",
        "· 议题 批示 3 县委书记批示：请县农业农村局抓好落实",
        "· 议题 落实 3 落实情况或反馈问效",
        "· 议题 办结 3 [办结说明]",
    ):
        assert any(line.startswith(usage + " — ") for line in lines), usage


async def test_overview_names_the_plan_and_news(app: App, people: None) -> None:
    staff = await say(app, private_message("帮助", user_id=STAFF))
    assert "\n· 议题办理：列入计划\n" in staff
    assert "\n· 政协动态：#动态\n" in staff
    member = await say(app, private_message("帮助", user_id=MEMBER))
    assert "· 协商计划 [年份] — 查看年度协商计划及进展" in member
    assert "列入计划" not in member


async def test_news_topic_explains_withdrawal(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 政协动态", user_id=STAFF))
    assert "· 撤回动态 5 — 撤回已发布的政协动态" in answer.splitlines()
    member = await say(app, private_message("帮助 政协动态", user_id=MEMBER))
    assert member.endswith(
        "这一主题下没有您可以使用的命令（仅限机关工作人员使用）。发送“帮助”查看您可以使用的命令。"
    )
