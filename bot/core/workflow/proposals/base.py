"""What every group of proposal steps shares: the services they use, the round's read model,
and who among unit contacts may act on a proposal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.errors import PermissionDenied
from bot.core.models import Answer, Consultation, Evaluation, Record
from bot.core.records.kinds import RecordKind
from bot.core.workflow.common import RecordFlow, Requester
from bot.core.workflow.proposals.read_model import (
    Handling,
    UnitPart,
    handling,
    latest_answer,
    latest_evaluation,
    parts_text,
    round_parts,
)

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.notify import Notifier
    from bot.core.people.units import UnitService
    from bot.core.records.service import RecordService
    from bot.core.schedule.workdays import WorkCalendar
    from bot.core.workflow.states import Action

#: A step's notices, queued in its transaction (RecordFlow.apply notify=).
Notify = Callable[[AsyncSession, Record], Awaitable[None]]


class ProposalSteps(RecordFlow):
    """The base of the proposal step groups (review, handling, closing)."""

    kind = RecordKind.PROPOSAL

    def __init__(
        self,
        db: Database,
        clock: Clock,
        records: RecordService,
        units: UnitService,
        notifier: Notifier,
        calendar: WorkCalendar,
        *,
        answer_months: int = 3,
        categories: Sequence[str] = (),
    ) -> None:
        super().__init__(db, clock, records, calendar)
        self.units = units
        self.notifier = notifier
        self.answer_months = answer_months
        self.categories = tuple(categories)

    # ------------------------------------------------------------ the round (read model)

    async def parts(self, record_id: int, round_: int) -> list[UnitPart]:
        """The units of one round, lead first."""
        return await round_parts(self.db, record_id, round_)

    async def latest_answer(self, record_id: int, round_: int | None = None) -> Answer | None:
        return await latest_answer(self.db, record_id, round_)

    async def latest_evaluation(self, record_id: int) -> Evaluation | None:
        return await latest_evaluation(self.db, record_id)

    async def handling(self, record: Record) -> Handling:
        """The current round at a glance (for 查提案 and the progress board)."""
        return await handling(self.db, record)

    async def has_consultation(self, record_id: int, round_: int) -> bool:
        """Whether a contact with the proposer (沟通) was recorded in this round."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(Consultation.id).where(
                    Consultation.record_id == record_id, Consultation.round == round_
                )
            )
            return rows.first() is not None

    # ------------------------------------------------------------ notices

    async def tell(
        self, session: AsyncSession, user_id: str, text: str, *, key: str, record: Record
    ) -> None:
        """A one-to-one notice to a member, queued in the step's transaction."""
        await self.notifier.to_member(
            user_id, text, purpose="workflow", dedup_key=key, record_id=record.id, session=session
        )

    async def tell_staff(self, session: AsyncSession, text: str, record: Record) -> None:
        """A notice to the staff groups, queued in the step's transaction."""
        await self.notifier.to_staff_groups(
            text, purpose="workflow", dedup_key=None, record_id=record.id, session=session
        )

    def notify_proposer(self, text: Callable[[Record], str], key: str) -> Notify:
        """The step's notice to the proposer (``text`` of the changed record), deduplicated as
        ``key:<record id>``."""

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.tell(
                session, fresh.proposer_user_id, text(fresh), key=f"{key}:{fresh.id}", record=fresh
            )

        return notify

    # ------------------------------------------------------------ unit contacts

    def own_part(
        self, record: Record, by: Requester, parts: list[UnitPart], action: Action
    ) -> UnitPart | None:
        """The asker's unit part; None for staff. Contacts of other units are refused."""
        if by.is_staff:
            return None
        mine = [p for p in parts if p.unit.id in by.identity.unit_ids]
        if not mine:
            handled = parts_text(parts) or "尚未交办"
            raise PermissionDenied(
                f"{self.label(record)}没有交由您所在的单位办理（{handled}），"
                f"只有承办该件的单位可以提交“{action.label}”。如有疑问请联系政协机关。"
            )
        mine.sort(key=lambda p: not p.is_lead)
        return mine[0]
