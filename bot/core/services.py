"""The service container: one per process, built at start, framework-free."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.changes import ChangeWatch
from bot.core.channels import ChannelService
from bot.core.claims import ClaimService
from bot.core.clock import DEFAULT_ZONE, Clock, SystemClock, set_local_zone
from bot.core.contacts import ContactBook
from bot.core.db import Database
from bot.core.dedup import DedupService
from bot.core.digests import DigestService
from bot.core.entry import EntryService
from bot.core.intake.service import IntakeService
from bot.core.members import MemberService
from bot.core.notify import Notifier
from bot.core.outbox import OutboxService
from bot.core.outbox_report import FailureReporter
from bot.core.records import RecordService
from bot.core.reminders import ReminderService
from bot.core.roster import RosterService
from bot.core.sectors import SectorService
from bot.core.stats import StatsService
from bot.core.units import UnitService
from bot.core.workflow.common import load_calendar, load_category_names
from bot.core.workflow.opinions import OpinionWorkflow
from bot.core.workflow.proposals import ProposalWorkflow


@dataclass(frozen=True)
class CoreConfig:
    database_url: str
    data_dir: Path
    superusers: tuple[str, ...] = ()
    intake_rate_per_minute: int = 6
    answer_months: int = 3
    outbox_interval: float = 1.5
    outbox_jitter: float = 0.3
    #: The local zone (BOT_TIMEZONE): display, schedules, quiet hours, working days, year.
    timezone: str = DEFAULT_ZONE
    change_check_seconds: float = 2.0
    """How often cached bindings are checked against other processes' changes."""


class Services:
    def __init__(
        self, config: CoreConfig, clock: Clock | None = None, db: Database | None = None
    ) -> None:
        self.config = config
        set_local_zone(config.timezone)  # one zone per process, read at use time
        self.clock: Clock = clock or SystemClock()
        self.db = db or Database(config.database_url)
        # other processes' changes to what this one caches (bindings, contacts)
        self.changes = ChangeWatch(self.db, interval=config.change_check_seconds)
        self.sectors = SectorService(self.db, config.data_dir)
        self.members = MemberService(self.db, self.clock, self.sectors, config.superusers)
        self.claims = ClaimService(self.db, self.clock, self.members)  # 认领 on a fresh install
        self.roster = RosterService(self.db, self.clock, self.sectors)
        self.channels = ChannelService(self.db, self.clock, self.sectors, self.changes)
        self.units = UnitService(self.db, self.clock)
        self.dedup = DedupService(self.db, self.clock)
        self.entry = EntryService(self.db, self.dedup, self.members)
        self.outbox = OutboxService(self.db, self.clock)
        self.notifier = Notifier(self.outbox, self.channels, self.units)
        # delivery: where members can be reached one-to-one; undelivered messages told to staff
        self.contacts = ContactBook(self.db, self.clock, self.changes)
        self.outbox_reports = FailureReporter(
            self.db, self.clock, self.channels, self.outbox, self.members
        )
        self.records = RecordService(self.db, self.clock)
        self.intake = IntakeService(
            self.db,
            self.clock,
            self.records,
            self.members,
            self.outbox,
            self.notifier,
            data_dir=config.data_dir,
            rate_per_minute=config.intake_rate_per_minute,
            snapshot=config.data_dir / "cache" / "similarity.idx",
            catch_up_seconds=config.change_check_seconds,
        )
        # working days (chinese-calendar + data/holidays.toml), loaded once
        self.calendar = load_calendar(config.data_dir)
        self.workflow = ProposalWorkflow(
            self.db,
            self.clock,
            self.records,
            self.units,
            self.notifier,
            self.calendar,
            answer_months=config.answer_months,
            categories=load_category_names(config.data_dir),
        )
        self.opinion_workflow = OpinionWorkflow(
            self.db, self.clock, self.records, self.notifier, self.calendar
        )
        # schedules: statistics, digests (日报/周报/月报)
        self.stats = StatsService(self.db, self.calendar)
        self.digests = DigestService(
            self.db, self.clock, self.channels, self.outbox, self.calendar, self.stats
        )
        # reminders: deadlines, evaluations, co-sign invitations (one periodic sweep)
        self.reminders = ReminderService(
            self.db, self.clock, self.calendar, self.notifier, self.outbox, self.channels
        )

    async def start(self, *, migrate: bool = True) -> None:
        """Upgrade the schema, seed configuration data, warm caches."""
        if migrate:
            await self.db.upgrade()
        await self.sectors.seed()
        await self.claims.load()
        await self.channels.load()
        await self.intake.start()

    async def stop(self) -> None:
        await self.intake.stop()
        await self.db.dispose()
