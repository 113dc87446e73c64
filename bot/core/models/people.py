"""Members (委员), staff (机关工作人员) and sectors (界别)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class Member(SQLModel, table=True):
    """A person the bot knows: a CPPCC member, a staff person, or both.

    `is_member` marks a CPPCC member (委员); `is_staff` marks office staff (机关). Superusers come
    from configuration, unit contacts from `UnitContact`.
    """

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_member_platform_user"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64, index=True)
    name: str = Field(max_length=64)
    sector: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, max_length=64)  # 职务, e.g. 常委
    committee: str | None = Field(default=None, max_length=64)  # 专委会
    is_member: bool = True
    is_staff: bool = False
    active: bool = True
    source: str = Field(default="roster", max_length=16)  # roster | group_card | command
    created_at: datetime = utc_field()
    updated_at: datetime = utc_field()


class Sector(SQLModel, table=True):
    """A sector (界别); seeded from data/sectors.txt, editable per county."""

    __tablename__ = "sector"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    aliases: str = Field(default="", max_length=255)  # comma-separated short names
    sort_order: int = 0
    active: bool = True
