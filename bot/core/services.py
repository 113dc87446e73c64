"""The service container: one per process, built at start, framework-free."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.channels import ChannelService
from bot.core.clock import Clock, SystemClock
from bot.core.db import Database
from bot.core.dedup import DedupService
from bot.core.members import MemberService
from bot.core.notify import Notifier
from bot.core.outbox import OutboxService
from bot.core.records import RecordService
from bot.core.roster import RosterService
from bot.core.sectors import SectorService
from bot.core.units import UnitService


@dataclass(frozen=True)
class CoreConfig:
    database_url: str
    data_dir: Path
    superusers: tuple[str, ...] = ()
    intake_rate_per_minute: int = 6
    answer_months: int = 3
    outbox_interval: float = 1.5
    outbox_jitter: float = 0.3


class Services:
    def __init__(
        self, config: CoreConfig, clock: Clock | None = None, db: Database | None = None
    ) -> None:
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.db = db or Database(config.database_url)
        self.sectors = SectorService(self.db, config.data_dir)
        self.members = MemberService(self.db, self.clock, self.sectors, config.superusers)
        self.roster = RosterService(self.db, self.clock, self.sectors)
        self.channels = ChannelService(self.db, self.clock, self.sectors)
        self.units = UnitService(self.db, self.clock)
        self.dedup = DedupService(self.db, self.clock)
        self.outbox = OutboxService(self.db, self.clock)
        self.notifier = Notifier(self.outbox, self.channels, self.units)
        self.records = RecordService(self.db, self.clock)

    async def start(self, *, migrate: bool = True) -> None:
        """Upgrade the schema, seed configuration data, warm caches."""
        if migrate:
            await self.db.upgrade()
        await self.sectors.seed()
        await self.channels.load()

    async def stop(self) -> None:
        await self.db.dispose()
