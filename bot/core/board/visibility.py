"""What the public may see of a proposal: which records, which timeline steps, which names.

The rules (also in bot/core/board/__init__.py):

- a proposal is public once filed (立案 and every later state, 并案 included: the states 统计
  counts as 立案) unless it was submitted privately (``source_kind == "private"``);
  submitted, rejected, withdrawn and private ones never have a page, a row or a link;
- a timeline entry is shown only when it is marked public AND its action is one of
  :data:`PUBLIC_ACTIONS`; each is retold here rather than shown as written where what was
  written may name someone or something that is not public (并案 names the other proposal's
  proposer and title; 评价 carries the member's opinion; 附议 names the co-signer);
- a name is never a QQ number: a name that is the person's id (the fallback when nobody knew
  the name) becomes 委员, and every known id of the people on the record is masked in any text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from bot.core.models import Evaluation, EvaluationResult, Record, RecordStatus, TimelineEntry
from bot.core.records.kinds import RecordKind
from bot.core.stats import ACCEPTED_STATES

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

S = RecordStatus

#: Filed proposals, in workflow order (the list's status filter offers them in this order).
PUBLIC_STATES: tuple[RecordStatus, ...] = (
    S.ACCEPTED,
    S.ASSIGNED,
    S.IN_PROGRESS,
    S.ANSWERED,
    S.EVALUATED,
    S.REHANDLING,
    S.CONCLUDED,
    S.MERGED,
)
assert frozenset(PUBLIC_STATES) == ACCEPTED_STATES  # the board shows what 统计 counts as 立案

#: Timeline actions the public sees, with their label on the board.
PUBLIC_ACTIONS: dict[str, str] = {
    "submit": "提交",
    "accept": "立案",
    "assign": "交办",
    "reassign": "调整交办",
    "progress": "办理进展",
    "answer": "答复",
    "evaluate": "委员评价",
    "conclude": "办结",
    "merge": "并案",
    "merged_in": "并案",
    "key": "重点提案",
    "unkey": "重点提案",
    "excellent": "优秀提案",
    "unexcellent": "优秀提案",
}

#: How an unknown or numeric name is shown.
ANONYMOUS = "委员"
_DIGITS = re.compile(r"\d{5,}")


def public_clause() -> ColumnElement[bool]:
    """SQL: the record is a filed proposal not submitted privately."""
    return and_(
        col(Record.kind) == RecordKind.PROPOSAL.value,
        col(Record.source_kind) != "private",
        col(Record.status).in_([s.value for s in PUBLIC_STATES]),
    )


def is_public(record: Record) -> bool:
    return (
        record.kind == RecordKind.PROPOSAL.value
        and record.source_kind != "private"
        and record.status in ACCEPTED_STATES
    )


def public_name(name: str | None, user_id: str = "") -> str:
    """A person's name for the board: never their QQ number, never a run of digits."""
    name = (name or "").strip()
    if not name or name == user_id or _DIGITS.fullmatch(name):
        return ANONYMOUS
    return _DIGITS.sub("…", name)


def scrub(text: str, ids: Iterable[str]) -> str:
    """`text` with every id in `ids` (the QQ numbers of the people on the record) masked."""
    for user_id in sorted({i for i in ids if i}, key=len, reverse=True):
        text = text.replace(user_id, "…")
    return text


def public_entries(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """The entries the public sees, oldest first."""
    return [e for e in entries if e.public and e.action in PUBLIC_ACTIONS]


def retell(
    entry: TimelineEntry,
    *,
    evaluation: Evaluation | None = None,
) -> str:
    """What the board says of a public entry (its link, for 并案, is added by the caller)."""
    action = entry.action
    if action == "submit":
        return "委员提交提案"
    if action == "evaluate":
        if evaluation is None:
            return "提案人已评价"
        text = f"提案人评价：{EvaluationResult(evaluation.result).label}"
        if entry.to_status == S.REHANDLING:
            text += "，转为重新办理"
        return text
    if action == "merge":
        return "并入另一件提案，一并办理"
    if action == "merged_in":
        return "另一件提案并入本案，一并办理"
    if action == "key":
        return "列为重点提案（督办）"
    if action == "unkey":
        return "取消重点提案"
    if action == "excellent":  # the reason staff wrote is not retold
        return "评为年度优秀提案"
    if action == "unexcellent":
        return "取消优秀提案"
    return entry.detail or PUBLIC_ACTIONS[action]


def match_evaluations(
    entries: Sequence[TimelineEntry], evaluations: Sequence[Evaluation]
) -> dict[int, Evaluation]:
    """Each 评价 entry's evaluation (entry id -> evaluation): one per round, in order."""
    ordered = sorted(evaluations, key=lambda e: e.round)
    steps = [e for e in entries if e.action == "evaluate"]
    return {step.id or 0: evaluation for step, evaluation in zip(steps, ordered, strict=False)}
