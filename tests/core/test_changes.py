"""ChangeWatch: version rows bumped with each change, read at most every few seconds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.changes import CHANNELS, ChangeWatch
from bot.core.db import Database

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.services import Services


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def bump(services: Services, topic: str, *, commit: bool = True) -> None:
    async with services.db.session() as session:
        await services.changes.abump(session, topic)
        if commit:
            await session.commit()


async def test_a_change_is_noticed_at_the_next_check_not_before(services: Services) -> None:
    ticks = Ticks()
    watch = ChangeWatch(services.db, interval=2.0, monotonic=ticks)
    await watch.refresh()
    seen = watch.generation(CHANNELS)

    await bump(services, CHANNELS)
    ticks.now = 1.9
    await watch.refresh()  # not due: no query, nothing noticed yet
    assert watch.generation(CHANNELS) == seen
    ticks.now = 2.0
    await watch.refresh()
    assert watch.generation(CHANNELS) == seen + 1
    ticks.now = 4.5
    await watch.refresh()  # nothing changed since
    assert watch.generation(CHANNELS) == seen + 1

    await bump(services, CHANNELS)
    await bump(services, CHANNELS)
    await watch.refresh(force=True)
    assert watch.generation(CHANNELS) == seen + 2


async def test_a_rolled_back_change_is_not_noticed(services: Services) -> None:
    watch = ChangeWatch(services.db, interval=0.0)
    await bump(services, CHANNELS)
    await watch.refresh()
    seen = watch.generation(CHANNELS)
    await bump(services, CHANNELS, commit=False)
    await watch.refresh()
    assert watch.generation(CHANNELS) == seen


async def test_a_failed_check_leaves_the_caches_alone(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'not-migrated.db'}")  # no change_version
    try:
        watch = ChangeWatch(db, interval=0.0)
        await watch.refresh()
        assert watch.generation(CHANNELS) == 0
    finally:
        await db.dispose()
