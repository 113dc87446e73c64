"""The state machine: every allowed transition, and every refused one with its message."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import RecordStatus
from bot.core.records.kinds import RecordKind
from bot.core.workflow import states
from bot.core.workflow.states import Action, allowed_actions, check, evaluation_target, next_status

S = RecordStatus
A = Action
P = RecordKind.PROPOSAL
O = RecordKind.OPINION  # noqa: E741

PROPOSAL_ACTIONS = [
    A.ACCEPT,
    A.REJECT,
    A.MERGE,
    A.WITHDRAW,
    A.ASSIGN,
    A.PROGRESS,
    A.ANSWER,
    A.EVALUATE,
    A.CONCLUDE,
]
PROPOSAL_STATES = [
    S.SUBMITTED,
    S.WITHDRAWN,
    S.ACCEPTED,
    S.REJECTED,
    S.MERGED,
    S.ASSIGNED,
    S.IN_PROGRESS,
    S.ANSWERED,
    S.EVALUATED,
    S.REHANDLING,
    S.CONCLUDED,
]

# Written out from DESIGN.md §2 (not derived from the implementation's table).
PROPOSAL_EXPECTED: dict[tuple[RecordStatus, Action], RecordStatus] = {
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.MERGE): S.MERGED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.ACCEPTED, A.ASSIGN): S.ASSIGNED,
    (S.ACCEPTED, A.MERGE): S.MERGED,
    (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,  # correct the units / deadline
    (S.ASSIGNED, A.PROGRESS): S.IN_PROGRESS,
    (S.ASSIGNED, A.ANSWER): S.ANSWERED,
    (S.IN_PROGRESS, A.ASSIGN): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.PROGRESS): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ANSWER): S.ANSWERED,
    (S.ANSWERED, A.EVALUATE): S.EVALUATED,
    (S.ANSWERED, A.CONCLUDE): S.CONCLUDED,  # after the evaluation window (service checks)
    (S.EVALUATED, A.CONCLUDE): S.CONCLUDED,
    (S.REHANDLING, A.ASSIGN): S.ASSIGNED,
}

OPINION_ACTIONS = [A.ADOPT, A.NOT_ADOPT, A.SUBMIT_UP, A.INSTRUCTION, A.IMPLEMENT, A.WITHDRAW]
OPINION_STATES = [
    S.SUBMITTED,
    S.ADOPTED,
    S.NOT_ADOPTED,
    S.SUBMITTED_UP,
    S.INSTRUCTED,
    S.IMPLEMENTED,
    S.WITHDRAWN,
]
OPINION_EXPECTED: dict[tuple[RecordStatus, Action], RecordStatus] = {
    (S.SUBMITTED, A.ADOPT): S.ADOPTED,
    (S.SUBMITTED, A.NOT_ADOPT): S.NOT_ADOPTED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.ADOPTED, A.SUBMIT_UP): S.SUBMITTED_UP,
    (S.ADOPTED, A.INSTRUCTION): S.INSTRUCTED,
    (S.SUBMITTED_UP, A.SUBMIT_UP): S.SUBMITTED_UP,
    (S.SUBMITTED_UP, A.INSTRUCTION): S.INSTRUCTED,
    (S.SUBMITTED_UP, A.IMPLEMENT): S.IMPLEMENTED,
    (S.INSTRUCTED, A.INSTRUCTION): S.INSTRUCTED,
    (S.INSTRUCTED, A.SUBMIT_UP): S.INSTRUCTED,
    (S.INSTRUCTED, A.IMPLEMENT): S.IMPLEMENTED,
}


def _cases(
    kinds_states: list[RecordStatus], actions: list[Action], expected: dict
) -> list[tuple[RecordStatus, Action, RecordStatus | None]]:
    return [(s, a, expected.get((s, a))) for s in kinds_states for a in actions]


@pytest.mark.parametrize(
    ("status", "action", "after"), _cases(PROPOSAL_STATES, PROPOSAL_ACTIONS, PROPOSAL_EXPECTED)
)
def test_proposal_transition(
    status: RecordStatus, action: Action, after: RecordStatus | None
) -> None:
    assert next_status(P, status, action) == after
    if after is not None:
        assert check(P, status, action, label="提案第17号", number_ref="17") == after
        return
    with pytest.raises(InvalidInput) as info:
        check(P, status, action, label="提案第17号", number_ref="17")
    message = info.value.message
    assert message.startswith(f"提案第17号当前状态是“{status.label}”，不能{action.label}。")
    assert len(message) > len(f"提案第17号当前状态是“{status.label}”，不能{action.label}。")


@pytest.mark.parametrize(
    ("status", "action", "after"), _cases(OPINION_STATES, OPINION_ACTIONS, OPINION_EXPECTED)
)
def test_opinion_transition(
    status: RecordStatus, action: Action, after: RecordStatus | None
) -> None:
    assert next_status(O, status, action) == after
    if after is None:
        with pytest.raises(InvalidInput) as info:
            check(O, status, action, label="社情民意信息第5号", number_ref="5")
        assert f"当前状态是“{status.label}”，不能{action.label}" in info.value.message


def test_opinion_actions_do_not_apply_to_proposals_and_back() -> None:
    assert next_status(P, S.SUBMITTED, A.ADOPT) is None
    assert next_status(O, S.SUBMITTED, A.ACCEPT) is None
    assert next_status(RecordKind.TOPIC, S.SUBMITTED, A.ACCEPT) is None


def test_refusal_lists_what_is_possible_now() -> None:
    with pytest.raises(InvalidInput) as info:
        check(P, S.SUBMITTED, A.ANSWER, label="提案第17号", number_ref="17")
    assert info.value.message == (
        "提案第17号当前状态是“已提交”，不能答复。现在可以：立案、不立案、并案。例如：立案 17"
    )


def test_refusal_example_uses_the_typed_number_of_another_year() -> None:
    with pytest.raises(InvalidInput) as info:
        check(P, S.ACCEPTED, A.CONCLUDE, label="提案2025年第3号", number_ref="2025-3")
    assert info.value.message == (
        "提案2025年第3号当前状态是“已立案”，不能办结。现在可以：交办、并案。"
        "例如：交办 2025-3 主办 单位名称"
    )


def test_refusal_in_answered_state_explains_conclude() -> None:
    with pytest.raises(InvalidInput) as info:
        check(P, S.ANSWERED, A.ANSWER, label="提案第17号", number_ref="17")
    assert "现在可以：办结（委员评价后，或评价期限过后）" in info.value.message


@pytest.mark.parametrize(
    ("status", "tail"),
    [
        (S.CONCLUDED, "它的办理已经结束，不能再操作。"),
        (S.REJECTED, "它的办理已经结束，不能再操作。"),
        (S.MERGED, "它已并入另一件提案，请对那一件操作。"),
        (S.WITHDRAWN, "它已被提交人撤回。"),
    ],
)
def test_final_states_say_so(status: RecordStatus, tail: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check(P, status, A.ACCEPT, label="提案第17号", number_ref="17")
    assert info.value.message.endswith(tail)
    assert states.is_final(P, status)


@pytest.mark.parametrize(
    ("status", "tail"),
    [
        (S.ASSIGNED, "收到承办单位的答复后才能评价；发送“查提案 17”可查看办理进度。"),
        (S.EVALUATED, "本轮答复已经评价过了，每轮只能评价一次。"),
        (S.REHANDLING, "您已评价为不满意，提案正在重新办理，新的答复到达后可再次评价。"),
    ],
)
def test_member_refusals_speak_to_the_member(status: RecordStatus, tail: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check(P, status, A.EVALUATE, label="提案第17号", number_ref="17")
    assert info.value.message.endswith(tail)
    assert "现在可以" not in info.value.message


def test_staff_hints_leave_out_member_actions() -> None:
    assert allowed_actions(P, S.ANSWERED) == [A.CONCLUDE]
    assert allowed_actions(P, S.ANSWERED, for_staff=False) == [A.EVALUATE, A.CONCLUDE]


def test_key_mark_fits_open_proposals_only() -> None:
    open_states = {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED}
    open_states |= {S.EVALUATED, S.REHANDLING}
    for status in PROPOSAL_STATES:
        expected = status if status in open_states else None
        assert next_status(P, status, A.MARK_KEY) == expected
    assert next_status(O, S.SUBMITTED, A.MARK_KEY) is None


def test_evaluation_target_rehandles_once() -> None:
    assert evaluation_target(True, 1) is S.EVALUATED
    assert evaluation_target(False, 1) is S.REHANDLING
    assert evaluation_target(False, states.MAX_ROUNDS) is S.EVALUATED
    assert evaluation_target(True, 2) is S.EVALUATED
