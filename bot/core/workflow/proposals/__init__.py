"""Handling proposals (提案): review, assignment with deadlines, answers, evaluation, conclusion.

One module per group of steps: review.py (立案 / 不立案 / 并案), handling.py (交办 / 进展 / 答复),
closing.py (评价 / 办结 / 重点); handling as real offices run it (issue 14): consultation.py
(沟通), quality.py (提案质量), supervision.py (重点 … 督办 leader, 督办, 重点 候选), lookback.py
(回头看, 重新办理 of C answers), excellent.py (优秀提案), practice_read.py (what stats, duty
points and the board read of them), practice_texts.py; texts.py (what members, staff and the asker are told),
read_model.py (the current round: :class:`UnitPart`, :class:`Handling`), base.py (shared).

Every step goes through :meth:`RecordFlow.apply`: the state checked under a row lock, the change,
its timeline entry and the messages it causes (members and units told through the notifier, i.e.
the outbox) in one transaction, so a crash loses neither the change nor its notice alone. What
unit groups may read: bot/core/workflow/notices.py.

Decisions (the brief is silent on them):

- 会办 (assisting) units record their opinion with ``进展``: it is kept as an internal timeline
  note (members do not see it) and forwarded to the lead unit's contacts. The answer (``答复``)
  is the lead unit's only.
- The answer of a round closes that round's assignments (``Assignment.answered_at`` set for the
  lead and the assisting units), so reminders stop for all of them.
- ``办结`` needs the member's evaluation, or the evaluation window (15 working days) to be over.
- A proposal is re-handled once: a 不满意 in the second round is recorded and the staff group is
  told, but the proposal goes to 已评价 (staff then 办结); see ``states.MAX_ROUNDS``.
- In 重新办理, ``交办 17`` without units hands the proposal to the previous round's units again.
"""

from bot.core.workflow.proposals.consultation import ConsultationSteps
from bot.core.workflow.proposals.excellent import ExcellentSteps
from bot.core.workflow.proposals.handling import HandlingSteps
from bot.core.workflow.proposals.lookback import LookbackSteps
from bot.core.workflow.proposals.practice_read import (
    ConsultationFigures,
    PracticeReads,
    Supervised,
)
from bot.core.workflow.proposals.quality import QualitySteps
from bot.core.workflow.proposals.read_model import Handling, UnitPart
from bot.core.workflow.proposals.review import ReviewSteps
from bot.core.workflow.proposals.supervision import SupervisionSteps


class ProposalWorkflow(
    ReviewSteps,
    HandlingSteps,
    SupervisionSteps,  # and ClosingSteps (评价, 办结, 重点)
    ConsultationSteps,
    QualitySteps,
    LookbackSteps,
    ExcellentSteps,
    PracticeReads,
):
    """`services.proposals`: every step of a proposal's handling, 立案 … 办结, and the
    handling practice (沟通, 提案质量, 督办, 回头看, 重新办理, 优秀提案)."""


__all__ = ["ConsultationFigures", "Handling", "ProposalWorkflow", "Supervised", "UnitPart"]
