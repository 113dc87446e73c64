"""The command table: which texts are commands (prefix rules), and lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.people.identity import Role
from bot.nb.registry import Command, Registry

if TYPE_CHECKING:
    from bot.nb.context import CommandContext


async def _noop(ctx: CommandContext) -> None:
    return None


def make_registry() -> Registry:
    registry = Registry()
    for name, takes_args, aliases in [
        ("帮助", True, ("菜单", "help")),
        ("查提案", True, ()),
        ("查", True, ()),
        ("统计", True, ()),
        ("我的", False, ()),
        ("委员", True, ()),
    ]:
        registry.add(
            Command(
                name=name,
                handler=_noop,
                usage=name,
                summary=name,
                topic="测试",
                aliases=aliases,
                takes_args=takes_args,
            )
        )
    return registry


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("帮助", "帮助", ""),
        ("  帮助  ", "帮助", ""),
        ("/帮助", "帮助", ""),
        ("／帮助", "帮助", ""),  # full-width slash
        ("/ 帮助", "帮助", ""),
        ("帮助 委员", "帮助", "委员"),
        ("帮助：委员", "帮助", "委员"),
        ("帮助\u3000委员", "帮助", "委员"),
        ("帮助？", "帮助", ""),
        ("菜单", "帮助", ""),
        ("HELP", "帮助", ""),
        ("查提案17", "查提案", "17"),
        ("查提案 17", "查提案", "17"),
        ("查提案１７", "查提案", "１７"),
        ("查 关键词", "查", "关键词"),
        ("统计 2026", "统计", "2026"),
        ("我的", "我的", ""),
        ("我的。", "我的", ""),
        ("委员 设置 ", "委员", "设置 "),
        ("委员@张三", "委员", "@张三"),
        ("委员D3", "委员", "D3"),  # a discussion number (加入D3)
        ("统计d12", "统计", "d12"),
    ],
)
def test_commands(text: str, name: str, rest: str) -> None:
    matched = make_registry().match(text)
    assert matched is not None
    assert (matched[0].name, matched[1]) == (name, rest)


@pytest.mark.parametrize(
    "text",
    [
        "我的天",
        "我的17",  # argument-less commands stand alone
        "统计一下",
        "查提案吗",
        "帮助我一下",
        "查查看",
        "今天开会",
        "",
        "   ",
        "/",
        "/我的天",
        "委员们好",
        "helpful",
        "统计Dota",
        "我的D3",  # argument-less commands stand alone
    ],
)
def test_chatter_is_not_a_command(text: str) -> None:
    assert make_registry().match(text) is None


def test_longest_word_wins() -> None:
    matched = make_registry().match("查提案 5")
    assert matched is not None
    assert matched[0].name == "查提案"


def test_duplicate_word_is_refused() -> None:
    registry = make_registry()
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(Command(name="菜单", handler=_noop, usage="", summary="", topic="x"))


def test_get_and_topics() -> None:
    registry = make_registry()
    registry.describe_topic("测试", "说明")
    assert registry.get("help") is registry.get("帮助")
    assert registry.get("/查提案") is not None
    assert registry.get("不存在") is None
    topic = registry.topic("测试")
    assert topic is not None
    assert topic.intro == "说明"
    assert [c.name for c in topic.commands] == ["帮助", "查提案", "查", "统计", "我的", "委员"]


def test_decorator_registers_with_role() -> None:
    registry = Registry()

    @registry.command("立案", usage="立案 17", summary="立案", topic="审核", role=Role.STAFF)
    async def accept(ctx: CommandContext) -> None:
        return None

    matched = registry.match("立案 17")
    assert matched is not None
    assert matched[0].role is Role.STAFF
    assert matched[0].handler is accept
