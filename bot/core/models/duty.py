"""Duty points (履职积分) that staff record by hand for items of the county's point table
(data/duty_points.toml) that the bot cannot see itself: meetings, inspections, research."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class DutyEntry(SQLModel, table=True):
    """One recorded item for one member: ``count`` times the item's points of the table."""

    __tablename__ = "duty_entry"
    __table_args__ = (Index("ix_duty_entry_year_user", "year", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64)
    year: int
    item: str = Field(max_length=64)  # the item's name in the point table
    count: int = 1
    note: str = Field(default="", max_length=200)
    recorded_by: str = Field(default="", max_length=64)
    recorded_at: datetime = utc_field()
