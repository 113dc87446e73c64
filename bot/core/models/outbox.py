"""The outbox: every message the bot starts is a row here before it is sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried at next_attempt_at)
    SENDING = "sending"  # handed to the client; outcome not yet known
    SENT = "sent"
    FAILED = "failed"  # permanent failure (recorded and reported to staff once)
    # The outcome of the last call is unknown (timed out twice, or the process died during the
    # call of a group message, or of a one-to-one message already sent once more) and it is not
    # tried again (see bot/core/delivery/sender.py).
    UNCERTAIN = "uncertain"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_status_id", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    bot_id: str | None = Field(default=None, max_length=64)  # None: any connected bot account
    target_type: str = Field(max_length=16)  # group | private
    target_id: str = Field(max_length=64)
    via_group_id: str | None = Field(
        default=None, max_length=64
    )  # temporary session through a group
    # platform-neutral parts: [{"type": "text", "text": ...}, {"type": "mention", "user_id": ...}]
    parts: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    as_forward: bool = False  # send as a forward message (digests with many items)
    purpose: str = Field(default="notice", max_length=32)  # notice | reminder | digest | relay ...
    dedup_key: str | None = Field(default=None, max_length=200, unique=True)
    record_id: int | None = Field(default=None, foreign_key="record.id", index=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = utc_field()
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = utc_field()
    sent_at: datetime | None = utc_field(nullable=True)
    sent_message_id: str | None = Field(default=None, max_length=64)
    # Delivery bookkeeping (the sender's; see bot/core/delivery/sender.py):
    chunks_sent: int = 0  # a long message goes as several calls; how many are delivered
    timeouts: int = 0  # calls that ended with an unknown outcome (resent at most once)
    claimed_by: str | None = Field(default=None, max_length=64)  # account of the last call
    claimed_at: datetime | None = utc_field(nullable=True)
    reported_at: datetime | None = utc_field(nullable=True)  # failure told to staff
    # A group message whose send failed for good through this account and was handed, once, to
    # another connected account in the group (claimed_by then names the one that sent it).
    rerouted_from: str | None = Field(default=None, max_length=64)
