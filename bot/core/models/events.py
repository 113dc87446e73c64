"""Events already handled, so a re-delivered message is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class SeenEvent(SQLModel, table=True):
    __tablename__ = "seen_event"
    __table_args__ = (UniqueConstraint("self_id", "message_id", name="uq_seen_event"),)

    id: int | None = Field(default=None, primary_key=True)
    self_id: str = Field(max_length=64)
    message_id: str = Field(max_length=64)
    seen_at: datetime = utc_field(index=True)
