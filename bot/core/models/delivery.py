"""Delivery and schedules: where a member can be reached, digest schedules and runs, reminders sent."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class MemberGroup(SQLModel, table=True):
    """A person was seen speaking in a bound group: a group through which a temporary session
    (群临时会话) can reach them when they are not the bot account's friend."""

    __tablename__ = "member_group"
    __table_args__ = (
        UniqueConstraint("platform", "user_id", "group_id", name="uq_member_group"),
        Index("ix_member_group_user", "platform", "user_id", "last_seen_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64)
    group_id: str = Field(max_length=64)
    last_seen_at: datetime = utc_field()


class DigestKind(StrEnum):
    DAILY = "daily"  # 日报: whole-body groups, working days
    WEEKLY = "weekly"  # 周报: sector groups, the first working day of the week
    MONTHLY = "monthly"  # 月报: the staff group, the first working day of the month

    @property
    def label(self) -> str:
        return {"daily": "日报", "weekly": "周报", "monthly": "月报"}[self.value]


class DigestSchedule(SQLModel, table=True):
    """When a kind of digest is sent (local time, BOT_TIMEZONE); one row per kind."""

    __tablename__ = "digest_schedule"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, unique=True)  # DigestKind
    enabled: bool = True
    hour: int = 9
    minute: int = 0
    updated_by: str = Field(default="", max_length=64)
    updated_at: datetime = utc_field()


class DigestRunStatus(StrEnum):
    BUILDING = "building"  # claimed by a run that has not finished (or died)
    SENT = "sent"  # queued in the outbox
    EMPTY = "empty"  # nothing new: not sent


class DigestRun(SQLModel, table=True):
    """A digest of one kind for one channel and period: what makes a digest idempotent.

    ``period`` is ``2026-11-25`` (daily), ``2026-W47`` (weekly: the week covered), ``2026-11``
    (monthly: the month covered), or ``manual:<time>`` for `推送 立即`.
    """

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("kind", "group_id", "period", name="uq_digest_run"),
        Index("ix_digest_run_latest", "kind", "group_id", "window_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    platform: str = Field(default="qq", max_length=16)
    group_id: str = Field(max_length=64)
    period: str = Field(max_length=40)
    status: str = Field(default=DigestRunStatus.BUILDING, max_length=16)
    window_start: datetime = utc_field()
    window_end: datetime = utc_field()
    item_count: int = 0
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id")
    manual: bool = False
    created_at: datetime = utc_field()


class ReminderLog(SQLModel, table=True):
    """A reminder stage that was handled (sent, or found nobody to tell): each stage once."""

    __tablename__ = "reminder_log"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)  # e.g. remind:assign:12:d7
    record_id: int | None = Field(default=None, foreign_key="record.id", index=True)
    queued: int = 0  # messages queued for it (0: nobody could be told)
    created_at: datetime = utc_field()


class UnreachableNotice(SQLModel, table=True):
    """A one-to-one message that could not be delivered (not the bot's friend, no temporary
    session): one row per failed outbox row. ``group_id`` is where the person was @-ed to add
    the bot as a friend (at most once a day per person: ``noticed``), None when no group was
    @-ed (already told today, or no group known)."""

    __tablename__ = "unreachable_notice"
    __table_args__ = (Index("ix_unreachable_user", "platform", "user_id", "failed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64)
    outbox_id: int = Field(foreign_key="outbox_message.id", unique=True)
    purpose: str = Field(default="notice", max_length=32)
    failed_at: datetime = utc_field()
    group_id: str | None = Field(default=None, max_length=64)
    noticed: bool = False
