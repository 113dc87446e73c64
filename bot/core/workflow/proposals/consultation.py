"""办理协商: 沟通 17 面商|电话|座谈|调研 [日期] 内容 — how the handling unit consulted the
proposer before answering (unit contacts of the round, or staff). The proposer is told; an
answer without any recorded contact is accepted but flagged to staff (handling.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.models import Consultation, Record
from bot.core.workflow.common import Outcome, Requester
from bot.core.workflow.practice_parsing import parse_consult
from bot.core.workflow.proposals import practice_texts as texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.proposals.read_model import lead_part
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


class ConsultationSteps(ProposalSteps):
    async def consult(self, ref: str, by: Requester, text: str) -> Outcome:
        record = await self.resolve(ref)
        spec = parse_consult(text, self.today())
        await self.precheck(record, Action.CONSULT)
        parts = await self.parts(record.id or 0, record.round)
        part = self.own_part(record, by, parts, Action.CONSULT) or lead_part(parts)
        unit = part.unit if part is not None else None
        now, round_ = self.clock.now(), record.round

        async def extra(session: AsyncSession, fresh: Record) -> None:
            session.add(
                Consultation(
                    record_id=fresh.id or 0,
                    round=round_,
                    unit_id=unit.id if unit is not None else None,
                    method=spec.method.value,
                    held_on=spec.held_on,
                    content=spec.content,
                    recorded_by=by.identity.user_id,
                    recorded_at=now,
                )
            )

        notify = self.notify_proposer(
            lambda r: texts.consult_notice(self, r, unit, spec), f"consult:{now.isoformat()}"
        )
        record = await self.apply(
            record,
            Action.CONSULT,
            by,
            detail=texts.consult_detail(unit, spec),
            extra=extra,
            notify=notify,
        )
        return Outcome(record, *texts.consult_reply(self, record, unit, spec))
