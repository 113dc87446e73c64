"""Channel bindings: which QQ group plays which part."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class ChannelKind(StrEnum):
    WHOLE = "whole"  # 全体群
    SECTOR = "sector"  # 界别群
    STAFF = "staff"  # 机关群
    UNIT = "unit"  # 承办单位群

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[ChannelKind, str] = {
    ChannelKind.WHOLE: "全体群",
    ChannelKind.SECTOR: "界别群",
    ChannelKind.STAFF: "机关群",
    ChannelKind.UNIT: "承办单位群",
}


class ChannelBinding(SQLModel, table=True):
    __tablename__ = "channel_binding"
    __table_args__ = (UniqueConstraint("platform", "group_id", name="uq_binding_platform_group"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    group_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    sector: str | None = Field(default=None, max_length=64)
    group_name: str = Field(default="", max_length=128)
    bound_by: str = Field(max_length=64)
    bound_at: datetime = utc_field()
