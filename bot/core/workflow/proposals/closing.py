"""Closing (办结): 评价 (the lead proposer, once per round; 不满意 starts 重新办理 once), 办结
(after the evaluation, or once the evaluation window is over), and 重点 (key proposals, 督办)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import Evaluation, EvaluationResult, Record, RecordStatus
from bot.core.workflow import states
from bot.core.workflow.common import Outcome, Requester, fmt_date
from bot.core.workflow.notices import proposer_shown
from bot.core.workflow.proposals import practice_texts, texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

S = RecordStatus


class ClosingSteps(ProposalSteps):
    # ================================================================ 评价

    async def evaluate(
        self,
        ref: str,
        by: Requester,
        result: EvaluationResult,
        opinion: str,
        consulted: bool | None = None,
    ) -> Outcome:
        """``consulted``: the proposer's 已沟通 (True) / 未沟通 (False), when said."""
        record = await self._evaluable(ref, by)
        opinion = opinion.strip()
        round_ = record.round
        satisfied = result is not EvaluationResult.UNSATISFIED
        target = states.evaluation_target(satisfied, round_)
        rehandle = target is S.REHANDLING
        now = self.clock.now()

        async def extra(session: AsyncSession, fresh: Record) -> None:
            evaluation = Evaluation(
                record_id=fresh.id or 0,
                round=round_,
                result=result.value,
                opinion=opinion,
                user_id=by.identity.user_id,
                evaluated_at=now,
                consulted=consulted,
            )
            await _add_once(session, evaluation)

        def mutate(r: Record) -> None:
            if rehandle:
                r.round = round_ + 1

        said = practice_texts.consulted_said(consulted)
        detail = _evaluation_detail(result, said, opinion, round_ + 1 if rehandle else None)
        staff_text, reply = texts.evaluation_texts(self, record, result, opinion, rehandle)

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_staff_groups(
                staff_text + said,
                purpose="workflow",
                dedup_key=f"evaluate:{fresh.id}:r{round_}",
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(
            record,
            Action.EVALUATE,
            by,
            detail=detail,
            to_status=target,
            mutate=mutate,
            extra=extra,
            notify=notify,
        )
        return Outcome(record, reply, f"{self.number(record)}：{result.label}")

    async def _evaluable(self, ref: str, by: Requester) -> Record:
        """The record the lead proposer may evaluate now."""
        record = await self.resolve(ref)
        if by.identity.user_id != record.proposer_user_id:
            raise PermissionDenied(
                f"只有{self.label(record)}的领衔提案人{proposer_shown(record)}可以评价答复。"
                "联名委员的意见可以请领衔提案人一并反映。"
            )
        await self.precheck(record, Action.EVALUATE)
        return record

    # ================================================================ 办结

    async def conclude(self, ref: str, by: Requester) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.CONCLUDE)
        detail = await self._conclusion_detail(record)

        notify = self.notify_proposer(lambda r: texts.concluded_notice(self, r), "conclude")

        record = await self.apply(record, Action.CONCLUDE, by, detail=detail, notify=notify)
        return Outcome(record, *texts.concluded_reply(self, record))

    async def _conclusion_detail(self, record: Record) -> str:
        """The 办结 timeline entry; refused while the proposer may still evaluate the answer."""
        if record.status == S.ANSWERED:
            answer = await self.latest_answer(record.id or 0, record.round)
            due = answer.evaluation_due if answer else None
            if due is not None and self.today() <= due:
                raise InvalidInput(
                    f"{self.label(record)}已答复，委员评价期限到{fmt_date(due)}，提案人还没有评价。"
                    f"请等提案人评价后再办结；评价期限过后（{fmt_date(due)}之后）可直接办结。"
                )
            return "提案人未在评价期限内评价，办结" + (
                f"（评价期限：{fmt_date(due)}）" if due else ""
            )
        evaluation = await self.latest_evaluation(record.id or 0)
        if evaluation is not None:
            return f"办结（提案人评价：{EvaluationResult(evaluation.result).label}）"
        return "办结"

    # ================================================================ 重点

    async def mark_key(self, ref: str, by: Requester, *, on: bool = True) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.MARK_KEY)
        n = self.ref(record)
        if record.is_key == on:
            if on:
                raise InvalidInput(f"{self.label(record)}已经是重点提案。取消请发送：重点 {n} 取消")
            raise InvalidInput(f"{self.label(record)}不是重点提案，无需取消。设为重点：重点 {n}")

        def mutate(r: Record) -> None:
            r.is_key = on

        notify = self.notify_proposer(lambda r: texts.key_notice(self, r), "key")

        record = await self.apply(
            record,
            Action.MARK_KEY,
            by,
            detail="列为重点提案（督办）" if on else "取消重点提案",
            timeline_action="key" if on else "unkey",
            mutate=mutate,
            notify=notify if on else None,
        )
        return Outcome(record, *texts.key_reply(self, record, on))


def _evaluation_detail(
    result: EvaluationResult, said: str, opinion: str, next_round: int | None
) -> str:
    """The 评价 timeline entry (``next_round``: the round 重新办理 starts, if it does)."""
    detail = f"提案人评价：{result.label}{said}" + (f"。意见：{opinion}" if opinion else "")
    return detail + (f"。转为重新办理（第{next_round}轮）" if next_round else "")


async def _add_once(session: AsyncSession, evaluation: Evaluation) -> None:
    """One evaluation per round (checked inside the step's transaction)."""
    done = await session.exec(
        select(Evaluation.id).where(
            Evaluation.record_id == evaluation.record_id, Evaluation.round == evaluation.round
        )
    )
    if done.first() is not None:
        raise InvalidInput("本轮答复已经评价过了，每轮只能评价一次。")
    session.add(evaluation)
