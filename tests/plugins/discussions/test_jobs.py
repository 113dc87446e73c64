"""The discussions' periodic job: registered at start with its id; a run closes what is due."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core.models import DiscussionStatus
from tests.discussion_helpers import LI, ZHANG, four_members, open_room
from tests.utils import GROUP_ID, outbox_rows

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_the_job_is_registered_and_closes_what_is_due(
    services: Services, clock: FakeClock
) -> None:
    from nonebot_plugin_apscheduler import scheduler

    from bot.plugins.discussions.jobs import SWEEP_JOB, sweep

    job = scheduler.get_job(SWEEP_JOB)
    assert job is not None
    assert job.trigger.interval == timedelta(seconds=services.config.discussion_sweep_seconds)
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    clock.advance(timedelta(hours=48, minutes=1))
    await sweep()
    room = await services.discussions.rooms.show(people[ZHANG], 1, None)
    assert room.discussion.status == DiscussionStatus.CLOSED
    groups = [
        r.target_id
        for r in await outbox_rows(services, purpose="discussion")
        if r.target_type == "group"
    ]
    assert groups == [GROUP_ID]
