"""Hostile text in every registered command: lone surrogates, NUL, zero-width characters and
line separators are cleaned once at the edge (the gate), so no command ends in 出错了."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.models import ChannelKind, Unit
from bot.core.records.kinds import RecordKind
from bot.nb.registry import registry
from tests.utils import MEMBER_GROUP, SUPERUSER, group_message, local_morning, private_message, say
from tests.workflow_utils import PROPOSER, add_record, setup_people

if TYPE_CHECKING:
    from nonebug import App

    from bot.core.clock import FakeClock
    from bot.core.services import Services

HOSTILE = ["\ud800", "\udfff", "\ud83d", "\x00", "\u2028", "\u200b", "\ufeff", "\x85", "\r"]
FORMS = [
    "{name} {junk}",
    "{name} 1 {junk}",
    "{name} 1 A {junk}",
    "{name} 添加 {junk}",
    "{name} 1 主办 县教育局{junk}",
    "{name}{junk}",
]
APOLOGIES = ("出错了", "出错")


@pytest.fixture
async def world(services: Services, clock: FakeClock) -> dict[str, Unit]:
    clock.set(local_morning(date(2026, 3, 2)))
    units = await setup_people(services)
    await services.channels.bind(
        str(MEMBER_GROUP), ChannelKind.WHOLE, sector=None, bound_by=SUPERUSER
    )
    for kind in RecordKind:
        await add_record(services, kind=kind)
    return units


junk_text = st.builds(
    lambda before, bad, after: before + bad + after,
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=()), max_size=12),
)


def command_names() -> list[str]:
    """Every registered command (the table is filled when the plugins load, after collection)."""
    names = sorted({c.name for topic in registry.topics() for c in topic.commands})
    assert len(names) >= 20
    return names


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    junk=junk_text,
    form=st.sampled_from(FORMS),
    user=st.sampled_from([SUPERUSER, PROPOSER]),
)
@example(junk="\ud800", form="{name} {junk}", user=SUPERUSER)
@example(junk="\ud800", form="{name} 1 {junk}", user=SUPERUSER)
@example(junk="\ud800", form="{name} 1 A {junk}", user=SUPERUSER)
@example(junk="\ud800", form="{name} 1 主办 县教育局{junk}", user=SUPERUSER)
@example(junk="\ud800", form="{name} 添加 {junk}", user=SUPERUSER)
@example(
    junk="标题\ud800\n正文\ud800内容足够长，建议：一是加大投入。",
    form="{name} {junk}",
    user=PROPOSER,
)
async def test_hostile_text_never_breaks_a_command(
    app: App,
    services: Services,
    clock: FakeClock,
    world: dict[str, Unit],
    junk: str,
    form: str,
    user: str,
) -> None:
    for name in command_names():
        clock.advance(timedelta(minutes=2))  # stay clear of the per-minute posting allowance
        event = private_message(form.format(name=name, junk=junk), user_id=user)
        texts = [await say(app, event)]
        assert texts, f"{name}: no answer"
        for text in texts:
            assert not any(word in text for word in APOLOGIES), (name, text)
            text.encode("utf-8")  # what the bot says can be sent


@pytest.mark.parametrize(
    "text",
    [
        "#提案 关于\ud800加快推进农村生活污水治理的建议\n我县农村生活污水处理设施覆盖率低。建议：一是加大投入。",
        "搜索 污水\ud800",
    ],
)
async def test_hostile_text_in_a_group(app: App, world: dict[str, Unit], text: str) -> None:
    event = group_message(text, user_id=PROPOSER, group_id=MEMBER_GROUP, card="农业界-张三")
    texts = [await say(app, event)]
    assert texts
    assert not any(word in t for t in texts for word in APOLOGIES), texts
