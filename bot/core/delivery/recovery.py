"""Recovery: rows left ``sending`` by a crash or a lost connection.

Such a row's process died between its claim and its settle (bot/core/delivery/sender.py), and its
call may or may not have reached the client. At start-up (and for rows stuck longer than
:data:`STALE_AFTER`) such a row is settled by :func:`recover`, differently for one person and for
a group:

- **one-to-one** (``private``: answer and evaluation notices, co-sign invitations, deadline
  reminders, a re-sent confirmation): the call is made **once more**, as after a timeout (it
  counts in ``timeouts``: a row that already timed out or was already resent once is given up as
  ``uncertain``). When the first part was in flight, the text is marked ``（补发）``, so that a
  member who got both copies understands. Losing such a notice costs a member the step it asks
  for (e.g. the evaluation of an answer, never given); a second private message costs nothing.
- **groups** (digests, staff-group notices, group reminders, confirmations in groups): **at most
  once**: the in-flight chunk counts as delivered — the row becomes ``uncertain`` (its last
  chunk) or moves on to its next chunk. Why not resend: the window between the claim commit and
  the WebSocket write is microseconds, while the window between the write and the settle commit
  is a whole round trip, so the call most likely did get through; a resend would then show the
  same digest twice to hundreds of members, and repeated long (forward) messages in big groups
  are what QQ's risk control punishes (FIELD-NOTES). And what a group message is about stays
  within reach: the records it lists are on the public board and answer `查提案` and `统计`.
  (`uncertain` rows from a crash are logged, not reported to staff.)

The same holds when the chat connection drops during a call and the call does not come back
within a short grace (bot/plugins/outbox cancels it): the next connection of that account treats
the row as in flight.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update

from bot.core.delivery.claims import QueuedMessage
from bot.core.delivery.outbox import mark_resent
from bot.core.models import OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from bot.core.db import Database

log = logging.getLogger(__name__)

#: A row ``sending`` for longer than this belongs to a call that will never settle.
STALE_AFTER = timedelta(minutes=10)

_table = OutboxMessage.__table__  # type: ignore[attr-defined]
_c = _table.c
_LOST = "发送过程中进程中断，无法确认该条是否送达"


@dataclass
class RecoveryReport:
    uncertain: list[int] = field(default_factory=list)  # rows given up (their last chunk)
    advanced: list[int] = field(default_factory=list)  # rows moved on to their next chunk
    resent: list[int] = field(default_factory=list)  # one-to-one rows whose call goes again


async def recover(db: Database, account: str, now: datetime) -> RecoveryReport:
    """Rows left ``sending``: this account's (a previous connection or process died during the
    call) and anyone's stuck longer than :data:`STALE_AFTER`. One-to-one ones are resent once,
    group ones not (at most once: see the module docstring)."""
    report = RecoveryReport()
    async with db.engine.begin() as conn:
        rows = (
            await conn.execute(
                select(_table).where(
                    _c.status == OutboxStatus.SENDING,
                    or_(_c.claimed_by == account, _c.claimed_at < now - STALE_AFTER),
                )
            )
        ).all()
        for row in rows:
            message = QueuedMessage.from_row(row)
            values, outcome = recovered_values(message, now)
            getattr(report, outcome).append(message.id)
            await conn.execute(
                update(_table)
                .where(_c.id == message.id, _c.status == OutboxStatus.SENDING)
                .values(**values)
            )
    if report.uncertain or report.advanced or report.resent:
        log.warning(
            "outbox: rows left in flight by a crash or lost connection: %s sent once more "
            "(one-to-one), %s given up as uncertain, %s moved on to their next part",
            report.resent,
            report.uncertain,
            report.advanced,
        )
    return report


def recovered_values(message: QueuedMessage, now: datetime) -> tuple[dict[str, Any], str]:
    """What becomes of a row left ``sending`` (see the module docstring), and which list of
    :class:`RecoveryReport` it goes in."""
    if message.target_type == "private" and message.timeouts < 1:
        # one-to-one: its call is resent once (as after a timeout), marked 补发 when it is the
        # first part (a later part continues a message already under way)
        parts = mark_resent(message.parts) if message.chunks_sent == 0 else None
        values: dict[str, Any] = {
            "status": OutboxStatus.PENDING,
            "timeouts": message.timeouts + 1,
            "next_attempt_at": now,
            "last_error": f"{_LOST}，补发一次",
        }
        if parts is not None:
            values["parts"] = parts
        return values, "resent"
    total = len(message.chunks())
    if message.chunks_sent + 1 >= total:
        return {
            "status": OutboxStatus.UNCERTAIN,
            "chunks_sent": total,
            "last_error": f"{_LOST}（不再重发）",
            "reported_at": now,  # a crash: logged, not reported to staff
        }, "uncertain"
    return {
        "status": OutboxStatus.PENDING,
        "chunks_sent": message.chunks_sent + 1,
        "next_attempt_at": now,
        "last_error": f"第{message.chunks_sent + 1}段{_LOST}（不再重发）",
    }, "advanced"
