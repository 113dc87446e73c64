"""Co-sign invitations (联名): an invited co-signer who has not confirmed is reminded once after
a day; the invitation lapses after 3 days (status ``lapsed``) and the proposer is told — the
lapse whenever the sweep runs, its notice held (``not_before``) until working hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select, update
from sqlmodel import col

from bot.core.clock import as_utc, to_local
from bot.core.delivery.outbox import Target
from bot.core.models import Cosign, CosignStatus, Record, RecordStatus
from bot.core.schedule.reminders import texts
from bot.core.schedule.reminders.stages import Reminder, StageGroup, SweepReport
from bot.core.schedule.reminders.timing import next_allowed

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

COSIGN_REMIND_AFTER = timedelta(days=1)
COSIGN_LAPSE_AFTER = timedelta(days=3)
COSIGN_OPEN = frozenset({RecordStatus.SUBMITTED, RecordStatus.ACCEPTED})


class Invitation(NamedTuple):
    """A pending invitation and the record it is for."""

    cosign_id: int
    user_id: str
    name: str
    created_at: datetime
    record_id: int
    kind: str
    number: int
    year: int
    title: str
    status: str
    proposer_user_id: str
    proposer_name: str
    source_group_id: str | None

    def names(self, current_year: int) -> dict[str, str]:
        """How the record is named and typed (``name``, ``ref``) and its ``title``."""
        return {
            "name": texts.label(self.kind, self.number, self.year, current_year),
            "ref": texts.ref_text(self.kind, self.number, self.year, current_year),
            "title": self.title,
        }


class CosignReminders(StageGroup):
    async def _pending(self, before: datetime) -> list[Invitation]:
        query = (
            select(
                Cosign.id,
                Cosign.user_id,
                Cosign.name,
                Cosign.created_at,
                Record.id,
                Record.kind,
                Record.number,
                Record.year,
                Record.title,
                Record.status,
                Record.proposer_user_id,
                Record.proposer_name,
                Record.source_group_id,
            )
            .join(Record, col(Record.id) == col(Cosign.record_id))
            .where(
                Cosign.status == CosignStatus.PENDING.value,
                col(Cosign.invited).is_(True),
                col(Cosign.created_at) <= before,
            )
            .order_by(col(Cosign.id))
        )
        async with self.db.engine.connect() as conn:
            return [Invitation(*r) for r in (await conn.execute(query)).all()]

    async def lapse(self, now: datetime, report: SweepReport) -> None:
        """Invitations unconfirmed after 3 days lapse; the proposer is told (in working hours).
        The invitation's state is the stage's record: a lapsed one is not pending any more."""
        rows = await self._pending(now - COSIGN_LAPSE_AFTER)
        if not rows:
            return
        current_year = to_local(now).year
        notice_at = next_allowed(now, self.calendar)
        lapses = [self._lapse(invitation, current_year, notice_at) for invitation in rows]
        sent = await self.stages.send_all(lapses, logged=False)
        report.cosign_lapsed += sum(1 for _, queued in sent if queued)

    def _lapse(self, invitation: Invitation, current_year: int, notice_at: datetime) -> Reminder:
        key = f"cosign:lapsed:{invitation.cosign_id}"

        async def queue(session: AsyncSession) -> int:
            result = await session.exec(
                update(Cosign)
                .where(
                    col(Cosign.id) == invitation.cosign_id,
                    Cosign.status == CosignStatus.PENDING.value,
                )
                .values(status=CosignStatus.LAPSED.value)
            )
            if not result.rowcount:
                return 0  # confirmed in the meantime
            await self.outbox.queue(
                Target.private(invitation.proposer_user_id),
                texts.cosign_lapsed(invitee=invitation.name, **invitation.names(current_year)),
                purpose="cosign",
                dedup_key=key,
                record_id=invitation.record_id,
                not_before=notice_at,
                session=session,
            )
            return 1

        return Reminder(key, invitation.record_id, queue)

    async def remind(self, now: datetime, report: SweepReport) -> None:
        """Invitations unconfirmed after a day: the invitee is reminded once."""
        rows = await self._pending(now - COSIGN_REMIND_AFTER)
        current_year = to_local(now).year
        reminders = [
            self._reminder(invitation, current_year)
            for invitation in rows
            if invitation.status in COSIGN_OPEN
        ]
        report.cosign_reminded += len(await self.stages.send_new(reminders, report))

    def _reminder(self, invitation: Invitation, current_year: int) -> Reminder:
        key = f"remind:cosign:{invitation.cosign_id}"
        lapse = to_local(as_utc(invitation.created_at) + COSIGN_LAPSE_AFTER)
        text = texts.cosign_reminder(
            proposer=invitation.proposer_name, lapse=lapse, **invitation.names(current_year)
        )
        return self.to_member(
            key,
            invitation.record_id,
            invitation.user_id,
            text,
            purpose="cosign",
            via_group_id=invitation.source_group_id,
        )
