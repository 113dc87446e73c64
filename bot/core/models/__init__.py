"""All table models; importing this package registers them on SQLModel.metadata."""

from bot.core.models.channels import CHANNEL_LABELS, ChannelBinding, ChannelKind
from bot.core.models.claims import SuperuserClaim
from bot.core.models.consultation import (
    NewsItem,
    NewsStatus,
    PlanEntry,
    PlanEntryKind,
    PlanItem,
)
from bot.core.models.counters import ChangeVersion, RecordCounter
from bot.core.models.delivery import (
    DigestKind,
    DigestRun,
    DigestRunStatus,
    DigestSchedule,
    MemberGroup,
    ReminderLog,
    UnreachableNotice,
)
from bot.core.models.discussions import (
    Discussion,
    DiscussionMessage,
    DiscussionParticipant,
    DiscussionStatus,
)
from bot.core.models.duty import DutyEntry
from bot.core.models.events import SeenEvent
from bot.core.models.leases import Lease
from bot.core.models.outbox import OutboxMessage, OutboxStatus
from bot.core.models.people import Member, Sector
from bot.core.models.practice import (
    Consultation,
    ConsultationMethod,
    ExcellentProposal,
    KeySupervision,
    Lookback,
    LookbackOutcome,
    QualityGrade,
    QualityRating,
)
from bot.core.models.public import (
    CommentTarget,
    FormKey,
    PublicComment,
    PublicRating,
    PublicTip,
    RatingValue,
    ReviewStatus,
)
from bot.core.models.records import (
    STATUS_LABELS,
    Answer,
    AnswerCategory,
    Assignment,
    AssignmentRole,
    Cosign,
    CosignStatus,
    Evaluation,
    EvaluationResult,
    MessageLink,
    Record,
    RecordStatus,
    RecordTerms,
    TimelineEntry,
)
from bot.core.models.units import Unit, UnitContact

__all__ = [
    "CHANNEL_LABELS",
    "STATUS_LABELS",
    "Answer",
    "AnswerCategory",
    "Assignment",
    "AssignmentRole",
    "ChangeVersion",
    "ChannelBinding",
    "ChannelKind",
    "CommentTarget",
    "Consultation",
    "ConsultationMethod",
    "Cosign",
    "CosignStatus",
    "DigestKind",
    "DigestRun",
    "DigestRunStatus",
    "DigestSchedule",
    "Discussion",
    "DiscussionMessage",
    "DiscussionParticipant",
    "DiscussionStatus",
    "DutyEntry",
    "Evaluation",
    "EvaluationResult",
    "ExcellentProposal",
    "FormKey",
    "KeySupervision",
    "Lease",
    "Lookback",
    "LookbackOutcome",
    "Member",
    "MemberGroup",
    "MessageLink",
    "NewsItem",
    "NewsStatus",
    "OutboxMessage",
    "OutboxStatus",
    "PlanEntry",
    "PlanEntryKind",
    "PlanItem",
    "PublicComment",
    "PublicRating",
    "PublicTip",
    "QualityGrade",
    "QualityRating",
    "RatingValue",
    "Record",
    "RecordCounter",
    "RecordStatus",
    "RecordTerms",
    "ReminderLog",
    "ReviewStatus",
    "Sector",
    "SeenEvent",
    "SuperuserClaim",
    "TimelineEntry",
    "Unit",
    "UnitContact",
    "UnreachableNotice",
]
