"""帮助 and the manuals cover every command, and every example in the manuals is accepted by the
bot (issue 16 item 3). Failure messages name the missing commands."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from bot.nb.registry import registry
from tests import utils
from tests.plugins.help.manuals import (
    MANUALS,
    MEMBER_MANUAL,
    NEW_GROUP,
    STAFF_MANUAL,
    Example,
    event_of,
    examples,
    write_replies,
)
from tests.utils import (
    ReplyTo,
    expect_silence,
    make_bot,
    next_message_id,
    private_message,
    say,
)

if TYPE_CHECKING:
    from pathlib import Path

    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.models import Unit
    from bot.core.services import Services

#: How long passes between two examples (the `units` fixture starts at Monday 10:00).
STEP = timedelta(minutes=1)
#: The tags members and staff type, besides the registry's command words.
TAGS = ("#提案", "#社情民意", "#议题", "#讨论", "#动态")
ASKERS = (str(utils.GUEST), "20001", "40001", "30001", utils.SUPERUSER)

#: Replies that mean the bot did not take the example: an unknown word, the wrong role or
#: place, or a usage hint (tests/plugins/test_permission_matrix.py uses the same refusals).
REFUSALS = (
    re.compile(r"^没有“.+”这个命令"),
    re.compile(r"仅限.+使用。"),
    re.compile(r"只有超级管理员可以使用"),
    re.compile(r"^您还不在委员名单中"),
    re.compile(r"^“.+”请在.+使用。$"),
    re.compile(r"用法[：:]"),
    re.compile(r"格式不对|没看懂|请写成|请按.*格式"),
)


@pytest.fixture
def world(
    services: Services, units: dict[str, Unit], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Unit]:
    """The `units` fixture's people, units and bound groups; exports under tmp_path."""
    monkeypatch.setattr(services.export, "folder", tmp_path / "exports")
    return units


def manual_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in MANUALS)


def commands_with_examples() -> set[str]:
    names = set()
    for manual in MANUALS:
        for example in examples(manual):
            if not example.shown:
                continue
            # `议题 录入 …` is typed with a space and runs the registered 议题录入
            for text in (example.text, example.text.replace(" ", "", 1)):
                matched = registry.match(text)
                if matched is not None:
                    names.add(matched[0].name)
    return names


async def help_text(app: App, services: Services) -> str:
    await services.members.register_from_card("20001", "农业界-张三")
    await services.members.set_staff("30001", True, display_name="王秘书")
    unit, _ = await services.units.add("县教育局")
    await services.units.set_contact(unit, "40001", "教育局小刘")
    queries = ["", *(topic.name for topic in registry.topics())]
    answers = []
    for asker in ASKERS:
        for query in queries:
            event = private_message(f"帮助 {query}".strip(), user_id=asker)
            answers.append(await say(app, event))
    return "\n".join(answers)


async def test_help_names_every_command_and_tag(app: App, services: Services) -> None:
    shown = await help_text(app, services)
    joined = re.sub(r"\s", "", shown)  # `议题 录入` names 议题录入
    missing = [c.name for c in registry.commands() if c.name not in joined]
    missing += [tag for tag in TAGS if tag not in shown]
    assert not missing, f"帮助 does not name: {'、'.join(missing)}"


def test_every_command_and_tag_has_an_example_in_a_manual() -> None:
    covered = commands_with_examples()
    missing = [c.name for c in registry.commands() if c.name not in covered]
    assert not missing, (
        f"no ```qq example in docs/委员使用手册.md or docs/机关操作手册.md for: {'、'.join(missing)}"
    )
    text = manual_text()
    assert not [tag for tag in TAGS if tag not in text]


async def answer(app: App, example: Example) -> str:
    """The bot's one reply to the example (a binding first asks the client for the group's name)."""
    event = event_of(example)
    if not example.text.startswith("本群 设为"):
        return await say(app, event)
    reply = ReplyTo(event)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        group = {"group_id": NEW_GROUP, "no_cache": False}
        ctx.should_call_api("get_group_info", group, {"group_name": "县政协新建委员群"})
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, reply, result={"message_id": next_message_id()})
    return reply.text


def refused(example: Example, reply: str) -> bool:
    matched = registry.match(example.text)
    if matched is not None and matched[0].name == "帮助":
        return False  # 帮助 quotes the commands' usage lines
    return any(pattern.search(reply) for pattern in REFUSALS)


async def play(app: App, clock: FakeClock, manual: Path) -> None:
    """Every example in order; refused ones fail, and so do reply blocks that are not what the
    bot says now (UPDATE_MANUALS=1 writes the bot's replies into the manual instead)."""
    refusals: list[str] = []
    stale: list[str] = []
    replies: dict[int, tuple[int, str]] = {}
    for example in examples(manual):
        clock.advance(STEP)  # time moves on between messages, as it does in a real day
        if example.silent:
            await expect_silence(app, event_of(example))
            continue
        reply = await answer(app, example)
        if refused(example, reply):
            refusals.append(f"{example.label} -> {reply}")
        if example.shown:
            replies[example.start] = (example.end, reply)
            if example.reply != reply:
                stale.append(example.label)
    if os.environ.get("UPDATE_MANUALS"):
        write_replies(manual, replies)
        stale = []
    assert not refusals, "examples the bot refused:\n" + "\n".join(refusals)
    assert not stale, (
        f"reply blocks in {manual.name} differ from the bot's replies (refresh them with "
        "UPDATE_MANUALS=1 pytest tests/plugins/help/test_manuals.py):\n" + "\n".join(stale)
    )


@pytest.mark.usefixtures("world")
async def test_the_member_manual_examples_are_accepted(app: App, clock: FakeClock) -> None:
    await play(app, clock, MEMBER_MANUAL)


@pytest.mark.usefixtures("world")
async def test_the_staff_manual_examples_are_accepted(app: App, clock: FakeClock) -> None:
    await play(app, clock, STAFF_MANUAL)


def test_examples_are_parsed() -> None:
    for manual in MANUALS:
        found: list[Example] = examples(manual)
        assert found, f"no ```qq examples in {manual.name}"
        for example in found:
            event_of(example)  # a known sender and place
