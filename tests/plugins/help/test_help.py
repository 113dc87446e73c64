"""帮助: only the commands the asker may use; topics; unknown topics list the real ones.

Other plugins add to 帮助's text, so tests look for lines in it rather than compare all of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.models import ChannelKind
from bot.nb.registry import registry
from tests.utils import GROUP, GUEST, MEMBER, STAFF, SUPERUSER, group_message, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

STAFF_LINE = "· 委员 设置 @某人 界别 农业界 [职务 常委]｜委员 列表 [界别]"
SUPERUSER_LINE = "· 管理员 添加|移除 @某人｜管理员 列表"
STAFF_LINES = ("· 委员：委员", "· 委员：委员、管理员")  # staff topics: command names only


@pytest.mark.parametrize(
    ("user_id", "sees_staff", "sees_superuser"),
    [
        (GUEST, False, False),
        (MEMBER, False, False),
        (STAFF, True, False),
        (SUPERUSER, True, True),
    ],
)
async def test_lists_only_what_the_asker_may_use(
    app: App,
    services: Services,
    people: None,
    user_id: int | str,
    sees_staff: bool,
    sees_superuser: bool,
) -> None:
    answer = await say(app, private_message("帮助", user_id=user_id))
    lines = answer.splitlines()
    assert lines[0] == "政协履职助手 · 可用命令（发送“帮助 主题”看详细说明）"
    assert (STAFF_LINES[0] in lines) is (sees_staff and not sees_superuser)
    assert (STAFF_LINES[1] in lines) is sees_superuser
    assert ("【办理与管理】（用法：帮助 主题，例如 帮助 提案办理）" in lines) is sees_staff
    assert "命令前可加“/”，例如 /查提案 17。" in answer
    # every command shown is one the asker may use, and every one they may use is shown
    identity = await services.members.identify(str(user_id))
    for topic in registry.topics():
        compact = next((line for line in lines if line.startswith(f"· {topic.name}：")), "")
        for command in topic.commands:
            if command.listed is not None:
                continue  # shown only at times (认领: while nobody has claimed the bot)
            full = f"· {command.usage} — {command.summary}" in lines
            named = command.name in compact.removeprefix(f"· {topic.name}：").split("、")
            assert (full or named) is (identity.has(command.role) and topic.name != "帮助"), (
                command.name
            )


@pytest.mark.parametrize("text", ["/帮助", "／帮助", "帮助？", "菜单", " 帮助 "])
async def test_help_forms(app: App, people: None, text: str) -> None:
    answer = await say(app, private_message(text, user_id=MEMBER))
    assert answer.startswith("政协履职助手 · 可用命令")


async def test_topic_for_staff(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 委员", user_id=STAFF))
    lines = answer.splitlines()
    assert lines[0] == "【委员】"
    assert lines[1].startswith("委员名单可用命令行导入")
    assert STAFF_LINE + " — 设置委员信息、查看委员名单（机关工作人员）" in lines
    assert not any(line.startswith(SUPERUSER_LINE) for line in lines)


async def test_topic_for_superuser_shows_staff_appointments(app: App, people: None) -> None:
    answer = await say(app, private_message("/帮助 委员", user_id=SUPERUSER))
    assert SUPERUSER_LINE + " — 任免机关工作人员（超级管理员）" in answer.splitlines()


async def test_topic_for_member_says_who_may(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 委员", user_id=MEMBER))
    lines = answer.splitlines()
    assert lines[0] == "【委员】"
    assert not any(line.startswith("·") for line in lines)
    assert lines[-1] == (
        "这一主题下没有您可以使用的命令（仅限机关工作人员、超级管理员使用）。"
        "发送“帮助”查看您可以使用的命令。"
    )


async def test_command_help_marks_restricted_commands(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 管理员", user_id=MEMBER))
    assert answer.splitlines() == [
        "管理员 添加|移除 @某人｜管理员 列表",
        "任免机关工作人员（超级管理员）",
        "（此命令仅限超级管理员使用）",
    ]
    answer = await say(app, private_message("帮助 /委员 设置", user_id=STAFF))
    assert answer.splitlines()[0] == "委员 设置 @某人 界别 农业界 [职务 常委]｜委员 列表 [界别]"
    assert "仅限" not in answer


async def test_unknown_topic_lists_the_topics(app: App, people: None) -> None:
    answer = await say(app, private_message("帮助 不存在", user_id=MEMBER))
    assert answer.startswith("没有“不存在”的说明。可以查看的主题：")
    topics = answer.removeprefix("没有“不存在”的说明。可以查看的主题：").rstrip("。").split("、")
    assert {"委员", "群绑定"} <= set(topics)
    assert "帮助" not in topics
    assert set(topics) == {t.name for t in registry.topics()} - {"帮助"}


async def test_help_in_a_bound_group(app: App, services: Services, people: None) -> None:
    await services.channels.bind(str(GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER)
    answer = await say(app, group_message("帮助", user_id=MEMBER, card="农业界-张三"))
    assert answer.startswith("政协履职助手 · 可用命令")
    assert STAFF_LINE not in answer
