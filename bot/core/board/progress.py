"""The progress bar 立案 → 交办 → 答复 → 评价 → 办结 (Decidim's accountability results as the
model): how far a filed proposal has come, from its status and its timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.board.views import Stage
from bot.core.models import RecordStatus, TimelineEntry

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

S = RecordStatus

STAGES: tuple[str, ...] = ("立案", "交办", "答复", "评价", "办结")

#: Which timeline actions complete which stage.
_STAGE_ACTIONS: dict[str, tuple[str, ...]] = {
    "立案": ("accept", "merge"),
    "交办": ("assign", "reassign"),
    "答复": ("answer",),
    "评价": ("evaluate",),
    "办结": ("conclude",),
}

#: Stages done in each status. 重新办理 goes back to 交办 for the new round; 并案 ends at 立案
#: (the proposal is handled with the one it joined).
_DONE: dict[str, int] = {
    S.ACCEPTED: 1,
    S.MERGED: 1,
    S.ASSIGNED: 2,
    S.IN_PROGRESS: 2,
    S.REHANDLING: 1,
    S.ANSWERED: 3,
    S.EVALUATED: 4,
    S.CONCLUDED: 5,
}


def done_count(status: str) -> int:
    return _DONE.get(status, 0)


def percent(status: str) -> int:
    """How far along, 0–100 (a fifth per stage)."""
    return done_count(status) * 100 // len(STAGES)


def stages(status: str, entries: Sequence[TimelineEntry]) -> list[Stage]:
    """The bar's five steps with the date each was reached. A proposal concluded without an
    evaluation (the window passed) shows 评价 as skipped."""
    done = done_count(status)
    latest: dict[str, datetime] = {}
    for entry in entries:
        for name, actions in _STAGE_ACTIONS.items():
            if entry.action in actions:
                latest[name] = entry.at
    result: list[Stage] = []
    for index, name in enumerate(STAGES):
        if index < done:
            state = "done"
            if name == "评价" and "评价" not in latest:
                state = "skipped"
            result.append(Stage(name, state, latest.get(name)))
        elif index == done and status != S.MERGED:
            result.append(Stage(name, "current"))
        else:
            result.append(Stage(name, "todo"))
    return result
