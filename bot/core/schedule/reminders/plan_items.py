"""Deadline reminders for consultation plan items (年度协商计划): the responsible unit's
contacts and the responsible person are reminded as units are of proposals (30, 14, 7, 3 and 1
working days before the 完成时限, every 3 working days once overdue), each stage once through
the stage helper; with nobody to remind, or once overdue, the staff groups are told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, select

from bot.core.clock import as_utc, to_local
from bot.core.delivery.notify import PRIVATE_UNIT_GROUP_TEXT
from bot.core.models import PlanItem, Record, RecordStatus
from bot.core.schedule.reminders.deadlines import KEY_STAGES, deadline_stage
from bot.core.schedule.reminders.stages import Reminder, StageGroup, SweepReport
from bot.core.schedule.reminders.texts import fmt_date

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.schedule.reminders.timing import WorkdayIndex


@dataclass(frozen=True)
class OpenPlanItem:
    item: PlanItem
    topic_number: int
    topic_year: int

    @property
    def planned_on(self) -> date:
        return to_local(as_utc(self.item.planned_at)).date()


def plan_text(open_item: OpenPlanItem, days: int, overdue: bool) -> str:
    item = open_item.item
    where = f"{item.year}年度协商计划{item.form}第{item.form_number}项《{item.title}》"
    if overdue:
        when = f"已逾期 {days} 个工作日，请抓紧推进"
        head = "【协商计划逾期】"
    else:
        when = "今天到期" if days == 0 else f"还有 {days} 个工作日到期"
        head = "【协商计划提醒】"
    return (
        f"{head}{item.unit_name}：{where}的完成时限是{fmt_date(item.due_date)}，{when}。"
        f"牵头领导：{item.lead_leader}。活动、成果和落实情况请及时报政协机关登记"
        f"（议题第{open_item.topic_number}号）。"
    )


class PlanReminders(StageGroup):
    async def run(self, today: date, index: WorkdayIndex, report: SweepReport) -> None:
        horizon = self.calendar.add_workdays(today, max(KEY_STAGES))
        reminders = []
        for open_item in await self._open(horizon):
            days_left = index.between(today, open_item.item.due_date)
            at_plan = index.between(open_item.planned_on, open_item.item.due_date)
            stage = deadline_stage(days_left, at_plan, True)
            if stage is None:
                continue
            overdue = stage[0].startswith("o")
            key = f"remind:plan:{open_item.item.id}:{stage[0]}"
            reminders.append(self._reminder(key, open_item, stage[1], overdue))
        for _reminder, _queued in await self.stages.send_new(reminders, report):
            report.plan_item += 1

    def _reminder(self, key: str, open_item: OpenPlanItem, days: int, overdue: bool) -> Reminder:
        item = open_item.item
        text = plan_text(open_item, days, overdue)

        async def queue(session: AsyncSession) -> int:
            queued = 0
            if item.unit_id is not None:
                queued += await self.notifier.to_unit(
                    item.unit_id,
                    text,
                    group_text=None if item.public else f"【协商计划】{PRIVATE_UNIT_GROUP_TEXT}",
                    purpose="reminder",
                    dedup_key=key,
                    record_id=item.record_id,
                    session=session,
                )
            if item.responsible_user_id:
                queued += await self.notifier.to_member(
                    item.responsible_user_id,
                    text,
                    purpose="reminder",
                    dedup_key=f"{key}:person",
                    record_id=item.record_id,
                    session=session,
                )
            if queued == 0 or overdue:
                nobody = "" if queued else "（责任部门和责任人都无法提醒，请机关跟进）"
                queued += await self.notifier.to_staff_groups(
                    text + nobody,
                    purpose="reminder",
                    dedup_key=f"{key}:staff",
                    record_id=item.record_id,
                    session=session,
                )
            return queued

        return Reminder(key, item.record_id, queue)

    async def _open(self, horizon: date) -> list[OpenPlanItem]:
        """Plan items not closed, due by ``horizon`` (overdue ones included)."""
        query = (
            select(PlanItem, Record.number, Record.year)
            .join(Record, col(Record.id) == col(PlanItem.record_id))
            .where(
                col(PlanItem.closed_at).is_(None),
                col(PlanItem.due_date) <= horizon,
                Record.status != RecordStatus.WITHDRAWN,
            )
            .order_by(col(PlanItem.id))
        )
        async with self.db.session() as session:
            rows: Iterable[tuple[PlanItem, int, int]] = (await session.exec(query)).all()
            return [OpenPlanItem(item, number, year) for item, number, year in rows]
