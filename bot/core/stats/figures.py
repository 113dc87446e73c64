"""Every figure from one year's facts (facts.py): pure functions, tested directly.

The definitions are those of bot/core/stats/__init__.py (and `帮助 统计`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.models import EvaluationResult, RecordStatus
from bot.core.stats.facts import ProposalFacts, RoundFacts, YearFacts
from bot.core.stats.rates import (
    ACCEPTED_STATES,
    ADOPTED_STATES,
    OPEN_HANDLING,
    OpinionStats,
    ProposalStats,
    Rate,
    UnitPerformance,
)

if TYPE_CHECKING:
    from bot.core.schedule.workdays import WorkCalendar

OK_RESULTS = frozenset({EvaluationResult.SATISFIED, EvaluationResult.BASICALLY_SATISFIED})


class WorkdayCounter:
    """``workdays_between`` for many dates: a cumulative count per year, built once per year."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._years: dict[int, list[int]] = {}

    def _table(self, year: int) -> list[int]:
        """Working days from 1 January to each day of the year (inclusive)."""
        table = self._years.get(year)
        if table is None:
            start = date(year, 1, 1)
            running, table = 0, []
            for offset in range((date(year + 1, 1, 1) - start).days):
                running += self.calendar.is_workday(start + timedelta(days=offset))
                table.append(running)
            self._years[year] = table
        return table

    def between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]`` (as WorkCalendar.workdays_between)."""
        if end < start:
            return -self.between(end, start)
        first = self._table(start.year)
        if start.year == end.year:
            return first[_yday(end)] - first[_yday(start)]
        count = first[-1] - first[_yday(start)]
        for year in range(start.year + 1, end.year):
            count += self._table(year)[-1]
        return count + self._table(end.year)[_yday(end)]


def _yday(d: date) -> int:
    return d.timetuple().tm_yday - 1


Selector = Callable[[ProposalFacts], bool]


def proposal_stats(
    facts: YearFacts,
    today: date,
    days: WorkdayCounter,
    selector: Selector | None = None,
) -> ProposalStats:
    """The year's proposal figures over the proposals ``selector`` picks (all by default)."""
    stats = ProposalStats(facts.year)
    for proposal in facts.proposals:
        if selector is None or selector(proposal):
            _count(stats, proposal, today, days)
    return stats


def _count(stats: ProposalStats, p: ProposalFacts, today: date, days: WorkdayCounter) -> None:
    if p.status == RecordStatus.WITHDRAWN:
        stats.withdrawn += 1
        return
    stats.received += 1
    stats.pending_review += p.status == RecordStatus.SUBMITTED
    stats.rejected += p.status == RecordStatus.REJECTED
    stats.merged += p.status == RecordStatus.MERGED
    stats.accepted += p.status in ACCEPTED_STATES
    stats.concluded += p.status == RecordStatus.CONCLUDED
    if not p.assigned:
        return
    stats.assigned += 1
    stats.rehandled += p.round > 1
    if _is_overdue(p, today):
        stats.overdue += 1
    for this in p.rounds.values():
        if this.answer_category is not None and this.assigned_on and this.answered_on:
            stats.answer_workdays_total += days.between(this.assigned_on, this.answered_on)
            stats.answers_timed += 1
    latest = p.latest_answered_round()
    if latest is not None:
        answer = p.rounds[latest]
        stats.answered += 1
        stats.answer_categories[answer.answer_category or ""] += 1
        if _on_time(answer):
            stats.answered_on_time += 1
        else:
            stats.answered_late += 1
    _count_evaluations(stats, p)


def _count_evaluations(stats: ProposalStats, p: ProposalFacts) -> None:
    evaluated = {r: f.evaluation for r, f in p.rounds.items() if f.evaluation is not None}
    if not evaluated:
        return
    first = evaluated.get(1)
    if first is not None:
        stats.first_round_evaluated += 1
        stats.first_round_ok += first in OK_RESULTS
    result = evaluated[max(evaluated)]
    stats.evaluated += 1
    if result == EvaluationResult.SATISFIED:
        stats.satisfied += 1
    elif result == EvaluationResult.BASICALLY_SATISFIED:
        stats.basically_satisfied += 1
    else:
        stats.unsatisfied += 1


def _on_time(this: RoundFacts) -> bool:
    """Answered by the round's due date (no due date known: on time)."""
    return this.due is None or (this.answered_on is not None and this.answered_on <= this.due)


def _is_overdue(p: ProposalFacts, today: date) -> bool:
    """An open current round with an unanswered assignment due before today."""
    if p.status not in OPEN_HANDLING:
        return False
    current = p.rounds.get(p.round)
    return current is not None and current.open_due is not None and current.open_due < today


def unit_table(facts: YearFacts, today: date, days: WorkdayCounter) -> list[UnitPerformance]:
    """Each unit's part as 主办 (the lead unit answers), most assigned first."""
    rows = [
        _unit_row(facts.unit_names.get(unit_id, f"单位{unit_id}"), proposals, today, days)
        for unit_id, proposals in _by_lead_unit(facts.proposals).items()
    ]
    return sorted(rows, key=lambda row: (-row.assigned, row.unit))


#: A proposal and the rounds in which one unit was its lead unit.
LeadRounds = tuple[ProposalFacts, dict[int, RoundFacts]]


def _by_lead_unit(proposals: Iterable[ProposalFacts]) -> dict[int, list[LeadRounds]]:
    grouped: dict[int, list[LeadRounds]] = {}
    for proposal in proposals:
        if proposal.status == RecordStatus.WITHDRAWN:
            continue
        mine: dict[int, dict[int, RoundFacts]] = {}
        for round_, this in proposal.rounds.items():
            if this.lead_unit_id is not None:
                mine.setdefault(this.lead_unit_id, {})[round_] = this
        for unit_id, rounds in mine.items():
            grouped.setdefault(unit_id, []).append((proposal, rounds))
    return grouped


def _unit_row(
    name: str, handled: list[LeadRounds], today: date, days: WorkdayCounter
) -> UnitPerformance:
    """The unit's latest lead round of each proposal: on time / late / overdue now, A/B/C and
    that round's evaluation; working days over every round it answered."""
    on_time = late = overdue = evaluated = ok = timed = total_days = 0
    categories: Counter[str] = Counter()
    for proposal, rounds in handled:
        last_round = max(rounds)
        last = rounds[last_round]
        if last.answer_category is not None:
            categories[last.answer_category] += 1
            on_time += _on_time(last)
            late += not _on_time(last)
            if last.evaluation is not None:
                evaluated += 1
                ok += last.evaluation in OK_RESULTS
        elif last_round == proposal.round and _is_overdue(proposal, today):
            overdue += 1
        for this in rounds.values():
            if this.answer_category is not None and this.assigned_on and this.answered_on:
                total_days += days.between(this.assigned_on, this.answered_on)
                timed += 1
    return UnitPerformance(
        unit=name,
        assigned=len(handled),
        answered_on_time=on_time,
        answered_late=late,
        overdue_now=overdue,
        a=categories["A"],
        b=categories["B"],
        c=categories["C"],
        satisfaction=Rate(ok, evaluated),
        average_working_days=total_days / timed if timed else None,
    )


def opinion_stats(
    year: int, by_status: list[tuple[str, int]], submitted_up: int, instructed: int
) -> OpinionStats:
    """采用率 = adopted (采用 and beyond) / received (withdrawn excluded)."""
    stats = OpinionStats(year, submitted_up=submitted_up, instructed=instructed)
    for status, count in by_status:
        if status == RecordStatus.WITHDRAWN:
            continue
        stats.received += count
        stats.adopted += count * (status in ADOPTED_STATES)
        stats.implemented += count * (status == RecordStatus.IMPLEMENTED)
        stats.not_adopted += count * (status == RecordStatus.NOT_ADOPTED)
    return stats
