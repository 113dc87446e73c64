"""Every 帮助 answer, for every kind of asker: no sentence or block said twice, and what it says
about who may use a command agrees with itself and with the command table (issue 9 item 16)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from bot.core.people.identity import ROLE_LABELS, Role
from bot.nb.registry import Command, registry
from tests.utils import SUPERUSER, private_message, say

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.services import Services

GUEST, MEMBER, CONTACT, STAFF = "29999", "20001", "40001", "30001"
ASKERS = [GUEST, MEMBER, CONTACT, STAFF, SUPERUSER]
WHO_MAY = {
    Role.SUPERUSER: {"超级管理员"},
    Role.STAFF: {"机关工作人员"},
    Role.UNIT_CONTACT: {"承办单位联系人", "机关工作人员"},
    Role.MEMBER: {"委员"},
}
_ROLE_WORDS = sorted((label for label in ROLE_LABELS.values() if label != "所有人"), key=len)
_ROLES_ONLY = re.compile(
    r"（((?:委员|承办单位联系人|机关工作人员|超级管理员)(?:[、和](?:委员|承办单位联系人|机关工作人员|超级管理员))*)）"
)
_ONLY_FOR = re.compile(r"仅限(.+?)使用")


@pytest.fixture
async def people(services: Services) -> None:
    await services.members.register_from_card(MEMBER, "农业界-张三")
    await services.members.set_staff(STAFF, True, display_name="王秘书")
    unit, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, CONTACT, "教育局小刘")


def roles_named(text: str) -> set[str]:
    return {word for word in _ROLE_WORDS if word in text}


def repeated(answer: str) -> list[str]:
    """Sentences (8+ characters) and lines said more than once."""
    pieces = [p.strip(" ·") for p in re.split(r"[。！？；\n]", answer)]
    seen: set[str] = set()
    twice = []
    for piece in pieces:
        if len(piece) < 8:
            continue
        if piece in seen:
            twice.append(piece)
        seen.add(piece)
    return twice


def all_commands() -> list[Command]:
    return list({c.name: c for topic in registry.topics() for c in topic.commands}.values())


async def test_every_help_answer_is_consistent(app: App, people: None) -> None:
    queries = [""] + [t.name for t in registry.topics()] + [c.name for c in all_commands()]
    problems: list[str] = []
    for asker in ASKERS:
        for query in queries:
            answer = await say(app, private_message(f"帮助 {query}".strip(), user_id=asker))
            for piece in repeated(answer):
                problems.append(f"{asker} 帮助 {query}: said twice: {piece}")
            topic = registry.topic(query) if query else None
            command = registry.get(query) if query and topic is None else None
            if topic is not None:
                expected = set().union(*(WHO_MAY.get(c.role, set()) for c in topic.commands))
            elif command is not None and command.role is not Role.ANYONE:
                expected = WHO_MAY[command.role]
            else:
                continue
            for found in _ONLY_FOR.findall(answer):
                if roles_named(found) != expected:
                    problems.append(f"{asker} 帮助 {query}: 仅限{found}使用, but {expected}")
            for shown in [command] if command is not None else topic.commands:  # type: ignore[union-attr]
                for found in _ROLES_ONLY.findall(shown.summary):
                    if shown.role in WHO_MAY and roles_named(found) != WHO_MAY[shown.role]:
                        problems.append(f"{shown.name}: summary names {found}, not {shown.role}")
    assert not problems, "\n".join(problems)


async def test_each_topic_shows_its_format_once(app: App, people: None) -> None:
    for topic, block in (
        ("提案", "正文（情况、分析、建议）"),
        ("社情民意", "建议不超过1500字"),
        ("议题", "建议协商的题目"),
    ):
        answer = await say(app, private_message(f"帮助 {topic}", user_id=MEMBER))
        assert answer.count(block) == 1, (topic, answer)
