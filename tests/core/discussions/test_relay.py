"""The relay rules, on the service: who gets a message, in how many transactions."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.core.discussions.relay import transcript_text
from bot.core.errors import InvalidInput
from tests.discussion_helpers import LI, WANG, ZHANG, four_members, open_room
from tests.utils import outbox_rows

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bot.core.services import Services


@contextmanager
def counting_commits() -> Iterator[list[int]]:
    """Counts the commits of every (synchronous or async-wrapped) session meanwhile."""
    commits: list[int] = []

    def count(_session: Session) -> None:
        commits.append(1)

    event.listen(Session, "after_commit", count)
    try:
        yield commits
    finally:
        event.remove(Session, "after_commit", count)


async def relay_rows(services: Services) -> list[str]:
    rows = await outbox_rows(services, purpose="discussion")
    return [r.target_id for r in rows if ":m" in (r.dedup_key or "")]


async def test_thirty_participants_one_transaction_twenty_nine_rows(services: Services) -> None:
    people = await four_members(services)
    others = [str(21000 + i) for i in range(29)]
    for user_id in others:
        await services.members.register_from_card(user_id, f"农业界-委员{user_id}")
    room = await open_room(services, people[ZHANG], *others)
    assert len(room.active) == 30
    with counting_commits() as commits:
        relayed = await services.discussions.relay.relay(
            room, ZHANG, [{"type": "text", "text": "大家好"}]
        )
    assert relayed.recipients == 29
    assert len(commits) == 1
    assert sorted(await relay_rows(services)) == sorted(others)


async def test_only_current_participants_receive(services: Services) -> None:
    people = await four_members(services)
    room = await open_room(services, people[ZHANG], LI, WANG)
    await services.discussions.rooms.leave(people[WANG], 1)
    # the room object is stale (WANG still in it): the relay reads the participants afresh
    await services.discussions.relay.relay(room, ZHANG, [{"type": "text", "text": "还在吗"}])
    assert await relay_rows(services) == [LI]
    with pytest.raises(InvalidInput, match="您已不在这个讨论中"):
        await services.discussions.relay.relay(room, WANG, [{"type": "text", "text": "我走了"}])


async def test_a_closed_room_relays_nothing(services: Services) -> None:
    people = await four_members(services)
    room = await open_room(services, people[ZHANG], LI)
    await services.discussions.closing.close(people[ZHANG], 1)
    with pytest.raises(InvalidInput, match=r"已于.*结束，这条消息没有转发"):
        await services.discussions.relay.relay(room, LI, [{"type": "text", "text": "晚了"}])
    assert await relay_rows(services) == []


async def test_nothing_to_relay_is_refused(services: Services) -> None:
    people = await four_members(services)
    room = await open_room(services, people[ZHANG], LI)
    with pytest.raises(InvalidInput, match="没有可以转发的"):
        await services.discussions.relay.relay(room, ZHANG, [{"type": "face", "id": "1"}])


def test_transcript_keeps_text_and_marks_images_and_files() -> None:
    parts = [
        {"type": "text", "text": "看这个"},
        {"type": "image", "file": "a.jpg"},
        {"type": "file", "name": "方案.docx"},
    ]
    assert transcript_text(parts) == "看这个[图片][文件 方案.docx]"
