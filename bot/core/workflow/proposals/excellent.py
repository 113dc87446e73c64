"""优秀提案 (the year's best proposals): ``优秀提案 17 [理由]`` (staff) marks one for the current
year, the proposer and the confirmed co-signers are told one-to-one; ``优秀提案 17 取消``
clears it; ``优秀提案 列表 [2026]`` lists them. They appear on the board and count in duty
points (practice_read.py is what those read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, delete, select

from bot.core.errors import InvalidInput
from bot.core.models import Cosign, CosignStatus, ExcellentProposal, Record
from bot.core.workflow.common import Outcome, Requester, title_of
from bot.core.workflow.proposals import practice_texts as texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


class ExcellentSteps(ProposalSteps):
    async def mark_excellent(
        self, ref: str, by: Requester, reason: str, *, on: bool = True
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.MARK_EXCELLENT)
        year, now = self.records.current_year(), self.clock.now()
        marked = await self._marked(record.id or 0)
        if on and marked is not None:
            raise InvalidInput(
                f"{self.label(record)}已是{marked.year}年度优秀提案。取消请发送：优秀提案 {self.ref(record)} 取消"
            )
        if not on and marked is None:
            raise InvalidInput(f"{self.label(record)}不是优秀提案，无需取消。")
        told: list[str] = []

        async def extra(session: AsyncSession, fresh: Record) -> None:
            if not on:
                await session.exec(
                    delete(ExcellentProposal).where(col(ExcellentProposal.record_id) == fresh.id)
                )
                return
            session.add(
                ExcellentProposal(
                    record_id=fresh.id or 0,
                    year=year,
                    reason=reason,
                    marked_by=by.identity.user_id,
                    marked_at=now,
                )
            )

        async def notify(session: AsyncSession, fresh: Record) -> None:
            if not on:
                return
            cosigners = await session.exec(
                select(Cosign.user_id).where(
                    Cosign.record_id == fresh.id, Cosign.status == CosignStatus.CONFIRMED.value
                )
            )
            text = texts.excellent_notice(self, fresh, year, reason)
            for user_id in dict.fromkeys([fresh.proposer_user_id, *cosigners.all()]):
                await self.tell(
                    session, user_id, text, key=f"excellent:{fresh.id}:{user_id}", record=fresh
                )
                told.append(user_id)

        why = f"：{reason}" if reason else ""
        record = await self.apply(
            record,
            Action.MARK_EXCELLENT,
            by,
            detail=f"评为{year}年度优秀提案{why}" if on else "取消优秀提案",
            timeline_action=None if on else "unexcellent",
            extra=extra,
            notify=notify,
        )
        return Outcome(record, *texts.excellent_reply(self, record, year, len(told), on))

    async def _marked(self, record_id: int) -> ExcellentProposal | None:
        async with self.db.session() as session:
            rows = await session.exec(
                select(ExcellentProposal).where(ExcellentProposal.record_id == record_id)
            )
            return rows.first()

    async def excellent_list(self, year: int) -> str:
        async with self.db.session() as session:
            rows = (
                await session.exec(
                    select(ExcellentProposal, Record)
                    .join(Record, col(Record.id) == col(ExcellentProposal.record_id))
                    .where(ExcellentProposal.year == year)
                    .order_by(col(Record.year), col(Record.number))
                )
            ).all()
        lines = [
            f"· {self.number(r)}{title_of(r)}（{r.proposer_name}）"
            + (f"：{e.reason}" if e.reason else "")
            for e, r in rows
        ]
        return texts.excellent_list_text(year, lines)
