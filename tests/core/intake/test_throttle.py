"""The throttle (bot/core/intake/throttle.py): the 24-hour duplicate window, the rate limit, one post at a time."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from bot.core.intake.results import Source
from bot.core.intake.segments import TextSeg
from bot.core.intake.throttle import RateLimited
from tests.intake_helpers import (
    FOOD,
    FOOD_TITLE,
    GROUP,
    LIFT,
    LIFT_TITLE,
    SEWAGE,
    SEWAGE_TITLE,
    group_source,
    post,
    register,
)

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def test_same_text_within_a_day_keeps_its_number(
    services: Services, clock: FakeClock
) -> None:
    zhang = await register(services, "20001", "张三")
    li = await register(services, "20002", "李四")
    first = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    clock.advance(timedelta(hours=23))
    # spacing and full-width characters do not make it new text
    again_segments = [TextSeg(f"＃提案  {SEWAGE_TITLE}\n\n{SEWAGE.replace('，', '， ')}")]
    again = await services.intake.submit(
        again_segments, identity=zhang, source=Source.group(GROUP, "888")
    )
    assert again.duplicate
    assert again.record.id == first.record.id
    assert await services.records.by_message("888") == first.record
    other = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=li, source=group_source()
    )
    assert not other.duplicate
    assert other.record.number == 2

    clock.advance(timedelta(hours=2))
    later = await services.intake.submit(
        post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
    )
    assert not later.duplicate
    assert later.record.number == 3


async def test_withdrawn_text_may_be_posted_again(services: Services) -> None:
    zhang = await register(services, "20001", "张三")
    first = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()
    )
    await services.withdrawals.withdraw(first.record, zhang, source="private")
    again = await services.intake.submit(
        post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()
    )
    assert not again.duplicate
    assert again.record.number == 2


async def test_rate_limit_refuses_once_then_stays_quiet(
    services: Services, clock: FakeClock
) -> None:
    services.intake.throttle.rate_per_minute = 2
    try:
        zhang = await register(services, "20001", "张三")
        await services.intake.submit(
            post(SEWAGE_TITLE, SEWAGE), identity=zhang, source=group_source()
        )
        await services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source())
        with pytest.raises(RateLimited) as first:
            await services.intake.submit(
                post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
            )
        assert not first.value.quiet
        assert "每分钟最多提交2条" in first.value.message
        with pytest.raises(RateLimited) as second:
            await services.intake.submit(
                post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
            )
        assert second.value.quiet
        li = await register(services, "20002", "李四")
        other = await services.intake.submit(
            post(FOOD_TITLE, FOOD), identity=li, source=group_source()
        )
        assert other.record.number == 3
        clock.advance(timedelta(seconds=61))
        later = await services.intake.submit(
            post(FOOD_TITLE, FOOD), identity=zhang, source=group_source()
        )
        assert later.record.number == 4
    finally:
        services.intake.throttle.rate_per_minute = services.config.intake_rate_per_minute


async def test_quick_double_post_is_one_record(services: Services) -> None:
    import asyncio

    zhang = await register(services, "20001", "张三")
    first, second = await asyncio.gather(
        services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()),
        services.intake.submit(post(LIFT_TITLE, LIFT), identity=zhang, source=group_source()),
    )
    assert first.record.id == second.record.id
    assert sorted([first.duplicate, second.duplicate]) == [False, True]
