"""What happened to each synthetic record up to the data's "now": a story of dated steps.

A step dated after "now" has not happened yet, so a proposal from last week is still 已提交, one
from three months ago is being handled (some overdue), and last year's are mostly 已办结.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.clock import to_local
from bot.core.models import RecordStatus
from bot.core.schedule.deadlines import add_months

if TYPE_CHECKING:
    import random

    from bot.devtools.synth.people import Person

ANSWER_TEXT = {
    "A": "经研究，所提问题已基本解决：已安排专项资金，相关工作已完成。",
    "B": "所提建议已列入明年工作计划，正在分步实施，预计年内完成主要任务。",
    "C": "因财力和政策条件所限，暂难实施，留作今后工作参考。",
}
PROGRESS_TEXT = "已与提案人面商，组织实地调研，正在起草办理方案。"
REJECT_TEXT = "不符合立案要求：属于个人事务或缺少具体建议。"


@dataclass
class Story:
    """A record's dated steps up to ``now``: timeline rows and its status at the end."""

    record_id: int
    now: datetime
    at: datetime
    status: str = RecordStatus.SUBMITTED
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def step(
        self,
        after: timedelta,
        action: str,
        actor: Person,
        to_status: str | None = None,
        detail: str = "",
        *,
        public: bool = True,
    ) -> bool:
        """Take the step ``after`` the previous one, unless that is later than ``now``."""
        at = self.at + after
        if at > self.now:
            return False
        self.at = at
        self.timeline.append(
            {"record_id": self.record_id, "at": at, "actor_user_id": actor.user_id,
             "actor_name": actor.name, "action": action, "from_status": self.status,
             "to_status": to_status or self.status, "detail": detail, "public": public,
             "source": "group:800000002" if actor.sector is None else "private"}
        )  # fmt: skip
        if to_status is not None:
            self.status = to_status
        return True


def days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


@dataclass
class Handling:
    """The rows a proposal's handling writes besides its timeline."""

    assignments: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    round: int = 1


def handle_round(
    rng: random.Random,
    story: Story,
    handling: Handling,
    units: list[tuple[int, str, Person]],
    staff: Person,
    proposer: Person,
) -> str | None:
    """One round: 交办, maybe 进展, 答复, maybe 评价. The evaluation result, if any."""
    round_ = handling.round
    if not story.step(days(rng, 1, 12), "assign", staff, RecordStatus.ASSIGNED, units[0][1]):
        return None
    assigned = story.at
    due = add_months(to_local(assigned).date(), 3)
    rows = [
        {"record_id": story.record_id, "round": round_, "unit_id": unit_id,
         "role": "lead" if i == 0 else "assisting", "due_date": due, "deadline_reason": "",
         "assigned_at": assigned, "assigned_by": staff.user_id, "answered_at": None}
        for i, (unit_id, _, _) in enumerate(units)
    ]  # fmt: skip
    handling.assignments.extend(rows)
    contact = units[0][2]
    if rng.random() < 0.6:
        story.step(days(rng, 10, 50), "progress", contact, RecordStatus.IN_PROGRESS, PROGRESS_TEXT)
    # most answer within the three months, a quarter late
    if not story.step(assigned + days(rng, 35, 115) - story.at, "answer", contact):
        return None
    category = rng.choices("ABC", (0.32, 0.45, 0.23))[0]
    story.status = RecordStatus.ANSWERED
    story.timeline[-1].update(to_status=RecordStatus.ANSWERED, detail=f"{category}类")
    for row in rows:
        row["answered_at"] = story.at
    handling.answers.append(
        {"record_id": story.record_id, "round": round_, "unit_id": units[0][0],
         "category": category, "content": ANSWER_TEXT[category], "answered_at": story.at,
         "answered_by": contact.user_id,
         "evaluation_due": to_local(story.at).date() + timedelta(days=21)}
    )  # fmt: skip
    if rng.random() > 0.88:
        return None  # never evaluated: concluded once the window closes
    result = rng.choices(("satisfied", "basically_satisfied", "unsatisfied"), (0.74, 0.22, 0.04))[0]
    # 不满意 in the first round reopens it (重新办理); a second 不满意 does not
    again = result == "unsatisfied" and round_ == 1
    target = RecordStatus.REHANDLING if again else RecordStatus.EVALUATED
    if not story.step(days(rng, 1, 25), "evaluate", proposer, target, result):
        return None
    handling.evaluations.append(
        {"record_id": story.record_id, "round": round_, "result": result,
         "opinion": "", "user_id": proposer.user_id, "evaluated_at": story.at}
    )  # fmt: skip
    return result


def proposal_story(
    rng: random.Random,
    story: Story,
    units: list[tuple[int, str, Person]],
    staff: Person,
    proposer: Person,
    merge_target: int | None,
) -> tuple[Handling, dict[str, Any]]:
    """A proposal from 已提交 to wherever it is by ``now``; its handling rows and record fields
    the story decides (is_key, round, merged_into_id)."""
    handling = Handling()
    fields: dict[str, Any] = {"is_key": False, "round": 1, "merged_into_id": None}
    roll = rng.random()
    if roll < 0.025:
        story.step(days(rng, 0.05, 3), "withdraw", proposer, RecordStatus.WITHDRAWN)
        return handling, fields
    review = days(rng, 2, 25)
    if roll < 0.085:
        story.step(review, "reject", staff, RecordStatus.REJECTED, REJECT_TEXT)
        return handling, fields
    if roll < 0.11 and merge_target is not None:
        if story.step(review, "merge", staff, RecordStatus.MERGED, f"并入记录{merge_target}"):
            fields["merged_into_id"] = merge_target
        return handling, fields
    if not story.step(review, "accept", staff, RecordStatus.ACCEPTED):
        return handling, fields
    if rng.random() < 0.015:
        fields["is_key"] = True
        story.step(timedelta(hours=2), "key", staff, detail="列为重点提案")
    result = handle_round(rng, story, handling, units, staff, proposer)
    if result is not None and story.status == RecordStatus.REHANDLING:
        handling.round = fields["round"] = 2
        handle_round(rng, story, handling, units, staff, proposer)
    if story.status in (RecordStatus.ANSWERED, RecordStatus.EVALUATED):
        wait = days(rng, 1, 20) if story.status == RecordStatus.EVALUATED else days(rng, 25, 40)
        story.step(wait, "conclude", staff, RecordStatus.CONCLUDED)
    return handling, fields


def opinion_story(rng: random.Random, story: Story, staff: Person, proposer: Person) -> None:
    """An opinion lead: 采用 / 未采用, then 报送, 批示, 落实 for some."""
    roll = rng.random()
    if roll < 0.03:
        story.step(days(rng, 0.05, 3), "withdraw", proposer, RecordStatus.WITHDRAWN)
        return
    if roll < 0.38:
        story.step(days(rng, 3, 30), "not_adopt", staff, RecordStatus.NOT_ADOPTED)
        return
    if not story.step(days(rng, 3, 30), "adopt", staff, RecordStatus.ADOPTED):
        return
    if rng.random() < 0.6 and story.step(
        days(rng, 5, 30), "submit_up", staff, RecordStatus.SUBMITTED_UP, "报送市委办公室"
    ):
        if rng.random() < 0.25 and story.step(
            days(rng, 10, 60), "instruction", staff, RecordStatus.INSTRUCTED, "请相关部门研究办理"
        ):
            if rng.random() < 0.5:
                story.step(days(rng, 30, 120), "implement", staff, RecordStatus.IMPLEMENTED)
