"""ConsultationService (services.consultation): topics through the annual consultation plan.

列入计划 takes a topic (议题) into the year's plan, numbered within its form, with its 牵头领导,
责任部门, 责任人 and 完成时限; then its activities, result (with files), leaders' 批示 and
follow-up (跟踪落实, 反馈问效) are recorded until it is closed (办结). Every step is a change of
the topic record through the state machine (``records.change``): the plan item or entry, the
timeline entry and the notices commit together. Proposers and supporters are told when the topic
enters the plan and when it is closed; the responsible unit and person when it enters the plan
(their deadline reminders: bot/core/schedule/reminders/plan_items.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock
from bot.core.consultation import listing, texts
from bot.core.consultation.forms import DEFAULT_FORMS, FormList
from bot.core.consultation.parsing import ActivitySpec, PlanSpec
from bot.core.consultation.queries import supporters
from bot.core.db import Database
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT, Notifier
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import PlanEntry, PlanEntryKind, PlanItem, Record, Unit
from bot.core.people.units import UnitService
from bot.core.records.kinds import RecordKind
from bot.core.records.service import RecordService
from bot.core.schedule.deadlines import DeadlineError, parse_deadline
from bot.core.schedule.workdays import WorkCalendar
from bot.core.workflow.common import Outcome, RecordFlow, Requester, fmt_date, title_of
from bot.core.workflow.states import Action

#: How a staff-entered topic is marked (records.source_kind): public, like a group post.
STAFF_SOURCE = "staff"
MAX_TITLE = 100
#: Tries at numbering a plan item when two are numbered in the same form at once.
PLAN_ATTEMPTS = 3

#: The text steps: what they record, how the timeline says it, the reply.
_NOTES: dict[Action, tuple[PlanEntryKind, str, str]] = {
    Action.INSTRUCTION: (PlanEntryKind.INSTRUCTION, "领导批示", "已记录领导批示。"),
    Action.IMPLEMENT: (PlanEntryKind.FOLLOW_UP, "跟踪落实", "已记录落实情况。"),
}

Notify = Callable[[AsyncSession, Record, PlanItem], Awaitable[int]]


class ConsultationService(RecordFlow):
    kind = RecordKind.TOPIC

    def __init__(
        self,
        db: Database,
        clock: Clock,
        records: RecordService,
        units: UnitService,
        notifier: Notifier,
        calendar: WorkCalendar,
        forms: FormList = DEFAULT_FORMS,
    ) -> None:
        super().__init__(db, clock, records, calendar)
        self.units = units
        self.notifier = notifier
        self.forms = forms
        """The county's forms of consultation (data/consultation_forms.txt)."""

    # ------------------------------------------------------------ the pool

    async def enter_topic(self, by: Requester, text: str) -> Record:
        """议题 录入 标题⏎内容: a topic entered by staff (e.g. from a meeting or a letter)."""
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if not lines:
            raise InvalidInput("请写上议题。用法：议题 录入 议题名称⏎说明（可不写）")
        title = lines[0]
        if len(title) > MAX_TITLE:
            raise InvalidInput(f"议题名称超过{MAX_TITLE}字，请把说明放到第二行。")
        record = Record(
            kind=RecordKind.TOPIC,
            year=0,
            number=0,
            proposer_user_id=by.identity.user_id,
            proposer_name=by.identity.name,
            source_kind=STAFF_SOURCE,
            title=title,
            body="\n".join(lines[1:]),
        )
        return await self.records.create(record, actor=by.actor, detail="机关录入")

    async def pool_text(self, *, include_private: bool, own_user_id: str | None = None) -> str:
        """议题: the topics waiting to be chosen, most supported first."""
        return await listing.pool_listing(
            self.db,
            current_year=self.records.current_year(),
            include_private=include_private,
            own_user_id=own_user_id,
        )

    async def plan_text(self, year_text: str, *, include_private: bool) -> str:
        """协商计划 [2027]: the year's plan by form."""
        current = self.records.current_year()
        return await listing.plan_listing(
            self.db,
            listing.plan_year(year_text, current),
            today=self.today(),
            current_year=current,
            include_private=include_private,
            forms=self.forms,
        )

    async def decline(self, ref: str, by: Requester, reason: str) -> Outcome:
        """议题 不列入 3 [理由]: not taken into this year's plan (it may be, later); the
        proposer is told privately, never a members' group."""
        record = await self.resolve(ref)
        await self.precheck(record, Action.NOT_PLAN)
        said = f"理由：{reason}。" if reason else ""

        async def notify(session: AsyncSession, fresh: Record) -> None:
            if fresh.source_kind != STAFF_SOURCE:
                text = texts.declined_notice(self.label(fresh), title_of(fresh), said)
                await self._to_member(session, fresh, fresh.proposer_user_id, text)

        detail = "暂不列入协商计划" + (f"。理由：{reason}" if reason else "")
        record = await self.apply(record, Action.NOT_PLAN, by, notify=notify, detail=detail)
        who = "" if record.source_kind == STAFF_SOURCE else "已通知提出人。"
        return Outcome(
            record,
            f"{self.label(record)}{title_of(record)}暂不列入协商计划。{said}{who}",
            f"{self.number(record)}：暂不列入计划",
        )

    # ------------------------------------------------------------ 列入计划

    async def plan(
        self, ref: str, by: Requester, spec: PlanSpec, *, person_id: str | None = None
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, Action.PLAN)
        try:
            due = parse_deadline(spec.deadline, start=self.today(), calendar=self.calendar).due
        except DeadlineError as exc:
            raise InvalidInput(f"时限“{spec.deadline}”有误：{exc.message}") from None
        unit = await self._unit(spec.unit)
        made: dict[str, PlanItem] = {}
        told: list[int] = []

        async def extra(session: AsyncSession, fresh: Record) -> None:
            made["item"] = await _new_item(session, fresh, spec, due, unit, person_id, by)

        async def notify(session: AsyncSession, fresh: Record) -> None:
            told.append(await self._tell_planned(session, fresh, made["item"]))

        def detail() -> str:
            return f"列入{texts.place(made['item'])}。{texts.responsibility(made['item'])}"

        for attempt in range(PLAN_ATTEMPTS):
            told.clear()
            try:
                record = await self.apply(
                    record, Action.PLAN, by, extra=extra, notify=notify, detail=detail
                )
                break
            except IntegrityError:
                # another process numbered the same form (or planned the topic) first: all of
                # this attempt was rolled back; the next one numbers again (or is refused)
                if attempt == PLAN_ATTEMPTS - 1:
                    raise
        item = made["item"]
        text = (
            f"{self.label(record)}{title_of(record)}已列入{texts.place(item)}。"
            f"{texts.responsibility(item)}。{self._told(record, told[0])}"
        )
        if unit is None:
            text += f"（“{spec.unit}”不是已登记的承办单位，时限提醒将发给责任人或机关群。）"
        return Outcome(record, text, f"{self.number(record)}：已列入计划")

    async def _unit(self, name: str) -> Unit | None:
        for candidate in (name, *name.replace("，", "、").replace(",", "、").split("、")[:1]):
            try:
                return await self.units.resolve(candidate)
            except NotFound:
                continue
        return None

    async def _tell_planned(self, session: AsyncSession, record: Record, item: PlanItem) -> int:
        label, title = self.label(record), title_of(record)
        people = await self._tell_people(
            session,
            record,
            lambda supporter: texts.planned_notice(label, title, item, supporter=supporter),
        )
        unit_text = texts.unit_notice(label, title, item)
        if item.unit_id is not None:
            await self.notifier.to_unit(
                item.unit_id,
                unit_text,
                group_text=None if item.public else f"【协商计划】{PRIVATE_UNIT_GROUP_TEXT}",
                purpose="workflow",
                record_id=record.id,
                session=session,
            )
        if item.responsible_user_id and item.responsible_user_id not in people:
            await self.notifier.to_member(
                item.responsible_user_id,
                unit_text,
                purpose="workflow",
                record_id=record.id,
                session=session,
            )
        return len(people)

    async def _tell_people(
        self, session: AsyncSession, record: Record, text: Callable[[bool], str]
    ) -> set[str]:
        """The proposer (unless staff entered the topic) and every supporter, one-to-one."""
        told: set[str] = set()
        if record.source_kind != STAFF_SOURCE:
            await self._to_member(session, record, record.proposer_user_id, text(False))
            told.add(record.proposer_user_id)
        for cosign in await supporters(session, record.id or 0):
            if cosign.user_id not in told:
                await self._to_member(session, record, cosign.user_id, text(True))
                told.add(cosign.user_id)
        return told

    @staticmethod
    def _told(record: Record, people: int) -> str:
        proposer = record.source_kind != STAFF_SOURCE
        return texts.told(proposer, people - 1 if proposer else people)

    async def _to_member(
        self, session: AsyncSession, record: Record, user_id: str, text: str
    ) -> None:
        await self.notifier.to_member(
            user_id, text, purpose="workflow", record_id=record.id, session=session
        )

    # ------------------------------------------------------------ what happens to a plan item

    async def activity(self, ref: str, by: Requester, spec: ActivitySpec) -> Outcome:
        who = f"，参加：{spec.participants}" if spec.participants else ""
        said = f"。{spec.content}" if spec.content else ""
        summary = f"{spec.subtype}（{fmt_date(spec.on_date)}）{who}"
        return await self._entry(
            ref,
            by,
            Action.ACTIVITY,
            PlanEntry(
                kind=PlanEntryKind.ACTIVITY,
                subtype=spec.subtype,
                on_date=spec.on_date,
                participants=spec.participants,
                content=spec.content,
            ),
            detail=f"{summary}{said}",
            reply=f"已记录协商活动：{summary}。",
        )

    async def result(
        self, ref: str, by: Requester, subtype: str, content: str, files: list[dict[str, Any]]
    ) -> Outcome:
        if not content and not files:
            raise InvalidInput(
                f"请写上成果名称或内容，或随消息附上文件。用法：议题 成果 {ref.strip()} 建议案 内容"
            )
        attached = f"（附件{len(files)}个）" if files else ""
        return await self._entry(
            ref,
            by,
            Action.RESULT,
            PlanEntry(
                kind=PlanEntryKind.RESULT, subtype=subtype, content=content, attachments=files
            ),
            detail=f"{subtype}：{content}{attached}" if content else f"{subtype}{attached}",
            reply=f"已记录协商成果：{subtype}{attached}。",
        )

    async def instruction(self, ref: str, by: Requester, content: str) -> Outcome:
        return await self._note(ref, by, Action.INSTRUCTION, content)

    async def follow_up(self, ref: str, by: Requester, content: str) -> Outcome:
        return await self._note(ref, by, Action.IMPLEMENT, content)

    async def _note(self, ref: str, by: Requester, action: Action, content: str) -> Outcome:
        """批示 (a leader's instruction) or 落实 (follow-up, 反馈问效): a text on the plan item."""
        kind, prefix, reply = _NOTES[action]
        entry = PlanEntry(kind=kind, content=content)
        return await self._entry(ref, by, action, entry, detail=f"{prefix}：{content}", reply=reply)

    async def conclude(self, ref: str, by: Requester, content: str) -> Outcome:
        told: list[int] = []

        async def notify(session: AsyncSession, fresh: Record, item: PlanItem) -> int:
            label, title = self.label(fresh), title_of(fresh)
            people = await self._tell_people(
                session,
                fresh,
                lambda s: texts.closed_notice(label, title, item, content, supporter=s),
            )
            told.append(len(people))
            return len(people)

        outcome = await self._entry(
            ref,
            by,
            Action.CONCLUDE,
            PlanEntry(kind=PlanEntryKind.CLOSE, content=content),
            detail="办结" + (f"：{content}" if content else ""),
            reply="已办结。",
            notify=notify,
        )
        outcome.text += self._told(outcome.record, told[0])
        return outcome

    async def _entry(
        self,
        ref: str,
        by: Requester,
        action: Action,
        entry: PlanEntry,
        *,
        detail: str,
        reply: str,
        notify: Notify | None = None,
    ) -> Outcome:
        record = await self.resolve(ref)
        await self.precheck(record, action)
        found: dict[str, PlanItem] = {}

        async def extra(session: AsyncSession, fresh: Record) -> None:
            item = (
                await session.exec(select(PlanItem).where(PlanItem.record_id == fresh.id))
            ).first()
            if item is None:  # a topic in a plan state always has its item
                raise NotFound(f"{self.label(fresh)}没有协商计划项。")
            now = self.clock.now()
            entry.plan_item_id, entry.at = item.id or 0, now
            entry.actor_user_id, entry.actor_name = by.identity.user_id, by.identity.name
            session.add(entry)
            if action is Action.CONCLUDE:
                item.closed_at = now
                session.add(item)
            found["item"] = item

        async def told(session: AsyncSession, fresh: Record) -> None:
            if notify is not None:
                await notify(session, fresh, found["item"])

        record = await self.apply(record, action, by, extra=extra, notify=told, detail=detail)
        where = texts.place(found["item"])
        return Outcome(
            record,
            f"{self.label(record)}{title_of(record)}（{where}）{reply}",
            f"{self.number(record)}：{reply}",
        )


async def _new_item(
    session: AsyncSession,
    record: Record,
    spec: PlanSpec,
    due: date,
    unit: Unit | None,
    person_id: str | None,
    by: Requester,
) -> PlanItem:
    """The plan item, numbered next within its year and form (in the change's transaction)."""
    year = due.year
    top = (
        await session.exec(
            select(func.max(PlanItem.form_number)).where(
                PlanItem.year == year, PlanItem.form == spec.form
            )
        )
    ).one()
    item = PlanItem(
        record_id=record.id or 0,
        year=year,
        form=spec.form,
        form_number=(top or 0) + 1,
        title=spec.title or record.title,
        public=record.source_kind != "private" or bool(spec.title),
        lead_leader=spec.leader,
        unit_id=unit.id if unit is not None else None,
        unit_name=unit.name if unit is not None and unit.name == spec.unit else spec.unit,
        responsible_name=spec.person,
        responsible_user_id=person_id,
        due_date=due,
        planned_at=record.updated_at,
        planned_by=by.identity.name,
    )
    session.add(item)
    await session.flush()
    return item
