"""The delivery fallback: a person no private message reaches gets ONE group @ a day (never the
content); the discussion's creator is told; staff can list them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.delivery.fallback import DEFAULT_HINT, FALLBACK_PURPOSE
from bot.core.delivery.outbox import Target
from bot.core.discussions.texts import BEFRIEND
from bot.core.models import OutboxMessage, OutboxStatus, UnreachableNotice
from tests.discussion_helpers import LI, WANG, ZHANG, ZHAO, four_members, open_room
from tests.utils import GROUP_ID, outbox_rows, outbox_text

if TYPE_CHECKING:
    from bot.core.clock import FakeClock
    from bot.core.services import Services


async def fail_rows_to(services: Services, user_id: str) -> None:
    """What the sender does when no route reaches the person: the rows fail."""
    async with services.db.session() as session:
        rows = (
            await session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.target_id == user_id,
                    OutboxMessage.status == OutboxStatus.PENDING,
                )
            )
        ).all()
        for row in rows:
            row.status = OutboxStatus.FAILED
            row.last_error = "不是机器人的好友，也无法通过所在群的临时会话联系"
            session.add(row)
        await session.commit()


async def group_notices(services: Services) -> list[OutboxMessage]:
    return await outbox_rows(services, purpose=FALLBACK_PURPOSE)


async def test_a_participant_is_asked_once_in_the_origin_group(
    services: Services, clock: FakeClock
) -> None:
    people = await four_members(services)
    room = await open_room(services, people[ZHANG], LI, WANG)
    for line in ("第一条", "第二条"):
        await services.discussions.relay.relay(room, ZHANG, [{"type": "text", "text": line}])
    await fail_rows_to(services, LI)
    assert await services.fallback.run() == 3  # the invitation and two relays
    notices = await group_notices(services)
    assert len(notices) == 1
    assert notices[0].target_id == GROUP_ID
    assert notices[0].parts[0] == {"type": "mention", "user_id": LI}
    assert outbox_text(notices[0]) == " " + BEFRIEND  # never the content
    told = [
        outbox_text(r)
        for r in await outbox_rows(services, purpose="discussion")
        if r.target_id == ZHANG and "unreachable" in (r.dedup_key or "")
    ]
    assert told == [
        "【D1 农村污水治理】李四不是机器人的好友，收不到讨论消息，已在发起的群里提醒其加好友；讨论照常进行。"
    ]
    # nothing new: nothing done; more failures the same day: recorded, no second @
    assert await services.fallback.run() == 0
    await services.discussions.relay.relay(room, ZHANG, [{"type": "text", "text": "第三条"}])
    await fail_rows_to(services, LI)
    assert await services.fallback.run() == 1
    assert len(await group_notices(services)) == 1
    # the next day, another failure: one more @
    clock.advance(timedelta(days=1))
    await services.discussions.relay.relay(room, ZHANG, [{"type": "text", "text": "第四条"}])
    await fail_rows_to(services, LI)
    await services.fallback.run()
    assert len(await group_notices(services)) == 2
    async with services.db.session() as session:
        recorded = (await session.exec(select(UnreachableNotice))).all()
    assert len(recorded) == 5
    assert sum(r.noticed for r in recorded) == 2


async def test_other_notices_use_a_group_the_person_was_seen_in(services: Services) -> None:
    await four_members(services)
    services.contacts.forget_cache()  # (an earlier test may have seen ZHAO in that group)
    await services.contacts.record(ZHAO, GROUP_ID)
    await services.outbox.enqueue(Target.private(ZHAO), "评价提醒：……", purpose="evaluation")
    await services.outbox.enqueue(Target.private(WANG), "联名邀请：……", purpose="cosign_invite")
    await fail_rows_to(services, ZHAO)
    await fail_rows_to(services, WANG)
    assert await services.fallback.run() == 2
    notices = await group_notices(services)
    assert [(n.target_id, n.parts[0]["user_id"]) for n in notices] == [(GROUP_ID, ZHAO)]
    assert outbox_text(notices[0]) == " " + DEFAULT_HINT
    # WANG was never seen in a bound group: recorded for staff, no @
    people = await services.fallback.people(services.clock.now() - timedelta(days=1))
    assert sorted(p.name for p in people) == ["王五", "赵六"]


async def test_someone_reached_later_is_no_longer_listed(
    services: Services, clock: FakeClock
) -> None:
    await four_members(services)
    await services.outbox.enqueue(Target.private(WANG), "联名邀请：……", purpose="cosign_invite")
    await fail_rows_to(services, WANG)
    await services.fallback.run()
    clock.advance(timedelta(hours=2))
    row = await services.outbox.enqueue(Target.private(WANG), "又一条", purpose="notice")
    assert row is not None
    async with services.db.session() as session:
        stored = await session.get(OutboxMessage, row.id)
        assert stored is not None
        stored.status, stored.sent_at = OutboxStatus.SENT, clock.now()
        session.add(stored)
        await session.commit()
    assert await services.fallback.people(clock.now() - timedelta(days=1)) == []


async def test_the_failure_report_runs_the_fallback(services: Services) -> None:
    people = await four_members(services)
    await open_room(services, people[ZHANG], LI)
    await fail_rows_to(services, LI)
    await services.outbox_reports.report()  # no staff group: nothing reported, @ still made
    assert len(await group_notices(services)) == 1


async def test_staff_are_not_told_each_undelivered_relay(services: Services) -> None:
    from bot.core.models import ChannelKind
    from tests.utils import STAFF_GROUP_ID, SUPERUSER

    people = await four_members(services)
    await services.channels.bind(STAFF_GROUP_ID, ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    await open_room(services, people[ZHANG], LI)
    await services.outbox.enqueue(Target.private(WANG), "联名邀请：……", purpose="cosign_invite")
    await fail_rows_to(services, LI)
    await fail_rows_to(services, WANG)
    # the creator is told about LI; WANG's invitation goes to the staff group's report
    assert await services.outbox_reports.report() == 1
    report = outbox_text((await outbox_rows(services, purpose="outbox_report"))[0])
    assert "王五" in report
    assert "李四" not in report


async def test_the_monthly_digest_lists_them(services: Services) -> None:
    from bot.core.models import ChannelKind, DigestKind
    from tests.utils import STAFF_GROUP_ID, SUPERUSER

    await four_members(services)
    await services.channels.bind(STAFF_GROUP_ID, ChannelKind.STAFF, sector=None, bound_by=SUPERUSER)
    await services.outbox.enqueue(Target.private(WANG), "联名邀请：……", purpose="cosign_invite")
    await fail_rows_to(services, WANG)
    await services.fallback.run()
    outcomes = await services.digests.run_now(DigestKind.MONTHLY)
    assert [o.status for o in outcomes] == ["sent"]
    text = outbox_text((await outbox_rows(services, "digest"))[0])
    assert f"私聊联系不上（请提醒其加机器人为好友）：\n王五（QQ {WANG}）" in text
