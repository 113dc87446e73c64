"""ReminderService: the periodic sweep over the database (not one job per deadline)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.clock import Clock, to_local
from bot.core.schedule.quiet_hours import may_remind
from bot.core.schedule.reminders.consultations import ConsultationReminders
from bot.core.schedule.reminders.cosigns import CosignReminders
from bot.core.schedule.reminders.deadlines import DeadlineReminders, deadline_stage
from bot.core.schedule.reminders.evaluations import EvaluationReminders
from bot.core.schedule.reminders.lookbacks import LookbackReminders
from bot.core.schedule.reminders.plan_items import PlanReminders
from bot.core.schedule.reminders.stages import Stages, SweepReport
from bot.core.schedule.reminders.timing import WorkdayIndex

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from bot.core.db import Database
    from bot.core.delivery.notify import Notifier
    from bot.core.delivery.outbox import OutboxService
    from bot.core.people.channels import ChannelService
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
        *,
        consult_workdays: int = 15,
        lookback_date: str = "",
    ) -> None:
        """``consult_workdays``: working days after 交办 before a unit with no recorded contact
        with the proposer is reminded (0: never); ``lookback_date``: "MM-DD" of the yearly
        回头看 ("" = the first working day of the year)."""
        self.db = db
        self.clock = clock
        self.calendar = calendar
        self.stages = Stages(db, clock)
        using = (db, calendar, notifier, outbox, channels, self.stages)
        self.deadlines = DeadlineReminders(*using)
        self.evaluations = EvaluationReminders(*using)
        self.cosigns = CosignReminders(*using)
        self.plan_items = PlanReminders(*using)
        self.consultations = ConsultationReminders(*using)
        self.consultations.workdays = consult_workdays
        self.lookbacks = LookbackReminders(*using)
        self.lookbacks.setting = lookback_date
        self._index: WorkdayIndex | None = None
        self._index_day: date | None = None

    async def sweep(self, *, proceed: Callable[[], bool] | None = None) -> SweepReport:
        """Every kind of reminder, each stage once. ``proceed`` is asked before each kind:
        False (this instance lost the schedules' lease) stops the sweep there (``stopped``);
        what was done is committed, the rest is the new holder's."""
        report = SweepReport()
        now = self.clock.now()
        today = to_local(now).date()
        index = self._index_for(today)
        await self.stages.sync()
        await self.cosigns.lapse(now, report)
        if not may_remind(now, self.calendar):
            report.skipped_quiet = True
            return report
        kinds: list[Callable[[], Awaitable[None]]] = [
            lambda: self.deadlines.run(today, index, report),
            lambda: self.evaluations.run(today, index, report),
            lambda: self.cosigns.remind(now, report),
            lambda: self.plan_items.run(today, index, report),
            lambda: self.consultations.run(today, index, report),
            lambda: self.lookbacks.run(today, now, report),
        ]
        for run in kinds:
            if proceed is not None and not proceed():
                report.stopped = True
                return report
            await run()
        return report

    def _index_for(self, today: date) -> WorkdayIndex:
        if self._index is None or self._index_day != today:
            self._index = WorkdayIndex(
                self.calendar, today - timedelta(days=400), today + timedelta(days=400)
            )
            self._index_day = today
        return self._index
