"""双向评价, the unit's side: 提案质量 17 优秀|良好|一般 [意见] — after answering, the lead unit
rates the proposal's quality (a later rating replaces the earlier one). Staff only ever see it:
the timeline entry is internal and the proposer is not told. It feeds duty points and the
selection of key and excellent proposals (practice_read.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import Answer, QualityGrade, QualityRating, Record, Unit
from bot.core.workflow.common import Outcome, Requester
from bot.core.workflow.proposals import practice_texts as texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


class QualitySteps(ProposalSteps):
    async def rate_quality(
        self, ref: str, by: Requester, grade: QualityGrade, opinion: str
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.RATE_QUALITY)
        answer = await self.latest_answer(record.id or 0)
        if answer is None:
            raise InvalidInput(f"{self.label(record)}还没有答复，答复后才能评价提案质量。")
        unit = await self._answering_unit_of(record, answer, by)
        now = self.clock.now()

        async def extra(session: AsyncSession, fresh: Record) -> None:
            found = (
                await session.exec(select(QualityRating).where(QualityRating.record_id == fresh.id))
            ).first()
            rating = found or QualityRating(record_id=fresh.id or 0, grade=grade.value)
            rating.unit_id = unit.id if unit is not None else None
            rating.grade, rating.opinion = grade.value, opinion
            rating.rated_by, rating.rated_at = by.identity.user_id, now
            session.add(rating)

        who = unit.name if unit is not None else "机关"
        detail = f"{who}评价提案质量：{grade.label}" + (f"。意见：{opinion}" if opinion else "")
        record = await self.apply(
            record, Action.RATE_QUALITY, by, detail=detail, public=False, extra=extra
        )
        return Outcome(record, *texts.quality_reply(self, record, unit, grade))

    async def _answering_unit_of(
        self, record: Record, answer: Answer, by: Requester
    ) -> Unit | None:
        """The unit that answered; a contact of another unit is refused."""
        unit = await self.units.get(answer.unit_id) if answer.unit_id is not None else None
        if by.is_staff:
            return unit
        if answer.unit_id is None or answer.unit_id not in by.identity.unit_ids:
            shown = unit.name if unit is not None else "主办单位"
            raise PermissionDenied(
                f"{self.label(record)}由{shown}答复，只有答复的主办单位可以评价提案质量。"
            )
        return unit
