"""What the public leaves on the board (公众参与): comments on plan items and topics, topic
suggestions, proposal tips (提案线索) and ratings of a proposal's handling (网民满意度), and
the key that signs the board's forms.

Comments and tips are held for review (`pending`) and shown only once `approved`; `client` is
the submitting address hashed with the form key (never the address itself), which is what the
per-address rate limit counts; `visitor` on a rating is the random cookie id hashed with it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return {"pending": "待审核", "approved": "已通过", "hidden": "已隐藏"}[self.value]


class CommentTarget(StrEnum):
    TOPIC = "topic"  # a topic open for suggestions
    PLAN = "plan"  # a plan item (its topic's record_id, and plan_item_id)
    SUGGESTION = "suggestion"  # a topic suggested by the public (record_id once approved)


class PublicComment(SQLModel, table=True):
    __tablename__ = "public_comment"

    id: int | None = Field(default=None, primary_key=True)
    target: str = Field(max_length=16)  # CommentTarget
    record_id: int | None = Field(default=None, foreign_key="record.id", index=True)
    plan_item_id: int | None = Field(default=None, foreign_key="plan_item.id")
    title: str = Field(default="", max_length=100)  # a suggestion's topic
    body: str = Field(default="")
    name: str = Field(default="", max_length=40)
    contact: str = Field(default="", max_length=60)
    status: str = Field(default=ReviewStatus.PENDING, max_length=16, index=True)
    client: str = Field(max_length=64, index=True)
    created_at: datetime = utc_field(index=True)
    notified_at: datetime | None = utc_field(nullable=True)
    reviewed_at: datetime | None = utc_field(nullable=True)
    reviewed_by: str = Field(default="", max_length=64)


class PublicTip(SQLModel, table=True):
    """A proposal tip (提案线索, shown as L12): a matter, where, a suggestion."""

    __tablename__ = "public_tip"

    id: int | None = Field(default=None, primary_key=True)
    matter: str = Field(max_length=100)
    place: str = Field(default="", max_length=100)
    suggestion: str = Field(default="")
    category: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=40)
    contact: str = Field(default="", max_length=60)
    status: str = Field(default=ReviewStatus.PENDING, max_length=16, index=True)
    client: str = Field(max_length=64, index=True)
    created_at: datetime = utc_field(index=True)
    notified_at: datetime | None = utc_field(nullable=True)
    reviewed_at: datetime | None = utc_field(nullable=True)
    reviewed_by: str = Field(default="", max_length=64)
    taken_record_id: int | None = Field(default=None, foreign_key="record.id")  # #提案 … 线索 L12


class RatingValue(StrEnum):
    SATISFIED = "满意"
    BASIC = "基本满意"
    UNSATISFIED = "不满意"


class PublicRating(SQLModel, table=True):
    """A visitor's rating of a proposal's handling: at most one per visitor, proposal and day."""

    __tablename__ = "public_rating"
    __table_args__ = (
        UniqueConstraint("record_id", "visitor", "day", name="uq_public_rating_visitor_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    visitor: str = Field(max_length=64)
    day: date = Field(sa_column=Column(Date, nullable=False))  # the local calendar day
    value: str = Field(max_length=8)  # RatingValue
    client: str = Field(max_length=64, index=True)
    created_at: datetime = utc_field(index=True)


class FormKey(SQLModel, table=True):
    """The secret that signs the board's form tokens, made once and shared by every process."""

    __tablename__ = "form_key"

    name: str = Field(primary_key=True, max_length=32)
    secret: str = Field(max_length=128)
    created_at: datetime = utc_field()
