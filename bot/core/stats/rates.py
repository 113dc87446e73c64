"""The figures' shapes: :class:`Rate`, :class:`ProposalStats`, :class:`OpinionStats`,
:class:`UnitPerformance`, and the sets of states they count (definitions: bot/core/stats)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.core.models import RecordStatus

ACCEPTED_STATES = frozenset(
    {
        RecordStatus.ACCEPTED,
        RecordStatus.MERGED,
        RecordStatus.ASSIGNED,
        RecordStatus.IN_PROGRESS,
        RecordStatus.ANSWERED,
        RecordStatus.EVALUATED,
        RecordStatus.REHANDLING,
        RecordStatus.CONCLUDED,
    }
)
ADOPTED_STATES = frozenset(
    {
        RecordStatus.ADOPTED,
        RecordStatus.SUBMITTED_UP,
        RecordStatus.INSTRUCTED,
        RecordStatus.IMPLEMENTED,
    }
)
#: Opinion leads that got a leader's instruction (批示), 落实 included.
INSTRUCTED_STATES = frozenset({RecordStatus.INSTRUCTED, RecordStatus.IMPLEMENTED})
#: States in which a unit still owes an answer.
OPEN_HANDLING = frozenset(
    {RecordStatus.ASSIGNED, RecordStatus.IN_PROGRESS, RecordStatus.REHANDLING}
)
ANSWER_CATEGORIES = ("A", "B", "C")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        """``93.2%``, or ``—`` when nothing was counted."""
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    def __str__(self) -> str:
        return f"{self.percent()}（{self.numerator}/{self.denominator}）"


@dataclass
class ProposalStats:
    year: int
    received: int = 0  # not withdrawn
    withdrawn: int = 0
    pending_review: int = 0  # 已提交, not yet reviewed
    accepted: int = 0  # 立案 (incl. merged)
    rejected: int = 0
    merged: int = 0  # 并案 (counted in accepted)
    assigned: int = 0
    answered: int = 0
    concluded: int = 0
    evaluated: int = 0  # latest evaluation per proposal
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    first_round_evaluated: int = 0
    first_round_ok: int = 0
    rehandled: int = 0  # proposals handled in a second round (重新办理)
    #: A/B/C (答复类别), each answered proposal's latest answer; not the proposal's 类别
    answer_categories: Counter[str] = field(default_factory=Counter)
    #: each answered proposal's latest answer, against its round's due date (答复时限)
    answered_on_time: int = 0
    answered_late: int = 0
    overdue: int = 0  # an open round past its due date, now
    answer_workdays_total: int = 0  # working days from 交办 to 答复, summed over answers
    answers_timed: int = 0  # answers (every round) with a known 交办 date

    @property
    def acceptance_rate(self) -> Rate:  # 立案率
        return Rate(self.accepted, self.received)

    @property
    def answer_rate(self) -> Rate:  # 办复率
        return Rate(self.answered, self.assigned)

    @property
    def on_time_rate(self) -> Rate:  # 按期答复率
        return Rate(self.answered_on_time, self.answered)

    @property
    def conclusion_rate(self) -> Rate:  # 办结率
        return Rate(self.concluded, self.assigned)

    @property
    def satisfaction_rate(self) -> Rate:  # 满意率 (满意 + 基本满意)
        return Rate(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def satisfied_rate(self) -> Rate:  # 满意 alone
        return Rate(self.satisfied, self.evaluated)

    @property
    def first_satisfaction_rate(self) -> Rate:  # 初次满意率
        return Rate(self.first_round_ok, self.first_round_evaluated)

    def answer_category_share(self, answer_category: str) -> Rate:  # A/B/C 占比
        counted = self.answer_categories
        return Rate(counted.get(answer_category, 0), sum(counted.values()))

    @property
    def average_working_days(self) -> float | None:  # 平均答复用时（工作日）
        return self.answer_workdays_total / self.answers_timed if self.answers_timed else None


@dataclass
class OpinionStats:
    year: int
    received: int = 0
    adopted: int = 0  # 采用 and beyond
    submitted_up: int = 0  # 报送 (at least once)
    instructed: int = 0  # 获批示 (at least once)
    implemented: int = 0  # 落实
    not_adopted: int = 0

    @property
    def adoption_rate(self) -> Rate:  # 采用率
        return Rate(self.adopted, self.received)


@dataclass(frozen=True)
class UnitPerformance:
    """One unit's handling (效能) in a year, as the lead unit (主办): see bot/core/stats."""

    unit: str
    assigned: int
    answered_on_time: int
    answered_late: int
    overdue_now: int
    a: int
    b: int
    c: int
    satisfaction: Rate
    average_working_days: float | None

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late
