"""回头看: what became of B answers (正在解决或列入计划). The yearly job (a reminder stage,
bot/core/schedule/reminders/lookbacks.py) asks each unit, one-to-one, about last year's B
answers; ``回头看 17 已解决|仍在办理|未落实 内容`` (the answering unit's contacts, or staff)
records the outcome, the proposer is told one-to-one and staff see it (``回头看 列表``).
``重新办理 17 理由`` (staff) reopens a C answer whose conditions have changed: a new round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import AnswerCategory, Lookback, LookbackOutcome, Record, Unit
from bot.core.workflow.common import Outcome, Requester, title_of
from bot.core.workflow.proposals import practice_texts as texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

B, C = AnswerCategory.B, AnswerCategory.C


class LookbackSteps(ProposalSteps):
    async def look_back(
        self, ref: str, by: Requester, outcome: LookbackOutcome, content: str
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.LOOK_BACK)
        answer = await self.latest_answer(record.id or 0)
        if answer is None or answer.category != B.value:
            category = answer.category if answer is not None else "无"
            raise InvalidInput(
                f"{self.label(record)}的答复是{category}类，回头看只针对B类（正在解决或列入计划）答复。"
                + (
                    f"C类答复条件变化的，机关可发送：重新办理 {self.ref(record)} 理由"
                    if answer
                    else ""
                )
            )
        unit = await self.units.get(answer.unit_id) if answer.unit_id is not None else None
        if not by.is_staff and (unit is None or unit.id not in by.identity.unit_ids):
            raise PermissionDenied(
                f"{self.label(record)}由{unit.name if unit else '主办单位'}答复，"
                "只有答复的单位可以提交回头看情况。"
            )
        year, now, answer_id = self.records.current_year(), self.clock.now(), answer.id
        unit_name = unit.name if unit is not None else "承办单位"

        async def extra(session: AsyncSession, fresh: Record) -> None:
            found = (
                await session.exec(
                    select(Lookback).where(Lookback.record_id == fresh.id, Lookback.year == year)
                )
            ).first()
            row = found or Lookback(record_id=fresh.id or 0, year=year, answer_id=answer_id)
            row.unit_id = unit.id if unit is not None else None
            row.outcome, row.content = outcome.value, content
            row.answered_by, row.answered_at = by.identity.user_id, now
            session.add(row)

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.tell(
                session,
                fresh.proposer_user_id,
                texts.lookback_notice(self, fresh, unit_name, outcome, content),
                key=f"lookback:{fresh.id}:{year}:{now.isoformat()}",
                record=fresh,
            )
            if not by.is_staff:
                staff_text = texts.lookback_staff_notice(self, fresh, unit_name, outcome)
                await self.tell_staff(session, staff_text, fresh)

        record = await self.apply(
            record,
            Action.LOOK_BACK,
            by,
            detail=f"回头看（{unit_name}）：{outcome.label}。{content}",
            extra=extra,
            notify=notify,
        )
        return Outcome(record, *texts.lookback_reply(self, record, outcome))

    async def lookback_list(self, year: int) -> str:
        """回头看 列表 [2026]: the year's look-backs, unanswered first."""
        query = (
            select(Lookback, Record, Unit.name)
            .join(Record, col(Record.id) == col(Lookback.record_id))
            .outerjoin(Unit, col(Unit.id) == col(Lookback.unit_id))
            .where(Lookback.year == year)
            .order_by(col(Lookback.outcome).is_not(None), col(Record.year), col(Record.number))
        )
        async with self.db.session() as session:
            rows = (await session.exec(query)).all()  # type: ignore[call-overload]
        lines = []
        for lookback, record, unit in rows:
            state = LookbackOutcome(lookback.outcome).label if lookback.outcome else "未回复"
            lines.append(f"· {self.number(record)}{title_of(record)}（{unit or '—'}）：{state}")
        open_count = sum(1 for lookback, _, _ in rows if not lookback.outcome)
        return texts.lookback_list_text(year, lines, open_count)

    async def reopen(self, ref: str, by: Requester, reason: str) -> Outcome:
        """重新办理 17 理由: a C answer whose conditions have changed starts a new round."""
        record = await self.resolve(ref)
        reason = reason.strip().rstrip("。")
        if not reason:
            raise InvalidInput(
                f"请写明重新办理的理由（条件发生了什么变化）。例如：重新办理 {self.ref(record)} "
                "明年预算已安排专项资金"
            )
        await self.precheck(record, Action.REOPEN)
        answer = await self.latest_answer(record.id or 0)
        if answer is None or answer.category != C.value:
            raise InvalidInput(
                f"{self.label(record)}的答复不是C类。重新办理只用于C类（因条件限制留作参考）"
                "答复在条件变化后重启；B类答复请用：回头看 编号 已解决|仍在办理|未落实 内容"
            )
        round_ = record.round

        def mutate(r: Record) -> None:
            r.round = round_ + 1

        notify = self.notify_proposer(
            lambda r: texts.reopen_notice(self, r, reason), f"reopen:r{round_ + 1}"
        )
        record = await self.apply(
            record,
            Action.REOPEN,
            by,
            detail=f"C类答复条件已变化，重新办理（第{round_ + 1}轮）：{reason}",
            mutate=mutate,
            notify=notify,
        )
        return Outcome(record, *texts.reopen_reply(self, record))
