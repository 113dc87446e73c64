"""Temporary discussion groups (临时讨论组, ``D3``): a QQ bot cannot create QQ groups, so the bot
keeps the room itself and relays between its participants one-to-one.

One service per flow, together on ``services.discussions``:

- ``rooms`` (rooms.py): ``#讨论`` (create, invitations), ``加入`` / ``退出``, ``讨论`` (mine),
  ``讨论 D3`` (show), ``进入 D3`` (choose), and where a private message goes (``current``);
- ``relay`` (relay.py): one message -> one transaction with N-1 outbox rows;
- ``closing`` (closing.py, summary.py): ``结束讨论``, time-outs and the one-hour warning (the
  periodic job), the summary to the origin group and to each participant, ``讨论记录``;
- ``proposals`` (proposal.py): ``讨论转提案`` through intake's submit and co-sign invitations;
- ``reach`` (reach.py): unreachable participants (the delivery fallback's resolver).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.discussions.closing import DiscussionClosing
from bot.core.discussions.proposal import DiscussionProposals
from bot.core.discussions.reach import DiscussionReach
from bot.core.discussions.relay import DiscussionRelay
from bot.core.discussions.rooms import DiscussionRooms

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.fallback import DeliveryFallback
    from bot.core.delivery.outbox import OutboxService
    from bot.core.intake.submit import IntakeService
    from bot.core.records.service import RecordService


@dataclass(eq=False)
class Discussions:
    rooms: DiscussionRooms
    relay: DiscussionRelay
    closing: DiscussionClosing
    proposals: DiscussionProposals
    reach: DiscussionReach


def build_discussions(
    db: Database,
    clock: Clock,
    outbox: OutboxService,
    records: RecordService,
    intake: IntakeService,
    fallback: DeliveryFallback,
) -> Discussions:
    reach = DiscussionReach(clock, outbox)
    fallback.add_resolver(reach.route)
    return Discussions(
        rooms=DiscussionRooms(db, clock, outbox, records),
        relay=DiscussionRelay(db, clock, outbox),
        closing=DiscussionClosing(db, clock, outbox),
        proposals=DiscussionProposals(db, intake, records),
        reach=reach,
    )
