"""What the intake services take and give back: where a post came from, and the results that
the texts (bot/core/intake/texts.py) turn into replies. Plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.core.models import Answer, Cosign, Record, RecordStatus, TimelineEntry

COSIGN_OPEN: frozenset[str] = frozenset({RecordStatus.SUBMITTED, RecordStatus.ACCEPTED})
"""Statuses in which a record still takes co-signers (before it is handed to a unit)."""


@dataclass(frozen=True)
class Source:
    """Where a post or command came from."""

    kind: Literal["group", "private"]
    group_id: str | None = None
    message_id: str | None = None
    group_sector: str | None = None
    """The sector of a sector group (界别群), used when the member's own sector is unknown."""
    platform: str = "qq"
    origin: str | None = None
    """Where the post was drafted, for the timeline (e.g. ``来自讨论组D3``)."""

    @classmethod
    def group(
        cls, group_id: str, message_id: str | None = None, *, sector: str | None = None
    ) -> Source:
        return cls("group", str(group_id), message_id, sector)

    @classmethod
    def private(cls, message_id: str | None = None) -> Source:
        return cls("private", None, message_id)

    @property
    def label(self) -> str:
        """For the timeline: `group:123` or `private`."""
        return f"group:{self.group_id}" if self.kind == "group" else "private"

    @property
    def is_private(self) -> bool:
        return self.kind == "private"


@dataclass(frozen=True)
class SimilarRecord:
    record: Record
    score: float


@dataclass
class SubmitResult:
    record: Record
    duplicate: bool = False
    similar: list[SimilarRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cosigners: list[Cosign] = field(default_factory=list)
    """Co-signers named in the post (invited, pending until they confirm)."""
    mentions_all: bool = False
    """The post held an @全体成员 (never acted on)."""
    similar_checked: bool = True
    """False when the similarity index was not ready yet (at start-up of a large database)."""


class CosignOutcome(StrEnum):
    ADDED = "added"  # a new co-signer (附议)
    CONFIRMED = "confirmed"  # an invited co-signer confirmed
    ALREADY = "already"  # counted before


@dataclass
class CosignResult:
    record: Record
    outcome: CosignOutcome
    confirmed: int
    """Confirmed co-signers (supporters, for a topic) after this one."""


@dataclass
class RecordDetail:
    record: Record
    cosigns: list[Cosign]
    timeline: list[TimelineEntry]
    internal: bool
    """The asker sees non-public timeline entries (staff, or a contact of an assigned unit)."""


@dataclass
class Overview:
    """What `我的` shows: my records, what I co-signed, and what waits for me."""

    submitted: list[Record]
    submitted_total: int
    cosigned: list[Record]
    invitations: list[Record]
    awaiting_evaluation: list[tuple[Record, Answer]]
    hidden_private: int = 0
    """Records left out because they were submitted privately and the asker is in a group."""
