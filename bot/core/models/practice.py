"""Handling as real offices run it (issue 14 items 1–5): 办理协商 (consultation with the
proposer), 提案质量 (the unit's quality rating of a proposal), 督办领导 (key proposals'
supervising leaders), 回头看 (the yearly look-back at B answers) and 优秀提案."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class ConsultationMethod(StrEnum):
    """How the unit consulted the proposer (办理协商)."""

    MEETING = "meeting"  # 面商
    PHONE = "phone"  # 电话
    FORUM = "forum"  # 座谈
    SURVEY = "survey"  # 调研

    @property
    def label(self) -> str:
        return CONSULTATION_LABELS[self]


CONSULTATION_LABELS: dict[ConsultationMethod, str] = {
    ConsultationMethod.MEETING: "面商",
    ConsultationMethod.PHONE: "电话",
    ConsultationMethod.FORUM: "座谈",
    ConsultationMethod.SURVEY: "调研",
}


class Consultation(SQLModel, table=True):
    """A contact of the handling unit with the proposer before answering (沟通 17 面商 …)."""

    __tablename__ = "consultation"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    round: int = 1
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    method: str = Field(max_length=16)  # ConsultationMethod
    held_on: date = Field(sa_column=Column(Date, nullable=False))
    content: str = Field(default="")
    recorded_by: str = Field(default="", max_length=64)
    recorded_at: datetime = utc_field()


class QualityGrade(StrEnum):
    """The lead unit's rating of a proposal's quality (双向评价: 优秀 ≥ 90, 良好 75–89, 一般 60–74)."""

    EXCELLENT = "excellent"  # 优秀
    GOOD = "good"  # 良好
    FAIR = "fair"  # 一般

    @property
    def label(self) -> str:
        return {"excellent": "优秀", "good": "良好", "fair": "一般"}[self.value]


class QualityRating(SQLModel, table=True):
    """提案质量 17 优秀|良好|一般 [意见]: one per proposal (a later rating replaces it);
    shown to staff only."""

    __tablename__ = "quality_rating"
    __table_args__ = (UniqueConstraint("record_id", name="uq_quality_rating"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    grade: str = Field(max_length=16)  # QualityGrade
    opinion: str = Field(default="")
    rated_by: str = Field(default="", max_length=64)
    rated_at: datetime = utc_field()


class KeySupervision(SQLModel, table=True):
    """A key proposal's supervising leader (重点 17 督办 某副主席 [牵头 县发改局])."""

    __tablename__ = "key_supervision"
    __table_args__ = (UniqueConstraint("record_id", name="uq_key_supervision"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    leader: str = Field(max_length=64)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # 牵头 unit
    set_by: str = Field(default="", max_length=64)
    set_at: datetime = utc_field()


class LookbackOutcome(StrEnum):
    """What became of a B answer's promise (回头看)."""

    RESOLVED = "resolved"  # 已解决
    ONGOING = "ongoing"  # 仍在办理
    NOT_DONE = "not_done"  # 未落实

    @property
    def label(self) -> str:
        return {"resolved": "已解决", "ongoing": "仍在办理", "not_done": "未落实"}[self.value]


class Lookback(SQLModel, table=True):
    """One proposal's look-back in one year (the year it runs; the answer is from the year
    before): asked of the lead unit by the yearly job, answered with 回头看 17 已解决 …"""

    __tablename__ = "lookback"
    __table_args__ = (UniqueConstraint("record_id", "year", name="uq_lookback"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    year: int = Field(index=True)
    answer_id: int | None = Field(default=None, foreign_key="answer.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    asked_at: datetime | None = utc_field(nullable=True)
    outcome: str | None = Field(default=None, max_length=16)  # LookbackOutcome
    content: str = Field(default="")
    answered_by: str = Field(default="", max_length=64)
    answered_at: datetime | None = utc_field(nullable=True)


class ExcellentProposal(SQLModel, table=True):
    """优秀提案 17 [理由]: one of the year's best proposals (``year``: the selection year)."""

    __tablename__ = "excellent_proposal"
    __table_args__ = (UniqueConstraint("record_id", name="uq_excellent_proposal"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    year: int = Field(index=True)
    reason: str = Field(default="")
    marked_by: str = Field(default="", max_length=64)
    marked_at: datetime = utc_field()
