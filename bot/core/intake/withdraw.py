"""撤回 (WithdrawalService): the proposer takes back a record that has not been reviewed yet.

A state change like any other: through the state machine (``Action.WITHDRAW``, allowed from
已提交 for every kind) and ``RecordService.change``, whose change hooks take the record out of
the similarity index. Staff and the confirmed co-signers are told in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.intake import texts
from bot.core.models import Cosign, CosignStatus, Record, RecordStatus
from bot.core.records.service import Actor, RecordService
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.delivery.notify import Notifier
    from bot.core.people.identity import Identity


@dataclass(eq=False)
class WithdrawalService:
    records: RecordService
    notifier: Notifier

    async def withdraw(self, record: Record, identity: Identity, *, source: str) -> Record:
        """撤回: the proposer takes back a record not yet reviewed."""
        year = self.records.current_year()
        label = texts.label(record, year)
        if identity.user_id != record.proposer_user_id or identity.platform != record.platform:
            raise PermissionDenied(
                f"只有提出人{'' if record.source_kind == 'private' else record.proposer_name}"
                f"可以撤回{label}。"
                f"如需查看，请发送“{texts.query_command(record, year)}”。"
            )
        if record.status != RecordStatus.SUBMITTED:
            raise InvalidInput(
                f"{label}当前状态是“{RecordStatus(record.status).label}”，只有尚未审核（已提交）的"
                "才能撤回。如确需撤回，请联系机关工作人员。"
            )

        async def notify(session: AsyncSession, updated: Record) -> None:
            await self._tell(session, updated, label)

        return await self.records.change(
            record,
            Action.WITHDRAW,
            Actor(identity.user_id, identity.name, source),
            detail="提出人撤回",
            notify=notify,
        )

    async def _tell(self, session: AsyncSession, updated: Record, label: str) -> None:
        """Staff and the confirmed co-signers, in the withdrawal's transaction."""
        await self.notifier.to_staff_groups(
            f"{label}《{updated.title}》已由提出人{updated.proposer_name}撤回，无需审核。",
            purpose="intake_withdrawn",
            dedup_key=f"withdraw:{updated.id}",
            record_id=updated.id,
            session=session,
        )
        confirmed = await session.exec(
            select(Cosign.user_id)
            .where(Cosign.record_id == updated.id, Cosign.status == CosignStatus.CONFIRMED)
            .order_by(col(Cosign.id))
        )
        for user_id in confirmed.all():
            await self.notifier.to_member(
                user_id,
                f"您附议的{label}《{updated.title}》已由提出人{updated.proposer_name}撤回。",
                purpose="withdraw_notice",
                dedup_key=f"withdraw:{updated.id}:{user_id}",
                record_id=updated.id,
                session=session,
            )
