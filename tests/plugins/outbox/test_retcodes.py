"""OneBot's failures as the core's platform-neutral kinds (bot/plugins/outbox/retcodes.py): the
retcodes and NapCat's 1200 texts, and the connection's own errors."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

import pytest
from nonebot.adapters.onebot.v11 import ActionFailed, ApiNotAvailable, NetworkError

import bot.core.delivery
from bot.core.delivery.failures import FailureKind

if TYPE_CHECKING:
    from types import ModuleType


@pytest.fixture
def retcodes() -> ModuleType:
    """The plugin's module (imported late: a plugin module is imported once loaded)."""
    from bot.plugins.outbox import retcodes

    return retcodes


@pytest.mark.parametrize(
    ("retcode", "text", "forward", "kind"),
    [
        (
            1200,
            "Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg",
            False,
            "uncertain",
        ),
        (100, "GROUP_NOT_FOUND 群聊不存在", False, "permanent"),
        (100, "SEND_MSG_API_ERROR 消息发送失败，账号可能被风控", False, "permanent"),
        (1200, "无法获取用户信息", False, "permanent"),
        (1200, "发送消息失败", False, "transient"),
        (1404, "不支持的Api send_group_forward_msg", True, "refused"),
        (1200, "发送合并转发消息失败", True, "refused"),
        (1200, "Timeout: forward", True, "uncertain"),
        (None, "", False, "transient"),
    ],
)
def test_classify_failure(
    retcodes: ModuleType, retcode: int | None, text: str, forward: bool, kind: str
) -> None:
    assert retcodes.classify_failure(retcode, text, forward=forward) == FailureKind(kind)


def test_a_client_failure_carries_the_reason_staff_read(retcodes: ModuleType) -> None:
    failed = ActionFailed(
        status="failed", retcode=100, data=None, message="GROUP_NOT_FOUND", wording="群聊不存在"
    )
    error = retcodes.delivery_error(failed, "group")
    assert error.kind is FailureKind.PERMANENT
    assert error.reason == "机器人不在该群、已被移出或被禁言"
    assert error.detail == "retcode=100 GROUP_NOT_FOUND 群聊不存在"
    timeout = ActionFailed(status="failed", retcode=1200, data=None, message="Timeout: sendMsg")
    assert retcodes.delivery_error(timeout, "private").reason == "发送超时"


def test_connection_errors(retcodes: ModuleType) -> None:
    from bot.nb.adapter import ConnectionLost, FrameNotWritten

    def kind(exc: Exception, *, connected: bool = True) -> FailureKind:
        error = retcodes.delivery_error(exc, "group", is_connected=lambda: connected)
        return error.kind  # type: ignore[no-any-return]

    assert kind(FrameNotWritten("replaced")) is FailureKind.DISCONNECTED  # never sent
    assert kind(ConnectionLost("closed")) is FailureKind.UNCERTAIN  # written, unanswered
    assert kind(ApiNotAvailable()) is FailureKind.DISCONNECTED
    assert kind(NetworkError("WebSocket call api send_group_msg timeout")) is FailureKind.UNCERTAIN
    assert kind(NetworkError("connection reset")) is FailureKind.TRANSIENT
    assert kind(RuntimeError("boom")) is FailureKind.TRANSIENT
    assert kind(RuntimeError("boom"), connected=False) is FailureKind.DISCONNECTED


def test_the_core_knows_no_onebot_retcodes() -> None:
    """OneBot specifics stay in the plugin: no module of bot.core.delivery classifies retcodes."""
    for info in pkgutil.iter_modules(bot.core.delivery.__path__):
        module = importlib.import_module(f"bot.core.delivery.{info.name}")
        assert not hasattr(module, "classify_failure"), info.name
        assert not hasattr(module, "PERMANENT_RETCODES"), info.name
