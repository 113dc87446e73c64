"""Events already handled, so a re-delivered message is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class SeenEvent(SQLModel, table=True):
    """A message whose effects are committed. QQ numbers messages per chat, so the key is the
    bot account, the chat (``group:<id>`` or ``private:<user id>``) and the message id.
    ``chat`` is empty for rows written before the chat was part of the key (they match the
    message id in any chat until they are pruned)."""

    __tablename__ = "seen_event"
    __table_args__ = (UniqueConstraint("self_id", "chat", "message_id", name="uq_seen_event_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    self_id: str = Field(max_length=64)
    chat: str = Field(default="", max_length=80)
    message_id: str = Field(max_length=64)
    seen_at: datetime = utc_field(index=True)
