"""Time-outs and the one-hour warning: each once, state in the database (restarts)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.discussions.closing import DiscussionClosing
from bot.core.models import DiscussionStatus
from tests.discussion_helpers import LI, WANG, ZHANG, four_members, open_room
from tests.utils import GROUP_ID, outbox_rows, outbox_text

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def keys(services: Services, word: str) -> list[str]:
    rows = await outbox_rows(services, purpose="discussion")
    return sorted(
        (r.dedup_key or "").split(":", 2)[2] for r in rows if f":{word}:" in (r.dedup_key or "")
    )


async def test_warning_then_time_out_each_once(services: Services, clock: FakeClock) -> None:
    people = await four_members(services)
    room = await open_room(services, people[ZHANG], LI, WANG)
    await services.discussions.relay.relay(room, LI, [{"type": "text", "text": "建议加快管网建设"}])
    sweep = services.discussions.closing.sweep
    assert (await sweep()).warned == 0
    clock.advance(timedelta(hours=47, minutes=10))
    report = await sweep()
    assert (report.warned, report.closed) == (1, 0)
    assert await keys(services, "warn") == [f"warn:u{u}" for u in sorted([ZHANG, LI, WANG])]
    warning = [
        r
        for r in await outbox_rows(services, purpose="discussion")
        if "warn" in (r.dedup_key or "")
    ]
    assert "还有约1小时" in outbox_text(warning[0])
    # a restarted process (a fresh service on the same database) repeats nothing
    restarted = DiscussionClosing(services.db, clock, services.outbox)
    assert (await restarted.sweep()).warned == 0
    clock.advance(timedelta(hours=1))
    assert (await restarted.sweep()).closed == 1
    assert (await sweep()).closed == 0
    summaries = [
        r
        for r in await outbox_rows(services, purpose="discussion")
        if "summary" in (r.dedup_key or "")
    ]
    assert sorted(r.target_id for r in summaries) == sorted([GROUP_ID, ZHANG, LI, WANG])
    assert "到时自动结束" in outbox_text(summaries[0])
    shown = await services.discussions.rooms.show(people[ZHANG], 1, None)
    assert shown.discussion.status == DiscussionStatus.CLOSED
    assert shown.discussion.closed_by == "timeout"


async def test_a_leaver_gets_no_summary(services: Services, clock: FakeClock) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI, WANG)
    await services.discussions.rooms.leave(people[WANG], 1)
    clock.advance(timedelta(hours=49))
    assert (await services.discussions.closing.sweep()).closed == 1
    summaries = [
        r
        for r in await outbox_rows(services, purpose="discussion")
        if "summary" in (r.dedup_key or "")
    ]
    assert WANG not in {r.target_id for r in summaries}
