"""A send answered ``status: ok`` with a non-zero retcode (Lagrange, for a send the QQ server
refused) is a failure (bot.nb.adapter.checked_result); other answers as the stock adapter."""

from __future__ import annotations

import pytest
from nonebot.adapters.onebot.v11 import ActionFailed

from bot.nb.adapter import checked_result

MUTED = {"status": "ok", "retcode": 120, "data": {"message_id": 0}, "message": ""}


@pytest.mark.parametrize("api", ["send_group_msg", "send_msg", "send_private_forward_msg"])
def test_a_send_ok_with_a_retcode_fails(api: str) -> None:
    with pytest.raises(ActionFailed) as failed:
        checked_result(api, MUTED)
    assert failed.value.info["retcode"] == 120


def test_other_answers_are_as_before() -> None:
    assert checked_result(
        "send_group_msg", {"status": "ok", "retcode": 0, "data": {"message_id": 5}}
    ) == {"message_id": 5}
    assert checked_result("get_msg", MUTED) == {"message_id": 0}  # not a send
    with pytest.raises(ActionFailed):
        checked_result("get_msg", {"status": "failed", "retcode": 100, "data": None})


def test_a_muted_account_is_a_permanent_failure() -> None:
    from bot.core.delivery.failures import FailureKind
    from bot.plugins.outbox.retcodes import delivery_error

    with pytest.raises(ActionFailed) as failed:
        checked_result("send_group_msg", MUTED)
    error = delivery_error(failed.value, "group")
    assert error.kind is FailureKind.PERMANENT
    assert error.detail.startswith("retcode=120")
