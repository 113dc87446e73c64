"""Links to the progress board (BOARD_URL) in digests: the board's home in the monthly staff
digest; each new filed proposal's page in the daily digest, only when the board is public
(BOARD_PUBLIC). Few links, one domain (FIELD-NOTES: QQ flags link-heavy messages)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Record, RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.stats import ACCEPTED_STATES

#: Filed proposals the board shows a page for (a merged one is shown through the other).
ON_THE_BOARD = ACCEPTED_STATES - {RecordStatus.MERGED}


@dataclass(frozen=True)
class BoardLinks:
    url: str = ""
    public: bool = False

    def home(self) -> str | None:
        return self.url.rstrip("/") or None

    def record(self, record: Record) -> str | None:
        """``BOARD_URL/proposals/2026/17`` for a filed proposal, when the board is public."""
        home = self.home()
        if (
            home is None
            or not self.public
            or record.kind != RecordKind.PROPOSAL
            or record.source_kind == "private"
            or record.status not in ON_THE_BOARD
        ):
            return None
        return f"{home}/proposals/{record.year}/{record.number}"
