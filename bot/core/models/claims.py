"""The superuser who claimed a fresh install with the one-time code from the start-up log."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class SuperuserClaim(SQLModel, table=True):
    """One row at most (``slot`` is always 1): only the first claim counts. The person is a
    superuser in addition to the configured SUPERUSERS, never instead of them."""

    __tablename__ = "superuser_claim"

    slot: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64)
    claimed_at: datetime = utc_field()
