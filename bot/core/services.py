"""The service container: one per process, built at start, framework-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.board import BoardService
from bot.core.changes import ChangeWatch
from bot.core.clock import DEFAULT_ZONE, Clock, SystemClock, set_local_zone
from bot.core.consultation import ConsultationService, NewsService
from bot.core.consultation.forms import FormList
from bot.core.db import Database
from bot.core.dedup import DedupService
from bot.core.delivery.failures import FailureReporter
from bot.core.delivery.fallback import DeliveryFallback
from bot.core.delivery.notify import Notifier
from bot.core.delivery.outbox import OutboxService
from bot.core.delivery.routes import ContactBook
from bot.core.discussions import build_discussions
from bot.core.duty.record import DutyRecords
from bot.core.duty.service import DutyService
from bot.core.duty.table import load_table
from bot.core.entry import EntryService
from bot.core.export.documents import DocumentService
from bot.core.export.service import ExportService
from bot.core.intake.cosign import CosignService
from bot.core.intake.index import SimilarityService
from bot.core.intake.queries import RecordQueries
from bot.core.intake.submit import IntakeService
from bot.core.intake.withdraw import WithdrawalService
from bot.core.leases import LeaseKeeper
from bot.core.people.channels import ChannelService
from bot.core.people.claims import ClaimService
from bot.core.people.members import MemberService
from bot.core.people.roster import RosterService
from bot.core.people.sectors import SectorService
from bot.core.people.units import UnitService
from bot.core.public.moderation import ModerationService
from bot.core.public.service import PublicService
from bot.core.records.service import RecordService
from bot.core.schedule.digests import DigestService
from bot.core.schedule.digests.links import BoardLinks
from bot.core.schedule.reminders import ReminderService
from bot.core.stats import StatsService
from bot.core.workflow import states
from bot.core.workflow.common import load_calendar, load_category_names
from bot.core.workflow.opinions import OpinionWorkflow
from bot.core.workflow.proposals import ProposalWorkflow

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class CoreConfig:
    """What the services (and the plugins, through ``services.config``) need of the settings:
    read once at start (bot.settings.Settings.core_config), never from the environment again."""

    database_url: str
    data_dir: Path
    superusers: tuple[str, ...] = ()
    intake_rate_per_minute: int = 6
    answer_months: int = 3
    outbox_interval: float = 1.5
    outbox_jitter: float = 0.3
    outbox_poll: float = 10.0
    """Seconds between the sender's looks for messages queued by someone else."""
    reminder_sweep_minutes: int = 5
    """Minutes between two sweeps for deadline, evaluation and co-sign reminders."""
    discussion_sweep_seconds: int = 60
    """Seconds between two looks for discussions that timed out or end within the hour."""
    public_announce_minutes: int = 10
    """Minutes between two announcements (one message) to the staff groups of what the public
    left on the board's forms since the last one."""
    lease_seconds: float = 45.0
    """How long a lease (the schedules, one account's outbox) lasts unrenewed; 0: leases off
    (this process holds them all). The other instance takes over within about this long."""
    lease_renew_seconds: float = 15.0
    """Seconds between renewals of the leases this process holds or wants."""
    instance_name: str = ""
    """This instance in the lease table (INSTANCE_NAME, else "<host>:<PORT>"): a restart is the
    same holder; "" (tests): one of its own for each process."""
    #: The local zone (BOT_TIMEZONE): display, schedules, quiet hours, working days, year.
    timezone: str = DEFAULT_ZONE
    change_check_seconds: float = 2.0
    """How often cached bindings are checked against other processes' changes."""
    board_public: bool = True
    """The progress board's pages are open to anyone (BOARD_PUBLIC); else they need the token."""
    board_token: str = ""
    """The staff token (BOARD_TOKEN): staff pages, and every page when the board is not public."""
    board_url: str = ""
    """The board's address as people reach it (BOARD_URL, no trailing slash), for links."""
    consult_remind_workdays: int = 15
    """Working days after 交办 before a lead unit with no recorded contact with the proposer
    (沟通) is reminded; 0: never."""
    lookback_date: str = ""
    """The yearly 回头看 of last year's B answers: "MM-DD" (moved to the next working day), or
    "" for the first working day of the year."""
    duty_minimum_points: int = 0
    """履职 统计: members with fewer points in the year are listed for staff (0: no minimum)."""


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
        # which instance runs the schedules and drains each account's outbox (bot/core/leases.py)
        self.leases = LeaseKeeper(
            self.db,
            self.clock,
            seconds=config.lease_seconds,
            renew_seconds=config.lease_renew_seconds,
            holder=config.instance_name or None,
        )
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
        # one-to-one messages nobody could deliver: a group @ (once a day), recorded for staff
        self.fallback = DeliveryFallback(
            self.db, self.clock, self.outbox, self.channels, self.contacts
        )
        self.outbox_reports = FailureReporter(
            self.db, self.clock, self.channels, self.outbox, self.members, self.fallback
        )
        # records: every change through the state machine; change hooks follow the commits
        self.records = RecordService(self.db, self.clock, states)
        self._add_intake(config)
        # working days (chinese-calendar + data/holidays.toml), loaded once
        self.calendar = load_calendar(config.data_dir)
        self.proposals = ProposalWorkflow(
            self.db,
            self.clock,
            self.records,
            self.units,
            self.notifier,
            self.calendar,
            answer_months=config.answer_months,
            categories=load_category_names(config.data_dir),
        )
        self.opinions = OpinionWorkflow(
            self.db, self.clock, self.records, self.notifier, self.calendar
        )
        # topics through the annual consultation plan (议题, 列入计划 …); work news (政协动态)
        self.consultation = ConsultationService(
            self.db,
            self.clock,
            self.records,
            self.units,
            self.notifier,
            self.calendar,
            forms=FormList.load(config.data_dir),
        )
        self.news = NewsService(self.db, self.clock)
        # the public on the board: comments, topic suggestions, proposal tips, ratings; review
        self.public = PublicService(self.db, self.clock)
        self.moderation = ModerationService(self.db, self.clock, self.records, self.notifier)
        self._add_reports(config)
        # reminders: deadlines, evaluations, co-sign invitations (one periodic sweep)
        self.reminders = ReminderService(
            self.db,
            self.clock,
            self.calendar,
            self.notifier,
            self.outbox,
            self.channels,
            consult_workdays=config.consult_remind_workdays,
            lookback_date=config.lookback_date,
        )

    def _add_reports(self, config: CoreConfig) -> None:
        """Figures (统计: every place that shows one reads services.stats), duty points
        (履职积分: data/duty_points.toml, read once), exports (导出: .xlsx under data/exports),
        the web progress board's read model (services.board), digests (日报/周报/月报, with
        links to the board when BOARD_URL is set)."""
        self.stats = StatsService(self.db, self.calendar, self.clock)
        self.duty = DutyService(self.db, self.clock, load_table(config.data_dir))
        self.export = ExportService(
            self.db, self.clock, self.stats, self.duty, self.members, config.data_dir / "exports"
        )
        # .docx: 履职报告 (duty_records: each member's record), 导出 履职, 导出 报告
        self.duty_records = DutyRecords(self.db, self.duty)
        self.documents = DocumentService(
            self.db, self.clock, self.stats, self.duty_records, self.members, self.export
        )
        self.board = BoardService(self.db, self.clock, self.stats)  # the web progress board
        self.digests = DigestService(
            self.db,
            self.clock,
            self.channels,
            self.outbox,
            self.calendar,
            self.stats,
            BoardLinks(config.board_url, config.board_public),
        )

    def _add_intake(self, config: CoreConfig) -> None:
        """Intake: the similarity index (follows record changes), 附议 and invitations, posts,
        撤回, and reading records (查提案, 搜索, 我的)."""
        self.similarity = SimilarityService(
            self.db,
            self.records,
            data_dir=config.data_dir,
            snapshot=config.data_dir / "cache" / "similarity.idx",
            catch_up_seconds=config.change_check_seconds,
        )
        self.cosigns = CosignService(self.db, self.clock, self.records, self.members, self.notifier)
        self.intake = IntakeService(
            self.db,
            self.clock,
            self.records,
            self.outbox,
            self.notifier,
            self.similarity,
            self.cosigns,
            data_dir=config.data_dir,
            rate_per_minute=config.intake_rate_per_minute,
        )
        self.withdrawals = WithdrawalService(self.records, self.notifier)
        # temporary discussion groups (D3): rooms, relay, closing, into a proposal
        self.discussions = build_discussions(
            self.db, self.clock, self.outbox, self.records, self.intake, self.fallback
        )
        self.queries = RecordQueries(self.db, self.records, self.cosigns)

    async def start(self, *, migrate: bool = True) -> None:
        """Upgrade the schema, seed configuration data, warm caches."""
        if migrate:
            await self.db.upgrade()
        await self.sectors.seed()
        await self.claims.load()
        await self.channels.load()
        await self.units.load()
        await self.intake.start()
        await self.similarity.start()

    async def stop(self) -> None:
        await self.similarity.stop()
        await self.db.dispose()
