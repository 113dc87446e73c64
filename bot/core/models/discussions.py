"""Temporary discussion groups (临时讨论组, ``D3``): rooms the bot keeps itself, their
participants and everything said in them (the transcript, kept for staff)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class DiscussionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Discussion(SQLModel, table=True):
    """One discussion; its id is its number (``D3`` is id 3)."""

    __tablename__ = "discussion"
    __table_args__ = (Index("ix_discussion_due", "status", "ends_at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    topic: str = Field(max_length=200)
    creator_user_id: str = Field(max_length=64)
    creator_name: str = Field(default="", max_length=64)
    #: The members' group it was opened in (None: opened privately).
    origin_group_id: str | None = Field(default=None, max_length=64)
    #: A record it is about (staff: ``#讨论 关于第17号提案 …``).
    about_record_id: int | None = Field(default=None, foreign_key="record.id")
    #: The proposal it became (``讨论转提案``).
    proposal_id: int | None = Field(default=None, foreign_key="record.id")
    status: str = Field(default=DiscussionStatus.OPEN, max_length=16)
    message_count: int = 0
    created_at: datetime = utc_field()
    ends_at: datetime = utc_field()
    #: The one-hour warning was queued.
    warned_at: datetime | None = utc_field(nullable=True)
    closed_at: datetime | None = utc_field(nullable=True)
    closed_by: str = Field(default="", max_length=64)  # user id, or "timeout"


class DiscussionParticipant(SQLModel, table=True):
    __tablename__ = "discussion_participant"
    __table_args__ = (
        UniqueConstraint("discussion_id", "user_id", name="uq_discussion_participant"),
        Index("ix_discussion_participant_user", "platform", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    discussion_id: int = Field(foreign_key="discussion.id")
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64)
    name: str = Field(default="", max_length=64)
    joined_at: datetime = utc_field()
    #: Left (``退出 D3``): nothing is relayed to them any more.
    left_at: datetime | None = utc_field(nullable=True)
    #: Chosen with ``进入 D3``: their private messages go here (the latest choice wins).
    chosen_at: datetime | None = utc_field(nullable=True)
    #: Could not be reached one-to-one; the creator was told (once).
    unreachable_at: datetime | None = utc_field(nullable=True)


class DiscussionMessage(SQLModel, table=True):
    """One message said in a discussion (the transcript)."""

    __tablename__ = "discussion_message"
    __table_args__ = (Index("ix_discussion_message_discussion", "discussion_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    discussion_id: int = Field(foreign_key="discussion.id")
    user_id: str = Field(max_length=64)
    name: str = Field(default="", max_length=64)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    #: The relayed parts (text, image, file), platform-neutral.
    parts: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    #: Whose message this one quoted (a reply), by name.
    reply_to_name: str | None = Field(default=None, max_length=64)
    created_at: datetime = utc_field()
