"""Handling statistics (DESIGN.md §2): one service computes every figure — `统计`, the digests,
the export and the progress board read them from ``services.stats``.

Proposals of a year (numbering period):
- received: the year's proposals except withdrawn ones (已撤回 are counted apart).
- 立案率 = 立案 / received. 立案 counts every proposal that passed review, including those merged
  (并案) into another: a proposal is merged only after it was found worth handling.
- 交办 (assigned): proposals with an assignment in any round. 办复率 = answered / assigned
  (answered: an answer in any round); 办结率 = concluded (已办结) / assigned.
- 按期答复率 = answered by the due date (答复时限 of the round of the latest answer) / answered.
- 满意率 = (满意 + 基本满意) / proposals evaluated, each proposal's latest evaluation counted once;
  also 满意 alone, and 初次满意率 (round-1 evaluations only).
- A/B/C: each answered proposal's latest answer (a re-handled proposal counts once, as its last
  round's answer); shares of the answered.
- overdue (逾期): proposals whose current round is open past its due date, as of today.
- average working days (平均答复用时): working days (holidays and 调休 counted as the working-day
  calendar says) from 交办 to 答复, averaged over every answer (each round once).
Units (效能), as the lead unit (主办, which answers); 会办 parts are not counted: assigned =
proposals it leads in any round; on time / late / overdue now, A/B/C and the 满意率 of its answers
from its latest lead round of each proposal; average working days over every round it answered.
Opinion leads: received (not withdrawn); 采用率 = adopted (采用, 报送, 批示, 落实) / received;
报送 = sent up at least once; 批示 = got a leader's instruction at least once; 落实.
办理协商 (practice.py): 沟通占比 = answers (each round's answer once) whose round has a recorded
contact (沟通) / answers; the proposers' view: evaluations that said 已沟通 / 未沟通 (each
evaluation once; evaluations that did not say are not counted).
"""

from bot.core.stats.practice import ConsultationFigures
from bot.core.stats.rates import (
    ACCEPTED_STATES,
    ADOPTED_STATES,
    ANSWER_CATEGORIES,
    INSTRUCTED_STATES,
    OPEN_HANDLING,
    OpinionStats,
    ProposalStats,
    Rate,
    UnitPerformance,
)
from bot.core.stats.service import (
    BREAKDOWNS,
    OverdueItem,
    PeriodCounts,
    StatsService,
    overdue_by_unit,
)

__all__ = [
    "ACCEPTED_STATES",
    "ADOPTED_STATES",
    "ANSWER_CATEGORIES",
    "BREAKDOWNS",
    "INSTRUCTED_STATES",
    "OPEN_HANDLING",
    "ConsultationFigures",
    "OpinionStats",
    "OverdueItem",
    "PeriodCounts",
    "ProposalStats",
    "Rate",
    "StatsService",
    "UnitPerformance",
    "overdue_by_unit",
]
