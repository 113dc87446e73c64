"""ReminderService: the periodic sweep over the database (not one job per deadline)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.clock import Clock, to_local
from bot.core.db import Database
from bot.core.delivery.notify import Notifier
from bot.core.delivery.outbox import OutboxService
from bot.core.people.channels import ChannelService
from bot.core.schedule.quiet_hours import may_remind
from bot.core.schedule.reminders.cosigns import CosignReminders
from bot.core.schedule.reminders.deadlines import DeadlineReminders, deadline_stage
from bot.core.schedule.reminders.evaluations import EvaluationReminders
from bot.core.schedule.reminders.plan_items import PlanReminders
from bot.core.schedule.reminders.stages import Stages, SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex
from bot.core.schedule.workdays import WorkCalendar


class ReminderService:
    deadline_stage = staticmethod(deadline_stage)

    def __init__(
        self,
        db: Database,
        clock: Clock,
        calendar: WorkCalendar,
        notifier: Notifier,
        outbox: OutboxService,
        channels: ChannelService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.stages = Stages(db, clock)
        using = (db, calendar, notifier, outbox, channels, self.stages)
        self.deadlines = DeadlineReminders(*using)
        self.evaluations = EvaluationReminders(*using)
        self.cosigns = CosignReminders(*using)
        self.plan_items = PlanReminders(*using)
        self._index: WorkdayIndex | None = None
        self._index_day: date | None = None

    async def sweep(self) -> SweepReport:
        report = SweepReport()
        now = self.clock.now()
        today = to_local(now).date()
        index = self._index_for(today)
        await self.stages.sync()
        await self.cosigns.lapse(now, report)
        if not may_remind(now, self.calendar):
            report.skipped_quiet = True
            return report
        await self.deadlines.run(today, index, report)
        await self.evaluations.run(today, index, report)
        await self.cosigns.remind(now, report)
        await self.plan_items.run(today, index, report)
        return report

    def _index_for(self, today: date) -> WorkdayIndex:
        if self._index is None or self._index_day != today:
            self._index = WorkdayIndex(
                self.calendar, today - timedelta(days=400), today + timedelta(days=400)
            )
            self._index_day = today
        return self._index
