"""Records members post (proposals, opinion leads, topics) and everything that happens to them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Date, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.models.base import utc_field


class RecordStatus(StrEnum):
    # shared
    SUBMITTED = "submitted"  # 已提交
    WITHDRAWN = "withdrawn"  # 已撤回
    # proposals (提案)
    ACCEPTED = "accepted"  # 已立案
    REJECTED = "rejected"  # 不予立案
    MERGED = "merged"  # 已并案
    ASSIGNED = "assigned"  # 已交办
    IN_PROGRESS = "in_progress"  # 办理中
    ANSWERED = "answered"  # 已答复
    EVALUATED = "evaluated"  # 已评价
    REHANDLING = "rehandling"  # 重新办理
    CONCLUDED = "concluded"  # 已办结
    # opinion leads (社情民意信息)
    ADOPTED = "adopted"  # 已采用
    NOT_ADOPTED = "not_adopted"  # 未采用
    SUBMITTED_UP = "submitted_up"  # 已报送
    INSTRUCTED = "instructed"  # 获批示
    IMPLEMENTED = "implemented"  # 已落实
    # topics (议题); 获批示 and 已办结 are shared with the kinds above
    PLANNED = "planned"  # 已列入计划
    CONSULTING = "consulting"  # 协商中 (activities under way)
    RESULTED = "resulted"  # 已形成成果
    IMPLEMENTING = "implementing"  # 跟踪落实中
    NOT_PLANNED = "not_planned"  # 暂未列入计划 (may be planned later)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[RecordStatus, str] = {
    RecordStatus.SUBMITTED: "已提交",
    RecordStatus.WITHDRAWN: "已撤回",
    RecordStatus.ACCEPTED: "已立案",
    RecordStatus.REJECTED: "不予立案",
    RecordStatus.MERGED: "已并案",
    RecordStatus.ASSIGNED: "已交办",
    RecordStatus.IN_PROGRESS: "办理中",
    RecordStatus.ANSWERED: "已答复",
    RecordStatus.EVALUATED: "已评价",
    RecordStatus.REHANDLING: "重新办理",
    RecordStatus.CONCLUDED: "已办结",
    RecordStatus.ADOPTED: "已采用",
    RecordStatus.NOT_ADOPTED: "未采用",
    RecordStatus.SUBMITTED_UP: "已报送",
    RecordStatus.INSTRUCTED: "获批示",
    RecordStatus.IMPLEMENTED: "已落实",
    RecordStatus.PLANNED: "已列入计划",
    RecordStatus.CONSULTING: "协商中",
    RecordStatus.RESULTED: "已形成成果",
    RecordStatus.IMPLEMENTING: "跟踪落实中",
    RecordStatus.NOT_PLANNED: "暂未列入计划",
}


class Record(SQLModel, table=True):
    """A proposal (提案), an opinion lead (社情民意信息) or a topic (议题), numbered per year and kind."""

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("kind", "year", "number", name="uq_record_number"),
        Index("ix_record_proposer", "proposer_user_id", "created_at"),
        Index("ix_record_kind_status", "kind", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # RecordKind
    year: int  # numbering period (calendar year by default)
    number: int
    status: str = Field(default=RecordStatus.SUBMITTED, max_length=16)
    # who and where
    platform: str = Field(default="qq", max_length=16)
    proposer_user_id: str = Field(max_length=64)
    proposer_name: str = Field(max_length=64)
    proposer_sector: str | None = Field(default=None, max_length=64)
    source_kind: str = Field(default="group", max_length=16)  # group | private
    source_group_id: str | None = Field(default=None, max_length=64)
    source_message_id: str | None = Field(default=None, max_length=64, index=True)
    # content
    title: str = Field(max_length=200)
    body: str = Field(default="")
    content_hash: str = Field(default="", max_length=64, index=True)
    has_suggestion: bool = True
    category: str | None = Field(default=None, max_length=32)
    keywords: str = Field(default="", max_length=255)  # comma-separated
    attachments: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # workflow
    is_key: bool = False  # 重点提案 (supervised)
    round: int = 1  # handling round; 2 after 不满意 → 重新办理
    merged_into_id: int | None = Field(default=None, foreign_key="record.id")
    linked_record_id: int | None = Field(default=None, foreign_key="record.id")  # 不立案转社情民意
    created_at: datetime = utc_field(index=True)
    updated_at: datetime = utc_field()


class CosignStatus(StrEnum):
    PENDING = "pending"  # invited by the proposer, not yet confirmed
    CONFIRMED = "confirmed"
    LAPSED = "lapsed"  # invitation not confirmed in time

    @property
    def label(self) -> str:
        return {"pending": "待确认", "confirmed": "已确认", "lapsed": "已失效"}[self.value]


class Cosign(SQLModel, table=True):
    """A co-signer (联名/附议) of a record."""

    __tablename__ = "cosign"
    __table_args__ = (UniqueConstraint("record_id", "user_id", name="uq_cosign"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    platform: str = Field(default="qq", max_length=16)
    user_id: str = Field(max_length=64, index=True)
    name: str = Field(default="", max_length=64)
    status: str = Field(default=CosignStatus.PENDING, max_length=16)
    invited: bool = True  # named by the proposer (True) or joined by 附议 (False)
    created_at: datetime = utc_field()
    confirmed_at: datetime | None = utc_field(nullable=True)


class MessageLink(SQLModel, table=True):
    """A chat message that stands for a record: the post itself or the bot's confirmation, so that
    replying `附议` to either finds the record."""

    __tablename__ = "message_link"
    __table_args__ = (UniqueConstraint("platform", "message_id", name="uq_message_link"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(default="qq", max_length=16)
    message_id: str = Field(max_length=64)
    record_id: int = Field(foreign_key="record.id", index=True)
    role: str = Field(default="confirmation", max_length=16)  # post | confirmation | notice
    created_at: datetime = utc_field()


class TimelineEntry(SQLModel, table=True):
    """Every change to a record: who, when, what, from which chat."""

    __tablename__ = "timeline_entry"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    at: datetime = utc_field()
    actor_user_id: str = Field(default="", max_length=64)
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=32)  # e.g. submit, accept, assign, progress, answer, evaluate
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    detail: str = Field(default="")
    public: bool = True  # members see public steps; staff and the unit also see notes
    source: str = Field(default="", max_length=80)  # group:123 | private | system


class AssignmentRole(StrEnum):
    LEAD = "lead"  # 主办
    ASSISTING = "assisting"  # 会办


class Assignment(SQLModel, table=True):
    """A unit's part in handling a proposal in one round (交办)."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("record_id", "round", "unit_id", name="uq_assignment"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    round: int = 1
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: str = Field(default=AssignmentRole.LEAD, max_length=16)
    due_date: date = Field(sa_column=Column(Date, nullable=False, index=True))
    deadline_reason: str = Field(default="")
    assigned_at: datetime = utc_field()
    assigned_by: str = Field(default="", max_length=64)
    answered_at: datetime | None = utc_field(nullable=True)


class AnswerCategory(StrEnum):
    A = "A"  # 已解决或基本解决
    B = "B"  # 正在解决或列入计划
    C = "C"  # 因条件限制留作参考

    @property
    def label(self) -> str:
        return {
            "A": "A类（已解决或基本解决）",
            "B": "B类（正在解决或列入计划解决）",
            "C": "C类（因条件限制留作参考）",
        }[self.value]


class Answer(SQLModel, table=True):
    """A unit's answer (答复) to a proposal in one round."""

    __tablename__ = "answer"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    round: int = 1
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    category: str = Field(max_length=1)  # AnswerCategory
    content: str = Field(default="")
    answered_at: datetime = utc_field()
    answered_by: str = Field(default="", max_length=64)
    evaluation_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))


class EvaluationResult(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意

    @property
    def label(self) -> str:
        return {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}[
            self.value
        ]


class Evaluation(SQLModel, table=True):
    """The lead proposer's evaluation (评价) of a round's answer; once per round."""

    __tablename__ = "evaluation"
    __table_args__ = (UniqueConstraint("record_id", "round", name="uq_evaluation_round"),)

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    round: int = 1
    result: str = Field(max_length=24)  # EvaluationResult
    opinion: str = Field(default="")
    user_id: str = Field(max_length=64)
    evaluated_at: datetime = utc_field()
    #: The proposer's answer to "did the unit consult you?" (已沟通 / 未沟通); None: not said.
    consulted: bool | None = Field(default=None, nullable=True)


class RecordTerms(SQLModel, table=True):
    """A record's term weights for the similarity index, stored when the record is written, so
    that building the index at start reads them instead of cutting every text again (see
    bot/core/text/stored.py). Derived data: recomputed when the text or the dictionary changed
    (``digest`` / ``signature`` differ), and written for records that have none (lazily, by the
    index's build)."""

    __tablename__ = "record_terms"

    record_id: int = Field(foreign_key="record.id", primary_key=True)
    signature: str = Field(max_length=32)  # engine_signature(): dictionary, stop words, tokenizer
    digest: str = Field(max_length=32)  # of kind, title and body (content_digest, hex)
    terms: str = Field(default="")  # encode_weights(): JSON {term: count in halves}
