"""Handling (办理): 交办 (units and the answer's due date; again in 重新办理, or to adjust an
assignment), 进展 (progress notes; a 会办 unit's opinion goes to the lead unit), 答复 (the lead
unit's answer, A/B/C, which closes the round's assignments and opens the evaluation window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, delete, select

from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.models import (
    Answer,
    AnswerCategory,
    Assignment,
    AssignmentRole,
    Record,
    RecordStatus,
    Unit,
)
from bot.core.schedule.deadlines import (
    MAX_MONTHS_WITHOUT_REASON,
    DeadlineError,
    default_answer_due,
    evaluation_due,
    needs_reason,
    parse_deadline,
)
from bot.core.workflow import notices
from bot.core.workflow.common import Outcome, Requester, fmt_date, missing_holidays_note
from bot.core.workflow.parsing import ASSIGN_USAGE, AssignSpec
from bot.core.workflow.proposals import practice_texts, texts
from bot.core.workflow.proposals.base import ProposalSteps
from bot.core.workflow.proposals.read_model import lead_part
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

S = RecordStatus
ASSISTING = AssignmentRole.ASSISTING
#: (unit, its part) of one assignment, lead first.
Roles = list[tuple[Unit, AssignmentRole]]


class HandlingSteps(ProposalSteps):
    # ================================================================ 交办

    async def assign(self, ref: str, by: Requester, spec: AssignSpec) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ASSIGN)
        status = RecordStatus(record.status)
        lead, assisting = await self._units_for(record, spec, status)
        roles: Roles = [(lead, AssignmentRole.LEAD), *((u, ASSISTING) for u in assisting)]
        due, described, missing = self._answer_due(record, spec, lead)
        reassign = status in (S.ASSIGNED, S.IN_PROGRESS)
        round_ = record.round
        now = self.clock.now()

        async def extra(session: AsyncSession, fresh: Record) -> None:
            if reassign:
                await session.exec(
                    delete(Assignment).where(
                        col(Assignment.record_id) == fresh.id, col(Assignment.round) == round_
                    )
                )
            session.add_all(_assignments(fresh, roles, due, spec.reason, now, by))

        flag = ("（重新办理）" if round_ > 1 else "") + ("（交办调整）" if reassign else "")
        no_contact: list[str] = []

        async def notify(session: AsyncSession, fresh: Record) -> None:
            no_contact.extend(
                await self._queue_assignment(session, fresh, roles, due, flag=flag, at=now)
            )

        record = await self.apply(
            record,
            Action.ASSIGN,
            by,
            detail=_assign_detail(notices.units_text(lead, assisting), due, spec.reason, round_),
            timeline_action="reassign" if reassign else None,
            extra=extra,
            notify=notify,
        )
        reply = texts.assigned_reply(
            self,
            record,
            flag=flag,
            lead=lead,
            assisting=assisting,
            due=due,
            described=described,
            reason=spec.reason,
            no_contact=no_contact,
        )
        return Outcome(record, *reply, [missing_holidays_note(missing)] if missing else [])

    def _answer_due(
        self, record: Record, spec: AssignSpec, lead: Unit
    ) -> tuple[date, str, list[int]]:
        """(the answer's due date, how to say it, years whose holidays are missing)."""
        today = self.today()
        if spec.deadline:
            try:
                parsed = parse_deadline(spec.deadline, start=today, calendar=self.calendar)
            except DeadlineError as exc:
                raise InvalidInput(f"时限“{spec.deadline}”有误：{exc.message}") from None
            due, described, missing = parsed.due, parsed.description, list(parsed.missing_years)
        else:
            due = default_answer_due(today, self.answer_months, self.calendar)
            described = f"{fmt_date(due)}（交办后{self.answer_months}个月）"
            missing = list(self.calendar.missing_years(today, due))
        if needs_reason(today, due) and not spec.reason:
            raise InvalidInput(
                f"答复时限{described}超过{MAX_MONTHS_WITHOUT_REASON}个月，须写明延长理由。"
                f"请在时限后加“理由 ……”，例如：交办 {self.ref(record)} 主办 {lead.name} "
                f"时限 {spec.deadline or '8个月'} 理由 涉及跨年度预算安排"
            )
        return due, described, missing

    async def _queue_assignment(
        self,
        session: AsyncSession,
        record: Record,
        roles: Roles,
        due: date,
        *,
        flag: str,
        at: datetime,
    ) -> list[str]:
        """Queue the 交办 notices in the step's transaction: one private notice per contact of
        each unit, ONE short message per unit group @-ing them all (nothing of a private
        record: notices.py), then the member's. Returns the units that have no contact."""
        key = f"assign:{record.id}:r{record.round}:{at.isoformat()}"
        tag, heading = f"【提案交办{flag}】", texts.heading(self, record)
        lead = roles[0][0]
        assisting = [unit for unit, _ in roles[1:]]
        private = [
            (
                unit.id or 0,
                tag
                + notices.assignment_notice(
                    record,
                    heading=heading,
                    ref=self.ref(record),
                    unit=unit,
                    role=role,
                    lead=lead,
                    assisting=assisting,
                    due=due,
                ),
            )
            for unit, role in roles
        ]
        delivery = await self.notifier.to_units(
            private,
            notices.assignment_group_text(
                record, tag=tag, heading=heading, lead=lead, assisting=assisting, due=due
            ),
            purpose="assignment",
            dedup_key=f"{key}:units",
            record_id=record.id,
            session=session,
        )
        text = texts.assigned_notice(heading, flag, lead, assisting, due)
        await self.tell(session, record.proposer_user_id, text, key=key, record=record)
        return [u.name for u, _ in roles if u.id not in delivery.reached]

    async def _units_for(
        self, record: Record, spec: AssignSpec, status: RecordStatus
    ) -> tuple[Unit, list[Unit]]:
        if spec.lead is None:
            if status is S.REHANDLING and not spec.assisting:
                previous = await self.parts(record.id or 0, record.round - 1)
                leads = [p.unit for p in previous if p.is_lead]
                if leads:
                    return leads[0], [p.unit for p in previous if not p.is_lead]
            raise InvalidInput(f"请写明主办单位。用法：{ASSIGN_USAGE}")
        lead = await self.units.resolve(spec.lead)
        assisting: list[Unit] = []
        for name in spec.assisting:
            unit = await self.units.resolve(name)
            if unit.id == lead.id:
                raise InvalidInput(f"{unit.name}已是主办单位，不能同时会办。请从“会办”中去掉它。")
            if all(u.id != unit.id for u in assisting):
                assisting.append(unit)
        return lead, assisting

    # ================================================================ 进展

    async def progress(self, ref: str, by: Requester, content: str) -> Outcome:
        record = await self.resolve(ref)
        content = content.strip()
        if not content:
            raise InvalidInput(
                f"请写上进展内容。例如：进展 {self.ref(record)} 已到现场调研，正在制定方案"
            )
        await self.precheck(record, Action.PROGRESS)
        parts = await self.parts(record.id or 0, record.round)
        part = self.own_part(record, by, parts, Action.PROGRESS)
        if part is not None and not part.is_lead:
            lead = lead_part(parts)
            return await self._assisting_opinion(
                record, by, part.unit, lead.unit if lead else None, content
            )
        detail = f"{part.unit.name}：{content}" if part is not None else content
        record = await self.apply(record, Action.PROGRESS, by, detail=detail)
        return Outcome(record, *texts.progress_reply(self, record))

    async def _assisting_opinion(
        self, record: Record, by: Requester, unit: Unit, lead: Unit | None, content: str
    ) -> Outcome:
        """A 会办 unit's 进展: an internal note, forwarded to the lead unit's contacts."""

        async def notify(session: AsyncSession, fresh: Record) -> None:
            if lead is None:
                return
            heading = texts.heading(self, fresh)
            await self.notifier.to_unit(
                lead.id or 0,
                texts.assisting_opinion(unit, heading, content),
                group_text=notices.assisting_opinion_group_text(fresh, heading=heading, unit=unit),
                purpose="workflow",
                dedup_key=None,
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(
            record,
            Action.PROGRESS,
            by,
            detail=f"{unit.name}（会办）意见：{content}",
            public=False,
            timeline_action="assist_opinion",
            notify=notify,
        )
        return Outcome(record, *texts.assisting_opinion_reply(self, record, unit, lead))

    # ================================================================ 答复

    async def answer(
        self, ref: str, by: Requester, answer_category: AnswerCategory, content: str
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ANSWER)
        lead = await self._answering_unit(record, by)
        content = content.strip()
        today = self.today()
        due = evaluation_due(today, self.calendar)
        missing = self.calendar.missing_years(today, due)
        now = self.clock.now()
        round_ = record.round
        consulted = await self.has_consultation(record.id or 0, round_)
        flag = "" if consulted else practice_texts.NO_CONTACT_FLAG

        async def extra(session: AsyncSession, fresh: Record) -> None:
            session.add(
                Answer(
                    record_id=fresh.id or 0,
                    round=round_,
                    unit_id=lead.id,
                    category=answer_category.value,
                    content=content,
                    answered_at=now,
                    answered_by=by.identity.user_id,
                    evaluation_due=due,
                )
            )
            await _close_round(session, fresh.id or 0, round_, now)

        detail = f"{lead.name}答复：{answer_category.label}" + (f"。{content}" if content else "")
        detail += f"（委员评价期限：{fmt_date(due)}）"

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                texts.answer_notice(self, fresh, lead, answer_category, content, due)
                + practice_texts.consulted_question(self.ref(fresh)),
                purpose="answer",
                dedup_key=f"answer:{fresh.id}:r{round_}",
                record_id=fresh.id,
                session=session,
            )
            if not by.is_staff:  # staff answering are told in the reply
                await self.notifier.to_staff_groups(
                    texts.answer_staff_notice(self, fresh, lead, answer_category, due) + flag,
                    purpose="workflow",
                    dedup_key=f"answer-staff:{fresh.id}:r{round_}",
                    record_id=fresh.id,
                    session=session,
                )

        record = await self.apply(
            record, Action.ANSWER, by, detail=detail, extra=extra, notify=notify
        )
        notes = [missing_holidays_note(missing)] if missing and by.is_staff else []
        if flag:  # accepted, but flagged (to staff also in their group when a unit answered)
            notes.append(flag)
        return Outcome(record, *texts.answered_reply(self, record, answer_category, due), notes)

    async def _answering_unit(self, record: Record, by: Requester) -> Unit:
        """The round's lead unit, which answers; a 会办 unit's contact is told to use 进展."""
        parts = await self.parts(record.id or 0, record.round)
        lead = lead_part(parts)
        if lead is None:
            raise InvalidInput(
                f"{self.label(record)}本轮还没有主办单位。请先发送：交办 {self.ref(record)} 主办 单位名称"
            )
        part = self.own_part(record, by, parts, Action.ANSWER)
        if part is not None and not part.is_lead:
            raise PermissionDenied(
                f"{part.unit.name}是{self.label(record)}的会办单位，答复由主办单位{lead.unit.name}提交。"
                f"会办意见请发送：进展 {self.ref(record)} 意见内容"
            )
        return lead.unit


def _assignments(
    record: Record, roles: Roles, due: date, reason: str, at: datetime, by: Requester
) -> list[Assignment]:
    """The round's assignment rows, one per unit."""
    return [
        Assignment(
            record_id=record.id or 0,
            round=record.round,
            unit_id=unit.id or 0,
            role=role,
            due_date=due,
            deadline_reason=reason,
            assigned_at=at,
            assigned_by=by.identity.user_id,
        )
        for unit, role in roles
    ]


def _assign_detail(units: str, due: date, reason: str | None, round_: int) -> str:
    """The 交办 timeline entry."""
    detail = f"{units}；答复时限：{fmt_date(due)}"
    if reason:
        detail += f"；时限理由：{reason}"
    if round_ > 1:
        detail += f"（第{round_}轮，重新办理）"
    return detail


async def _close_round(session: AsyncSession, record_id: int, round_: int, now: datetime) -> None:
    """The answer closes the round's assignments (lead and assisting): reminders stop."""
    rows = await session.exec(
        select(Assignment).where(Assignment.record_id == record_id, Assignment.round == round_)
    )
    for assignment in rows.all():
        assignment.answered_at = now
        session.add(assignment)
