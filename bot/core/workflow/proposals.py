"""Handling proposals (提案): review, assignment with deadlines, answers, evaluation, conclusion.

Every step goes through :meth:`RecordFlow.apply`: the state checked under a row lock, the change,
its timeline entry and the messages it causes (members and units told through the notifier, i.e.
the outbox) in one transaction, so a crash loses neither the change nor its notice alone. What
unit groups may read: bot/core/workflow/notices.py.

Decisions (the brief is silent on them):

- 会办 (assisting) units record their opinion with ``进展``: it is kept as an internal timeline
  note (members do not see it) and forwarded to the lead unit's contacts. The answer (``答复``)
  is the lead unit's only.
- The answer of a round closes that round's assignments (``Assignment.answered_at`` set for the
  lead and the assisting units), so reminders stop for all of them.
- ``办结`` needs the member's evaluation, or the evaluation window (15 working days) to be over.
- A proposal is re-handled once: a 不满意 in the second round is recorded and the staff group is
  told, but the proposal goes to 已评价 (staff then 办结); see ``states.MAX_ROUNDS``.
- In 重新办理, ``交办 17`` without units hands the proposal to the previous round's units again.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.delivery.notify import Notifier
from bot.core.errors import InvalidInput, NotFound, PermissionDenied
from bot.core.models import (
    Answer,
    AnswerCategory,
    Assignment,
    AssignmentRole,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    Record,
    RecordStatus,
    Unit,
)
from bot.core.people.units import UnitService
from bot.core.records.kinds import RecordKind
from bot.core.records.service import RecordService, write_timeline
from bot.core.schedule.deadlines import (
    MAX_MONTHS_WITHOUT_REASON,
    DeadlineError,
    default_answer_due,
    evaluation_due,
    needs_reason,
    parse_deadline,
)
from bot.core.schedule.workdays import WorkCalendar
from bot.core.workflow import notices, states
from bot.core.workflow.common import (
    Outcome,
    RecordFlow,
    Requester,
    fmt_date,
    missing_holidays_note,
    title_of,
)
from bot.core.workflow.notices import is_private, shown_title
from bot.core.workflow.parsing import ASSIGN_USAGE, AssignSpec
from bot.core.workflow.states import Action

S = RecordStatus


@dataclass(frozen=True)
class UnitPart:
    """A unit's part in the current round."""

    assignment: Assignment
    unit: Unit

    @property
    def is_lead(self) -> bool:
        return self.assignment.role == AssignmentRole.LEAD


@dataclass
class Handling:
    """The current round of a proposal: units, due date, answer and evaluation (for views)."""

    round: int
    lead: Unit | None = None
    assisting: list[Unit] = field(default_factory=list)
    due_date: date | None = None
    answer: Answer | None = None
    evaluation: Evaluation | None = None


class ProposalWorkflow(RecordFlow):
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

    # ================================================================ 立案

    async def accept(self, ref: str, by: Requester, category: str | None = None) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ACCEPT)
        chosen = self._category(category) if category else None

        def mutate(r: Record) -> None:
            if chosen:
                r.category = chosen

        shown = chosen or record.category or "未定"

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}已立案（类别：{shown}），"
                "接下来将交承办单位办理，办理进展会再告诉您。",
                purpose="workflow",
                dedup_key=f"accept:{fresh.id}",
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(
            record, Action.ACCEPT, by, detail=f"类别：{shown}", mutate=mutate, notify=notify
        )
        return Outcome(
            record,
            f"已立案：{self.label(record)}{title_of(record)}，类别：{shown}。"
            f"已通知提案人{record.proposer_name}。下一步：交办 {self.ref(record)} 主办 单位名称",
            f"{self.number(record)}：已立案（{shown}）",
        )

    def _category(self, text: str) -> str:
        wanted = "".join(text.split())
        if not self.categories or wanted in self.categories:
            return wanted
        raise InvalidInput(
            f"没有“{wanted}”这个类别。可用的类别：{'、'.join(self.categories)}。"
            "例如：立案 17 社会建设（不写类别则保留系统猜测的类别）"
        )

    # ================================================================ 不立案

    async def reject(
        self, ref: str, by: Requester, reason: str, *, to_opinion: bool = False
    ) -> Outcome:
        record = await self.resolve(ref)
        if not reason.strip():
            raise InvalidInput(
                f"不立案需要写明理由，提案人会收到这个理由。例如：不立案 {self.ref(record)} "
                "不属于政协提案受理范围 转社情民意"
            )
        await self.precheck(record, Action.REJECT)
        reason = reason.strip()
        converted: list[Record] = []

        async def extra(session: AsyncSession, fresh: Record) -> None:
            if to_opinion:
                opinion = self._opinion_from(fresh)
                await session.run_sync(
                    lambda sync: self.records.insert_numbered(
                        sync,
                        opinion,
                        actor=by.actor,
                        detail=f"由{self.label(fresh)}（不予立案）转为社情民意信息",
                    )
                )
                fresh.linked_record_id = opinion.id
                converted.append(opinion)

        def detail_of() -> str:
            opinion_label = self.label(converted[0]) if converted else ""
            return f"理由：{reason}" + (f"；已转为{opinion_label}" if converted else "")

        async def notify(session: AsyncSession, fresh: Record) -> None:
            told = (
                f"已转为{self.label(converted[0])}，将按社情民意信息处理，"
                f"可发送“查民意 {self.ref(converted[0])}”查看。"
                if converted
                else ""
            )
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}经审查不予立案。理由：{reason.rstrip('。')}。"
                f"{told}如有疑问，请联系政协机关。",
                purpose="workflow",
                dedup_key=f"reject:{fresh.id}",
                record_id=fresh.id,
                session=session,
            )

        # the converted opinion lead is numbered inside the step's transaction
        numbering = self.records.numbering(RecordKind.OPINION) if to_opinion else nullcontext()
        async with numbering:
            record = await self.apply(
                record, Action.REJECT, by, detail=detail_of, extra=extra, notify=notify
            )
        opinion = converted[0] if converted else None
        opinion_label = self.label(opinion) if opinion else ""
        text = (
            f"{self.label(record)}{title_of(record)}不予立案，理由：{reason.rstrip('。')}。"
            + (
                f"已转为{opinion_label}（采用 {self.ref(opinion)} / 未采用 {self.ref(opinion)}）。"
                if opinion
                else ""
            )
            + f"已一对一告知提案人{record.proposer_name}。"
        )
        return Outcome(record, text, f"{self.number(record)}：不予立案")

    def _opinion_from(self, record: Record) -> Record:
        """The opinion lead (社情民意信息) a rejected proposal becomes (不立案 … 转社情民意)."""
        return Record(
            kind=RecordKind.OPINION,
            year=0,
            number=0,
            platform=record.platform,
            proposer_user_id=record.proposer_user_id,
            proposer_name=record.proposer_name,
            proposer_sector=record.proposer_sector,
            source_kind=record.source_kind,
            source_group_id=record.source_group_id,
            title=record.title,
            body=record.body,
            content_hash=record.content_hash,
            has_suggestion=record.has_suggestion,
            category=record.category,
            keywords=record.keywords,
            attachments=list(record.attachments),
            linked_record_id=record.id,
        )

    # ================================================================ 并案

    async def merge(self, ref: str, into: str, by: Requester) -> Outcome:
        record = await self.resolve(ref)
        target = await self.resolve(into)
        if record.id == target.id:
            raise InvalidInput("不能把提案并入它自己。用法：并案 17 到 9")
        if target.status == S.MERGED and target.merged_into_id is not None:
            final = await self.records.get(target.merged_into_id)
            raise InvalidInput(
                f"{self.label(target)}已并入{self.label(final)}，"
                f"请改为：并案 {self.ref(record)} 到 {self.ref(final)}"
            )
        if RecordStatus(target.status) not in states.MERGE_TARGET_STATES:
            raise InvalidInput(
                f"{self.label(target)}当前状态是“{RecordStatus(target.status).label}”，"
                "不能再并入其他提案。请选一件尚未答复的提案。"
            )
        await self.precheck(record, Action.MERGE)
        carried: list[str] = []
        # A private submission's title is not shown to those who may not read it: the readers
        # of the other record's timeline, the other proposer.
        source_title = shown_title(record, title_of, to_others=True)
        target_title = shown_title(target, title_of, to_others=not is_private(record))

        async def extra(session: AsyncSession, fresh: Record) -> None:
            fresh.merged_into_id = target.id
            carried.extend(await self._carry_cosigners(session, fresh, target))
            write_timeline(
                session,
                target,
                action="merged_in",
                actor=by.actor,
                at=self.clock.now(),
                detail=f"{self.label(fresh)}（{fresh.proposer_name}）{source_title}并入本案"
                + (f"；联名人增加：{'、'.join(carried)}" if carried else ""),
            )

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}与{self.label(target)}{title_of(target)}"
                f"内容相近，已并入第{self.ref(target)}号一并办理，您已列为第{self.ref(target)}号的"
                f"联名人。办理进展请发送：查提案 {self.ref(target)}",
                purpose="workflow",
                dedup_key=f"merge:{fresh.id}",
                record_id=fresh.id,
                session=session,
            )
            if target.proposer_user_id != fresh.proposer_user_id:
                await self.notifier.to_member(
                    target.proposer_user_id,
                    f"{self.label(fresh)}（{fresh.proposer_name}）{source_title}已并入您的"
                    f"{self.label(target)}{title_of(target)}一并办理"
                    + (f"，联名人增加：{'、'.join(carried)}。" if carried else "。"),
                    purpose="workflow",
                    dedup_key=f"merged_in:{fresh.id}",
                    record_id=target.id,
                    session=session,
                )

        record = await self.apply(
            record,
            Action.MERGE,
            by,
            detail=f"并入{self.label(target)}{target_title}",
            extra=extra,
            notify=notify,
        )
        added = f"联名人增加：{'、'.join(carried)}" if carried else "联名人无变化"
        return Outcome(
            record,
            f"已将{self.label(record)}{title_of(record)}并入{self.label(target)}，{added}。"
            f"已通知提案人。查第{self.ref(record)}号会指向第{self.ref(target)}号。",
            f"{self.number(record)}：已并入第{self.ref(target)}号（{added}）",
        )

    async def _carry_cosigners(
        self, session: AsyncSession, source: Record, target: Record
    ) -> list[str]:
        """Make `source`'s proposer and confirmed co-signers co-signers of `target`."""
        now = self.clock.now()
        people: list[tuple[str, str]] = [(source.proposer_user_id, source.proposer_name)]
        rows = await session.exec(
            select(Cosign).where(
                Cosign.record_id == source.id, Cosign.status == CosignStatus.CONFIRMED
            )
        )
        people += [(c.user_id, c.name) for c in rows.all()]
        existing = {
            c.user_id: c
            for c in (await session.exec(select(Cosign).where(Cosign.record_id == target.id))).all()
        }
        added: list[str] = []
        for user_id, name in dict(people).items():
            if user_id == target.proposer_user_id:
                continue
            cosign = existing.get(user_id)
            if cosign is not None:
                if cosign.status == CosignStatus.CONFIRMED:
                    continue
                cosign.status = CosignStatus.CONFIRMED
                cosign.confirmed_at = now
            else:
                cosign = Cosign(
                    record_id=target.id or 0,
                    platform=source.platform,
                    user_id=user_id,
                    name=name[:64],
                    status=CosignStatus.CONFIRMED,
                    invited=False,
                    created_at=now,
                    confirmed_at=now,
                )
            session.add(cosign)
            added.append(name or user_id)
        return added

    # ================================================================ 交办

    async def assign(self, ref: str, by: Requester, spec: AssignSpec) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ASSIGN)
        status = RecordStatus(record.status)
        lead, assisting = await self._units_for(record, spec, status)
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
            for unit, role in [(lead, AssignmentRole.LEAD)] + [
                (u, AssignmentRole.ASSISTING) for u in assisting
            ]:
                session.add(
                    Assignment(
                        record_id=fresh.id or 0,
                        round=round_,
                        unit_id=unit.id or 0,
                        role=role,
                        due_date=due,
                        deadline_reason=spec.reason,
                        assigned_at=now,
                        assigned_by=by.identity.user_id,
                    )
                )

        units_text = notices.units_text(lead, assisting)
        detail = f"{units_text}；答复时限：{fmt_date(due)}"
        if spec.reason:
            detail += f"；时限理由：{spec.reason}"
        if round_ > 1:
            detail += f"（第{round_}轮，重新办理）"
        again = "（重新办理）" if round_ > 1 else ""
        changed = "（交办调整）" if reassign else ""
        no_contact: list[str] = []

        async def notify(session: AsyncSession, fresh: Record) -> None:
            no_contact.extend(
                await self._queue_assignment(
                    session, fresh, lead, assisting, due, flag=again + changed, at=now
                )
            )

        record = await self.apply(
            record,
            Action.ASSIGN,
            by,
            detail=detail,
            timeline_action="reassign" if reassign else None,
            extra=extra,
            notify=notify,
        )
        lines = [
            f"已交办{again}{changed}{self.label(record)}{title_of(record)}",
            units_text,
            f"答复时限：{described}" + (f"（理由：{spec.reason}）" if spec.reason else ""),
        ]
        if no_contact:
            names = "、".join(no_contact)
            lines.append(
                f"{names}还没有联系人，交办通知未能发出。"
                f"请发送：单位 联系人 {no_contact[0]} @联系人"
            )
        else:
            lines.append("已通知承办单位联系人和提案人。")
        notes = [missing_holidays_note(missing)] if missing else []
        line = f"{self.number(record)}：已交办{again}（{units_text}；时限 {fmt_date(due)}）"
        return Outcome(record, "\n".join(lines), line, notes)

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
        lead: Unit,
        assisting: list[Unit],
        due: date,
        *,
        flag: str,
        at: datetime,
    ) -> list[str]:
        """Queue the 交办 notices in the step's transaction: one private notice per contact of
        each unit, ONE short message per unit group @-ing them all (nothing of a private
        record: notices.py), then the member's. Returns the units that have no contact."""
        round_ = record.round
        key = f"assign:{record.id}:r{round_}:{at.isoformat()}"
        tag, heading = f"【提案交办{flag}】", f"{self.label(record)}{title_of(record)}"
        roles = [(lead, AssignmentRole.LEAD)] + [(u, AssignmentRole.ASSISTING) for u in assisting]
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
        await self.notifier.to_member(
            record.proposer_user_id,
            f"您的{heading}已交办{flag}：{notices.units_text(lead, assisting)}，"
            f"答复时限{fmt_date(due)}。单位答复后会一对一告诉您，并请您评价。",
            purpose="workflow",
            dedup_key=key,
            record_id=record.id,
            session=session,
        )
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
        part = self._own_part(record, by, parts, Action.PROGRESS)
        if part is not None and not part.is_lead:
            lead = next((p.unit for p in parts if p.is_lead), None)
            assisting = part.unit

            async def notify(session: AsyncSession, fresh: Record) -> None:
                if lead is None:
                    return
                heading = f"{self.label(fresh)}{title_of(fresh)}"
                await self.notifier.to_unit(
                    lead.id or 0,
                    f"【会办意见】{assisting.name}对{heading}的会办意见：{content}",
                    group_text=notices.assisting_opinion_group_text(
                        fresh, heading=heading, unit=assisting
                    ),
                    purpose="workflow",
                    dedup_key=None,
                    record_id=fresh.id,
                    session=session,
                )

            record = await self.apply(
                record,
                Action.PROGRESS,
                by,
                detail=f"{part.unit.name}（会办）意见：{content}",
                public=False,
                timeline_action="assist_opinion",
                notify=notify,
            )
            return Outcome(
                record,
                f"已记录{part.unit.name}对{self.label(record)}的会办意见，并转给主办单位"
                f"{lead.name if lead else ''}。",
                f"{self.number(record)}：已记录会办意见",
            )
        detail = f"{part.unit.name}：{content}" if part is not None else content
        record = await self.apply(record, Action.PROGRESS, by, detail=detail)
        return Outcome(
            record,
            f"已记录{self.label(record)}的办理进展。提案人发送“查提案 {self.ref(record)}”可以看到。",
            f"{self.number(record)}：已记录进展",
        )

    def _own_part(
        self, record: Record, by: Requester, parts: list[UnitPart], action: Action
    ) -> UnitPart | None:
        """The asker's unit part; None for staff. Contacts of other units are refused."""
        if by.is_staff:
            return None
        mine = [p for p in parts if p.unit.id in by.identity.unit_ids]
        if not mine:
            handled = self._units_text(parts) or "尚未交办"
            raise PermissionDenied(
                f"{self.label(record)}没有交由您所在的单位办理（{handled}），"
                f"只有承办该件的单位可以提交“{action.label}”。如有疑问请联系政协机关。"
            )
        mine.sort(key=lambda p: not p.is_lead)
        return mine[0]

    @staticmethod
    def _units_text(parts: list[UnitPart]) -> str:
        lead = [p.unit.name for p in parts if p.is_lead]
        assisting = [p.unit.name for p in parts if not p.is_lead]
        text = f"主办：{lead[0]}" if lead else ""
        if assisting:
            text += f"；会办：{'、'.join(assisting)}"
        return text

    # ================================================================ 答复

    async def answer(
        self, ref: str, by: Requester, category: AnswerCategory, content: str
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.ANSWER)
        parts = await self.parts(record.id or 0, record.round)
        lead = next((p for p in parts if p.is_lead), None)
        if lead is None:
            raise InvalidInput(
                f"{self.label(record)}本轮还没有主办单位。请先发送：交办 {self.ref(record)} 主办 单位名称"
            )
        part = self._own_part(record, by, parts, Action.ANSWER)
        if part is not None and not part.is_lead:
            raise PermissionDenied(
                f"{part.unit.name}是{self.label(record)}的会办单位，答复由主办单位{lead.unit.name}提交。"
                f"会办意见请发送：进展 {self.ref(record)} 意见内容"
            )
        content = content.strip()
        today = self.today()
        due = evaluation_due(today, self.calendar)
        missing = self.calendar.missing_years(today, due)
        now = self.clock.now()
        round_ = record.round

        async def extra(session: AsyncSession, fresh: Record) -> None:
            session.add(
                Answer(
                    record_id=fresh.id or 0,
                    round=round_,
                    unit_id=lead.unit.id,
                    category=category.value,
                    content=content,
                    answered_at=now,
                    answered_by=by.identity.user_id,
                    evaluation_due=due,
                )
            )
            rows = await session.exec(
                select(Assignment).where(
                    Assignment.record_id == fresh.id, Assignment.round == round_
                )
            )
            for assignment in rows.all():
                assignment.answered_at = now
                session.add(assignment)

        detail = f"{lead.unit.name}答复：{category.label}"
        if content:
            detail += f"。{content}"
        detail += f"（委员评价期限：{fmt_date(due)}）"
        again = f"（第{round_}轮）" if round_ > 1 else ""

        async def notify(session: AsyncSession, fresh: Record) -> None:
            n = self.ref(fresh)
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}收到{lead.unit.name}的答复{again}：\n"
                f"答复类别：{category.label}\n"
                + (f"答复内容：{content}\n" if content else "")
                + f"请在{fmt_date(due)}前评价，发送：评价 {n} 满意 / 评价 {n} 基本满意 / "
                f"评价 {n} 不满意 您的意见",
                purpose="answer",
                dedup_key=f"answer:{fresh.id}:r{round_}",
                record_id=fresh.id,
                session=session,
            )
            if not by.is_staff:
                await self.notifier.to_staff_groups(
                    f"{lead.unit.name}已答复{self.label(fresh)}{title_of(fresh)}{again}："
                    f"{category.label}。委员评价期限{fmt_date(due)}。",
                    purpose="workflow",
                    dedup_key=f"answer-staff:{fresh.id}:r{round_}",
                    record_id=fresh.id,
                    session=session,
                )

        record = await self.apply(
            record, Action.ANSWER, by, detail=detail, extra=extra, notify=notify
        )
        notes = [missing_holidays_note(missing)] if missing and by.is_staff else []
        return Outcome(
            record,
            f"已记录{self.label(record)}的答复{again}：{category.label}。"
            f"已一对一通知提案人{record.proposer_name}，评价期限{fmt_date(due)}（15个工作日）。",
            f"{self.number(record)}：已答复（{category.value}类）",
            notes,
        )

    # ================================================================ 评价

    async def evaluate(
        self, ref: str, by: Requester, result: EvaluationResult, opinion: str
    ) -> Outcome:
        record = await self.resolve(ref)
        if by.identity.user_id != record.proposer_user_id:
            raise PermissionDenied(
                f"只有{self.label(record)}的领衔提案人{record.proposer_name}可以评价答复。"
                "联名委员的意见可以请领衔提案人一并反映。"
            )
        await self.precheck(record, Action.EVALUATE)
        opinion = opinion.strip()
        round_ = record.round
        satisfied = result is not EvaluationResult.UNSATISFIED
        target = states.evaluation_target(satisfied, round_)
        rehandle = target is S.REHANDLING
        now = self.clock.now()

        async def extra(session: AsyncSession, fresh: Record) -> None:
            done = await session.exec(
                select(Evaluation.id).where(
                    Evaluation.record_id == fresh.id, Evaluation.round == round_
                )
            )
            if done.first() is not None:
                raise InvalidInput("本轮答复已经评价过了，每轮只能评价一次。")
            session.add(
                Evaluation(
                    record_id=fresh.id or 0,
                    round=round_,
                    result=result.value,
                    opinion=opinion,
                    user_id=by.identity.user_id,
                    evaluated_at=now,
                )
            )

        def mutate(r: Record) -> None:
            if rehandle:
                r.round = round_ + 1

        detail = f"提案人评价：{result.label}" + (f"。意见：{opinion}" if opinion else "")
        if rehandle:
            detail += f"。转为重新办理（第{round_ + 1}轮）"
        staff_text, reply = self._evaluation_texts(record, result, opinion, rehandle)

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_staff_groups(
                staff_text,
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

    def _evaluation_texts(
        self, record: Record, result: EvaluationResult, opinion: str, rehandle: bool
    ) -> tuple[str, str]:
        """(what the staff group is told, the reply to the proposer) for an evaluation."""
        n = self.ref(record)
        round_ = record.round
        said = f"，意见：{opinion}" if opinion else ""
        if rehandle:
            staff_text = (
                f"【不满意】{record.proposer_name}对{self.label(record)}{title_of(record)}的答复"
                f"不满意{said}。已转为重新办理（第{round_ + 1}轮），请重新交办：交办 {n}"
                "（不写单位即交原单位），或 交办 "
                f"{n} 主办 单位名称 时限 …"
            )
            reply = (
                f"已记录您对{self.label(record)}的评价：不满意{said}。"
                "提案将重新办理，机关会重新交办，新的答复会再告诉您。"
            )
        elif result is EvaluationResult.UNSATISFIED:
            staff_text = (
                f"【不满意】{record.proposer_name}对{self.label(record)}{title_of(record)}"
                f"第{round_}轮答复仍不满意{said}。已重新办理过，请协调后办结：办结 {n}"
            )
            reply = (
                f"已记录您对{self.label(record)}的评价：不满意{said}。"
                "这件提案已经重新办理过一次，政协机关会与承办单位协调后办结。"
            )
        else:
            staff_text = (
                f"{record.proposer_name}对{self.label(record)}{title_of(record)}的答复评价为"
                f"“{result.label}”{said}。可以办结：办结 {n}"
            )
            reply = f"已记录您对{self.label(record)}的评价：{result.label}{said}。感谢您的履职！"
        return staff_text, reply

    # ================================================================ 办结

    async def conclude(self, ref: str, by: Requester) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.CONCLUDE)
        detail = "办结"
        if record.status == S.ANSWERED:
            answer = await self.latest_answer(record.id or 0, record.round)
            due = answer.evaluation_due if answer else None
            if due is not None and self.today() <= due:
                raise InvalidInput(
                    f"{self.label(record)}已答复，委员评价期限到{fmt_date(due)}，提案人还没有评价。"
                    f"请等提案人评价后再办结；评价期限过后（{fmt_date(due)}之后）可直接办结。"
                )
            detail = "提案人未在评价期限内评价，办结" + (
                f"（评价期限：{fmt_date(due)}）" if due else ""
            )
        else:
            evaluation = await self.latest_evaluation(record.id or 0)
            if evaluation is not None:
                detail = f"办结（提案人评价：{EvaluationResult(evaluation.result).label}）"

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}已办结。感谢您的履职！",
                purpose="workflow",
                dedup_key=f"conclude:{fresh.id}",
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(record, Action.CONCLUDE, by, detail=detail, notify=notify)
        return Outcome(
            record,
            f"已办结{self.label(record)}{title_of(record)}，已通知提案人{record.proposer_name}。",
            f"{self.number(record)}：已办结",
        )

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

        async def notify(session: AsyncSession, fresh: Record) -> None:
            await self.notifier.to_member(
                fresh.proposer_user_id,
                f"您的{self.label(fresh)}{title_of(fresh)}已列为重点提案，由政协督办。",
                purpose="workflow",
                dedup_key=f"key:{fresh.id}",
                record_id=fresh.id,
                session=session,
            )

        record = await self.apply(
            record,
            Action.MARK_KEY,
            by,
            detail="列为重点提案（督办）" if on else "取消重点提案",
            timeline_action="key" if on else "unkey",
            mutate=mutate,
            notify=notify if on else None,
        )
        if on:
            text = f"已将{self.label(record)}{title_of(record)}列为重点提案（督办），已通知提案人。"
            line = f"{self.number(record)}：已列为重点提案"
        else:
            text = f"已取消{self.label(record)}{title_of(record)}的重点提案标记。"
            line = f"{self.number(record)}：已取消重点"
        return Outcome(record, text, line)

    # ================================================================ views

    async def parts(self, record_id: int, round_: int) -> list[UnitPart]:
        """The units of one round, lead first."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(Assignment, Unit)
                .join(Unit, col(Unit.id) == col(Assignment.unit_id))
                .where(Assignment.record_id == record_id, Assignment.round == round_)
                .order_by(col(Assignment.id))
            )
            found = [UnitPart(a, u) for a, u in rows.all()]
        found.sort(key=lambda p: not p.is_lead)
        return found

    async def latest_answer(self, record_id: int, round_: int | None = None) -> Answer | None:
        async with self.db.session() as session:
            query = select(Answer).where(Answer.record_id == record_id)
            if round_ is not None:
                query = query.where(Answer.round == round_)
            rows = await session.exec(query.order_by(col(Answer.id).desc()))
            return rows.first()

    async def latest_evaluation(self, record_id: int) -> Evaluation | None:
        async with self.db.session() as session:
            rows = await session.exec(
                select(Evaluation)
                .where(Evaluation.record_id == record_id)
                .order_by(col(Evaluation.id).desc())
            )
            return rows.first()

    async def handling(self, record: Record) -> Handling:
        """The current round at a glance (for 查提案 and the progress board)."""
        if record.id is None:
            raise NotFound("记录尚未保存。")
        parts = await self.parts(record.id, record.round)
        lead = next((p for p in parts if p.is_lead), None)
        return Handling(
            round=record.round,
            lead=lead.unit if lead else None,
            assisting=[p.unit for p in parts if not p.is_lead],
            due_date=lead.assignment.due_date if lead else None,
            answer=await self.latest_answer(record.id, record.round),
            evaluation=await self.latest_evaluation(record.id),
        )
