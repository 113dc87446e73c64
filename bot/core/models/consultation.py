"""The annual consultation plan (年度协商计划): plan items made of topics (议题), what happens to
them (activities, results, 批示, follow-up), and the office's work news (政协动态).

A plan item's `public` and a news item's `status` are what a reader for the web board filters
on: only public plan items, only published news (see bot/core/consultation/queries.py)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class PlanItem(SQLModel, table=True):
    """A topic taken into the year's consultation plan, numbered within its form
    (专题协商第2项), with who leads and answers for it and by when."""

    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("year", "form", "form_number", name="uq_plan_item_number"),
        UniqueConstraint("record_id", name="uq_plan_item_record"),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")  # the topic (议题)
    year: int = Field(index=True)  # the plan's year
    form: str = Field(max_length=32)  # 专题协商, 常委会议协商 ...
    form_number: int
    title: str = Field(max_length=200)
    public: bool = True  # False: a privately submitted topic without a title given by staff
    lead_leader: str = Field(max_length=64)  # 牵头领导
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # 责任部门, when registered
    unit_name: str = Field(max_length=128)
    responsible_name: str = Field(default="", max_length=64)  # 责任人
    responsible_user_id: str | None = Field(default=None, max_length=64)
    due_date: date = Field(sa_column=Column(Date, nullable=False, index=True))  # 完成时限
    planned_at: datetime = utc_field()
    planned_by: str = Field(default="", max_length=64)
    closed_at: datetime | None = utc_field(nullable=True)


class PlanEntryKind(StrEnum):
    ACTIVITY = "activity"  # 调研 / 座谈 / 视察 ...
    RESULT = "result"  # 建议案 / 报告
    INSTRUCTION = "instruction"  # 领导批示
    FOLLOW_UP = "follow_up"  # 跟踪落实 / 反馈问效
    CLOSE = "close"  # 办结

    @property
    def label(self) -> str:
        return {
            "activity": "活动",
            "result": "成果",
            "instruction": "批示",
            "follow_up": "落实",
            "close": "办结",
        }[self.value]


class PlanEntry(SQLModel, table=True):
    """One thing recorded on a plan item: an activity (with its date and who took part), a
    result (with its files), a leader's 批示, a follow-up, the closing."""

    __tablename__ = "plan_entry"

    id: int | None = Field(default=None, primary_key=True)
    plan_item_id: int = Field(foreign_key="plan_item.id", index=True)
    kind: str = Field(max_length=16)  # PlanEntryKind
    subtype: str = Field(default="", max_length=32)  # 调研 / 座谈 / 建议案 / 调研报告 ...
    on_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    participants: str = Field(default="")
    content: str = Field(default="")
    attachments: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    at: datetime = utc_field(index=True)
    actor_user_id: str = Field(default="", max_length=64)
    actor_name: str = Field(default="", max_length=64)


class NewsStatus(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class NewsItem(SQLModel, table=True):
    """A piece of work news (政协动态) posted by staff: shown in the next daily digest and, once
    the board lists it, on its news page; withdrawn items are shown nowhere."""

    __tablename__ = "news_item"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(default="")
    images: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(default=NewsStatus.PUBLISHED, max_length=16, index=True)
    author_user_id: str = Field(max_length=64)
    author_name: str = Field(default="", max_length=64)
    source: str = Field(default="", max_length=80)  # group:123 | private
    created_at: datetime = utc_field(index=True)
    withdrawn_at: datetime | None = utc_field(nullable=True)
    withdrawn_by: str = Field(default="", max_length=64)
