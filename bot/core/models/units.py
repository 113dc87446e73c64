"""Handling units (承办单位) and their contact people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class Unit(SQLModel, table=True):
    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    aliases: str = Field(default="", max_length=255)
    active: bool = True
    created_at: datetime = utc_field()


class UnitContact(SQLModel, table=True):
    __tablename__ = "unit_contact"
    __table_args__ = (UniqueConstraint("unit_id", "platform", "user_id", name="uq_unit_contact"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64, index=True)
    name: str = Field(default="", max_length=64)
    created_at: datetime = utc_field()
