"""The handling workflow as a checked state machine (pure: no database, no framework).

Every status change goes through :func:`check`, inside ``RecordService.change`` (the container
gives records this module: the workflow builds on records, not the other way round).

Proposals (提案), DESIGN.md §2::

    已提交 ─立案→ 已立案 ─交办→ 已交办 ─进展→ 办理中 ─答复→ 已答复 ─评价→ 已评价 ─办结→ 已办结
       │                 ↑                          │            │
       ├─不立案→ 不予立案  └──────交办（第2轮）── 重新办理 ←─不满意─┘
       ├─并案→ 已并案
       └─撤回→ 已撤回

- 交办 again while 已交办 / 办理中 (not yet answered) corrects this round's units or deadline;
- 办结 straight from 已答复 is allowed once the evaluation window has closed without an
  evaluation (checked by the service, which knows the dates);
- 重点 (key proposal) is not a state: it may be set or cleared on any open proposal;
- notes that change no status (:data:`ANNOTATIONS`: 督办, 提案质量, 回头看, 优秀提案) fit the
  states listed there; 沟通 (consultation with the proposer) is handling, like 进展;
- 重新办理 of a C answer whose conditions have changed (staff): 已答复 / 已评价 / 已办结 →
  重新办理, a new round (the service checks that the answer was C).

Opinion leads (社情民意信息)::

    已提交 ─采用→ 已采用 ─报送→ 已报送 ─批示→ 获批示 ─落实→ 已落实
       ├─未采用→ 未采用       └────批示─────────↑   (报送/批示 may repeat; 落实 after 报送 or 批示)
       └─撤回→ 已撤回

Topics (议题), DESIGN.md §2 (the annual consultation plan, bot/core/consultation)::

    已提交 ─列入计划→ 已列入计划 ─活动→ 协商中 ─成果→ 已形成成果 ─批示→ 获批示 ─落实→ 跟踪落实中 ─办结→ 已办结
       └─撤回→ 已撤回      └────────成果────────↑        └───────落实───────↑        ↑
                                                      └──────────────办结──────────┘
    (活动, 成果, 批示 and 落实 may repeat; 办结 once there is a result; 已提交 ─不列入→ 暂未列入计划,
    which may still be planned later)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.errors import InvalidInput
from bot.core.models import RecordStatus
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from collections.abc import Mapping

#: A proposal is handled at most this many rounds: a second 不满意 no longer reopens it.
MAX_ROUNDS = 2


class Action(StrEnum):
    """What can happen to a record. The value is the timeline action name."""

    # proposals
    ACCEPT = "accept"
    REJECT = "reject"
    MERGE = "merge"
    WITHDRAW = "withdraw"
    ASSIGN = "assign"
    PROGRESS = "progress"
    ANSWER = "answer"
    EVALUATE = "evaluate"
    CONCLUDE = "conclude"
    MARK_KEY = "key"
    CONSULT = "consult"
    SUPERVISE = "supervise"
    RATE_QUALITY = "quality"
    LOOK_BACK = "lookback"
    REOPEN = "reopen"
    MARK_EXCELLENT = "excellent"
    # opinion leads
    ADOPT = "adopt"
    NOT_ADOPT = "not_adopt"
    SUBMIT_UP = "submit_up"
    INSTRUCTION = "instruction"
    IMPLEMENT = "implement"
    # topics
    PLAN = "plan"
    NOT_PLAN = "not_plan"
    ACTIVITY = "activity"
    RESULT = "result"

    @property
    def label(self) -> str:
        """The Chinese command word: 立案, 答复, 采用 ..."""
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "立案",
    Action.REJECT: "不立案",
    Action.MERGE: "并案",
    Action.WITHDRAW: "撤回",
    Action.ASSIGN: "交办",
    Action.PROGRESS: "进展",
    Action.ANSWER: "答复",
    Action.EVALUATE: "评价",
    Action.CONCLUDE: "办结",
    Action.MARK_KEY: "重点",
    Action.CONSULT: "沟通",
    Action.SUPERVISE: "督办",
    Action.RATE_QUALITY: "提案质量评价",
    Action.LOOK_BACK: "回头看",
    Action.REOPEN: "重新办理",
    Action.MARK_EXCELLENT: "评为优秀提案",
    Action.ADOPT: "采用",
    Action.NOT_ADOPT: "未采用",
    Action.SUBMIT_UP: "报送",
    Action.INSTRUCTION: "批示",
    Action.IMPLEMENT: "落实",
    Action.PLAN: "列入计划",
    Action.NOT_PLAN: "暂不列入计划",
    Action.ACTIVITY: "记录活动",
    Action.RESULT: "记录成果",
}

#: Timeline actions written by the workflow that are not state-machine actions, for display.
TIMELINE_LABELS: dict[str, str] = {
    **{action.value: label for action, label in ACTION_LABELS.items()},
    "submit": "提交",
    "merged_in": "并入",
    "unkey": "取消重点",
    "reassign": "调整交办",
    "assist_opinion": "会办意见",
    "convert": "转社情民意",
    "activity": "协商活动",
    "result": "协商成果",
    "key_leader": "督办领导",
    "unexcellent": "取消优秀提案",
}

#: How each action is typed, for "现在可以" hints (`{n}` is the number).
ACTION_EXAMPLES: dict[Action, str] = {
    Action.ACCEPT: "立案 {n}",
    Action.REJECT: "不立案 {n} 理由",
    Action.MERGE: "并案 {n} 到 另一编号",
    Action.ASSIGN: "交办 {n} 主办 单位名称",
    Action.PROGRESS: "进展 {n} 内容",
    Action.CONSULT: "沟通 {n} 面商 内容",
    Action.ANSWER: "答复 {n} A|B|C 内容",
    Action.EVALUATE: "评价 {n} 满意|基本满意|不满意",
    Action.CONCLUDE: "办结 {n}",
    Action.ADOPT: "采用 {n}",
    Action.NOT_ADOPT: "未采用 {n} 理由",
    Action.SUBMIT_UP: "报送 {n} 单位",
    Action.INSTRUCTION: "批示 {n} 内容",
    Action.IMPLEMENT: "落实 {n} 内容",
}

#: How the topic actions are typed (they are sub-commands of 议题; 列入计划 is its own command).
TOPIC_EXAMPLES: dict[Action, str] = {
    Action.PLAN: "列入计划 {n} 专题协商 牵头 某副主席 责任 单位 时限 2027-06-30",
    Action.NOT_PLAN: "议题 不列入 {n} 理由",
    Action.ACTIVITY: "议题 活动 {n} 调研 2027-03-15 参加 委员名单",
    Action.RESULT: "议题 成果 {n} 建议案 内容",
    Action.INSTRUCTION: "议题 批示 {n} 内容",
    Action.IMPLEMENT: "议题 落实 {n} 内容",
    Action.CONCLUDE: "议题 办结 {n}",
}

S = RecordStatus
A = Action

#: (kind, status) -> {action: status after it}. An action missing here is refused.
PROPOSAL_TRANSITIONS: Mapping[RecordStatus, Mapping[Action, RecordStatus]] = {
    S.SUBMITTED: {A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.MERGE: S.MERGED},
    S.ACCEPTED: {A.ASSIGN: S.ASSIGNED, A.MERGE: S.MERGED},
    S.ASSIGNED: {
        A.PROGRESS: S.IN_PROGRESS,
        A.CONSULT: S.IN_PROGRESS,
        A.ANSWER: S.ANSWERED,
        A.ASSIGN: S.ASSIGNED,
    },
    S.IN_PROGRESS: {
        A.PROGRESS: S.IN_PROGRESS,
        A.CONSULT: S.IN_PROGRESS,
        A.ANSWER: S.ANSWERED,
        A.ASSIGN: S.IN_PROGRESS,
    },
    # 评价 lands on 已评价 or 重新办理 depending on the result: see evaluation_target().
    S.ANSWERED: {A.EVALUATE: S.EVALUATED, A.CONCLUDE: S.CONCLUDED},
    S.EVALUATED: {A.CONCLUDE: S.CONCLUDED},
    S.REHANDLING: {A.ASSIGN: S.ASSIGNED},
    S.REJECTED: {},
    S.MERGED: {},
    S.WITHDRAWN: {},
    S.CONCLUDED: {},
}

#: The author withdraws (撤回) before review; a member action, so not listed in staff hints.
MEMBER_ONLY: frozenset[Action] = frozenset({A.WITHDRAW, A.EVALUATE})
#: Side activities of handling, not named in "现在可以" hints (the next steps are).
NOT_HINTED: frozenset[Action] = frozenset({A.CONSULT})

OPINION_TRANSITIONS: Mapping[RecordStatus, Mapping[Action, RecordStatus]] = {
    S.SUBMITTED: {A.ADOPT: S.ADOPTED, A.NOT_ADOPT: S.NOT_ADOPTED},
    S.ADOPTED: {A.SUBMIT_UP: S.SUBMITTED_UP, A.INSTRUCTION: S.INSTRUCTED},
    S.SUBMITTED_UP: {
        A.SUBMIT_UP: S.SUBMITTED_UP,
        A.INSTRUCTION: S.INSTRUCTED,
        A.IMPLEMENT: S.IMPLEMENTED,
    },
    S.INSTRUCTED: {
        A.INSTRUCTION: S.INSTRUCTED,
        A.SUBMIT_UP: S.INSTRUCTED,
        A.IMPLEMENT: S.IMPLEMENTED,
    },
    S.NOT_ADOPTED: {},
    S.IMPLEMENTED: {},
    S.WITHDRAWN: {},
}

_AFTER_RESULT: Mapping[Action, RecordStatus] = {
    A.RESULT: S.RESULTED,
    A.INSTRUCTION: S.INSTRUCTED,
    A.IMPLEMENT: S.IMPLEMENTING,
    A.CONCLUDE: S.CONCLUDED,
}
TOPIC_TRANSITIONS: Mapping[RecordStatus, Mapping[Action, RecordStatus]] = {
    S.SUBMITTED: {A.PLAN: S.PLANNED, A.NOT_PLAN: S.NOT_PLANNED},
    S.NOT_PLANNED: {A.PLAN: S.PLANNED},  # taken up in a later year
    S.PLANNED: {A.ACTIVITY: S.CONSULTING, A.RESULT: S.RESULTED},
    S.CONSULTING: {A.ACTIVITY: S.CONSULTING, A.RESULT: S.RESULTED},
    S.RESULTED: _AFTER_RESULT,
    S.INSTRUCTED: {**_AFTER_RESULT, A.RESULT: S.INSTRUCTED},
    S.IMPLEMENTING: {
        A.INSTRUCTION: S.IMPLEMENTING,
        A.IMPLEMENT: S.IMPLEMENTING,
        A.CONCLUDE: S.CONCLUDED,
    },
    S.CONCLUDED: {},
    S.WITHDRAWN: {},
}

#: Topic states of a plan item still under way (reminded of its deadline).
PLAN_OPEN: frozenset[RecordStatus] = frozenset(
    {S.PLANNED, S.CONSULTING, S.RESULTED, S.INSTRUCTED, S.IMPLEMENTING}
)

#: Withdrawal by the author before review, for every kind (bot/core/intake/withdraw.py).
_WITHDRAWABLE = {S.SUBMITTED}

#: States in which 重点 may be set or cleared.
KEY_STATES: frozenset[RecordStatus] = frozenset(
    {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.EVALUATED, S.REHANDLING}
)

_HANDLED = frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING})
_ANSWERED = frozenset({S.ANSWERED, S.EVALUATED, S.CONCLUDED})

#: Proposal actions that change no status, and the states they fit.
ANNOTATIONS: Mapping[Action, frozenset[RecordStatus]] = {
    A.SUPERVISE: _HANDLED | {S.ANSWERED, S.EVALUATED},
    A.RATE_QUALITY: _ANSWERED,
    A.LOOK_BACK: _ANSWERED,
    A.MARK_EXCELLENT: _HANDLED | _ANSWERED,
}

#: 重新办理 of a C answer (staff): from these states to 重新办理.
REOPEN_STATES: frozenset[RecordStatus] = _ANSWERED

#: States a proposal may be merged *into*.
MERGE_TARGET_STATES: frozenset[RecordStatus] = frozenset(
    {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING}
)


def _table(kind: RecordKind) -> Mapping[RecordStatus, Mapping[Action, RecordStatus]]:
    if kind is RecordKind.PROPOSAL:
        return PROPOSAL_TRANSITIONS
    if kind is RecordKind.OPINION:
        return OPINION_TRANSITIONS
    return TOPIC_TRANSITIONS


def next_status(kind: RecordKind, status: RecordStatus, action: Action) -> RecordStatus | None:
    """The status after `action`, or None when `action` does not fit `status`."""
    if action is Action.WITHDRAW:
        return S.WITHDRAWN if status in _WITHDRAWABLE else None
    if action is Action.MARK_KEY:
        return status if kind is RecordKind.PROPOSAL and status in KEY_STATES else None
    if action in ANNOTATIONS:
        fits = kind is RecordKind.PROPOSAL and status in ANNOTATIONS[action]
        return status if fits else None
    if action is Action.REOPEN:
        return S.REHANDLING if kind is RecordKind.PROPOSAL and status in REOPEN_STATES else None
    return _table(kind).get(status, {}).get(action)


def allowed_actions(
    kind: RecordKind, status: RecordStatus, *, for_staff: bool = True
) -> list[Action]:
    """The actions possible now, in workflow order (member-only ones left out for staff hints)."""
    actions = [a for a in _table(kind).get(status, {}) if a not in NOT_HINTED]
    if for_staff:
        actions = [a for a in actions if a not in MEMBER_ONLY]
    return actions


def is_final(kind: RecordKind, status: RecordStatus) -> bool:
    """True when nothing more can happen (办结, 不予立案, 并案, 撤回, 未采用, 已落实)."""
    return not _table(kind).get(status) and status not in _WITHDRAWABLE


def evaluation_target(satisfied: bool, round_: int) -> RecordStatus:
    """Where 评价 leads: 已评价, or 重新办理 for 不满意 while a further round is allowed."""
    if satisfied or round_ >= MAX_ROUNDS:
        return S.EVALUATED
    return S.REHANDLING


@dataclass(frozen=True)
class Refusal:
    """Why an action does not fit, in Chinese, with what is possible now."""

    label: str  # e.g. 提案第17号
    status: RecordStatus
    action: Action
    possible: list[Action]
    number_ref: str  # how to type the number: 17 or 2025-17
    examples: Mapping[Action, str] = field(default_factory=lambda: ACTION_EXAMPLES)

    @property
    def message(self) -> str:
        head = f"{self.label}当前状态是“{self.status.label}”，不能{self.action.label}。"
        if self.action in MEMBER_ONLY and not self.possible:
            return head + _member_hint(self.action, self.status, self.number_ref)
        if not self.possible:
            return head + _final_hint(self.status)
        names = "、".join(_hint_name(a, self.status) for a in self.possible)
        example = self.examples.get(self.possible[0], "").format(n=self.number_ref)
        tail = f"例如：{example}" if example else ""
        return f"{head}现在可以：{names}。{tail}"


def _hint_name(action: Action, status: RecordStatus) -> str:
    if action is Action.CONCLUDE and status is S.ANSWERED:
        return "办结（委员评价后，或评价期限过后）"
    if action is Action.EVALUATE:
        return "评价（领衔提案人）"
    return action.label


def _final_hint(status: RecordStatus) -> str:
    if status is S.MERGED:
        return "它已并入另一件提案，请对那一件操作。"
    if status is S.WITHDRAWN:
        return "它已被提交人撤回。"
    return "它的办理已经结束，不能再操作。"


def _member_hint(action: Action, status: RecordStatus, number_ref: str) -> str:
    if action is Action.EVALUATE:
        if status in (S.EVALUATED, S.CONCLUDED):
            return "本轮答复已经评价过了，每轮只能评价一次。"
        if status is S.REHANDLING:
            return "您已评价为不满意，提案正在重新办理，新的答复到达后可再次评价。"
        return f"收到承办单位的答复后才能评价；发送“查提案 {number_ref}”可查看办理进度。"
    return "只有尚未审查的（已提交状态）才能撤回。"


def check(
    kind: RecordKind,
    status: RecordStatus | str,
    action: Action,
    *,
    label: str,
    number_ref: str,
) -> RecordStatus:
    """The status after `action`; raises InvalidInput (current state, what is possible now)."""
    current = RecordStatus(status)
    target = next_status(kind, current, action)
    if target is None:
        refusal = Refusal(
            label=label,
            status=current,
            action=action,
            possible=_possible_for(kind, current, action),
            number_ref=number_ref,
            examples=TOPIC_EXAMPLES if kind is RecordKind.TOPIC else ACTION_EXAMPLES,
        )
        raise InvalidInput(refusal.message)
    return target


def _possible_for(kind: RecordKind, status: RecordStatus, action: Action) -> list[Action]:
    """What to suggest: staff actions to staff; to a member, only what a member may do."""
    if action in MEMBER_ONLY:
        return [a for a in allowed_actions(kind, status, for_staff=False) if a in MEMBER_ONLY]
    return allowed_actions(kind, status)
