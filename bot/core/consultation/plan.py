"""PlanFlow: the topic pool's staff side and 列入计划 (the base of ConsultationService).

议题 录入 adds a topic staff entered; 议题 不列入 leaves one out of the plan (it may be taken
later); 列入计划 takes a topic into the year's plan, numbered within its form, with its 牵头领导,
责任部门, 责任人 and 完成时限, and tells the proposer, the supporters and the responsible unit
and person, all in the topic's change (``records.change``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core.consultation import texts
from bot.core.consultation.forms import DEFAULT_FORMS, FormList
from bot.core.consultation.queries import supporters
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT, Notifier
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import PlanItem, Record, Unit
from bot.core.records.kinds import RecordKind
from bot.core.schedule.deadlines import DeadlineError, parse_deadline
from bot.core.workflow.common import Outcome, RecordFlow, Requester, title_of
from bot.core.workflow.states import Action

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.consultation.parsing import PlanSpec
    from bot.core.db import Database
    from bot.core.people.units import UnitService
    from bot.core.records.service import RecordService
    from bot.core.schedule.workdays import WorkCalendar

#: How a staff-entered topic is marked (records.source_kind): public, like a group post.
STAFF_SOURCE = "staff"
#: Topics with nobody to tell one-to-one: entered by staff, or suggested by the public on the
#: board (bot/core/public/moderation.py PUBLIC_SOURCE).
NO_PROPOSER = frozenset({STAFF_SOURCE, "public"})
MAX_TITLE = 100
#: Tries at numbering a plan item when two are numbered in the same form at once.
PLAN_ATTEMPTS = 3


class PlanFlow(RecordFlow):
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

    async def decline(self, ref: str, by: Requester, reason: str) -> Outcome:
        """议题 不列入 3 [理由]: not taken into this year's plan (it may be, later); the
        proposer is told privately, never a members' group."""
        record = await self.resolve(ref)
        await self.precheck(record, Action.NOT_PLAN)
        said = f"理由：{reason}。" if reason else ""

        async def notify(session: AsyncSession, fresh: Record) -> None:
            if fresh.source_kind not in NO_PROPOSER:
                text = texts.declined_notice(self.label(fresh), title_of(fresh), said)
                await self._to_member(session, fresh, fresh.proposer_user_id, text)

        detail = "暂不列入协商计划" + (f"。理由：{reason}" if reason else "")
        record = await self.apply(record, Action.NOT_PLAN, by, notify=notify, detail=detail)
        who = "" if record.source_kind in NO_PROPOSER else "已通知提出人。"
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
        if record.source_kind not in NO_PROPOSER:
            await self._to_member(session, record, record.proposer_user_id, text(False))
            told.add(record.proposer_user_id)
        for cosign in await supporters(session, record.id or 0):
            if cosign.user_id not in told:
                await self._to_member(session, record, cosign.user_id, text(True))
                told.add(cosign.user_id)
        return told

    @staticmethod
    def _told(record: Record, people: int) -> str:
        proposer = record.source_kind not in NO_PROPOSER
        return texts.told(proposer, people - 1 if proposer else people)

    async def _to_member(
        self, session: AsyncSession, record: Record, user_id: str, text: str
    ) -> None:
        await self.notifier.to_member(
            user_id, text, purpose="workflow", record_id=record.id, session=session
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
