"""What a OneBot V11 client's failures mean, as the core's platform-neutral
:class:`~bot.core.delivery.failures.FailureKind` (the one place that knows OneBot's retcodes).

What clients answer (retcode, message/wording), and what it means for us:

- go-cqhttp / simulator: retcode 100 "failed" with GROUP_NOT_FOUND / 群聊不存在, USER_NOT_FOUND,
  SEND_MSG_API_ERROR (risk control: 消息发送失败，账号可能被风控) -> permanent: do not retry blindly;
- NapCat (WebSocket): *every* action error is retcode 1200 with the exception text, e.g.
  "Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg ..." (may have been delivered),
  "无法获取用户信息", "请指定正确的 group_id 或 user_id" (permanent); other 1200s are retried;
- 1400 bad request, 1404 unsupported action (OneBot 11 / NapCat) -> permanent (refused for forward);
- Lagrange: a send the QQ server refused may come back as ``status: ok`` with the server's result
  code as the retcode (LagrangeDev/Lagrange.Core PR 479): the adapter makes that a failure
  (bot.nb.adapter.checked_result); 120 means the account is muted in the group (issue 493) ->
  permanent; other codes are retried as transient.

And what the connection says: a call whose connection closed before it was written
(bot.nb.adapter.FrameNotWritten) waits for the next connection; one written but never answered
(ConnectionLost) counts as a timeout.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nonebot.adapters.onebot.v11 import ActionFailed, ApiNotAvailable, NetworkError
from nonebot.exception import WebSocketClosed

from bot.core.delivery.failures import DeliveryError, FailureKind
from bot.nb.adapter import ConnectionLost, FrameNotWritten

_TIMEOUT_WORDS = re.compile(r"timeout|timed out|超时", re.IGNORECASE)
_PERMANENT_WORDS = re.compile(
    r"not[ _]found|not exist|不存在|无法获取用户信息|not a friend|好友|临时会话|临时消息|"
    r"被禁言|禁言|muted|kicked|移出|不在群|not in group|请指定|invalid|非法",
    re.IGNORECASE,
)
PERMANENT_RETCODES = frozenset({100, 102, 120, 1400, 1403, 1404})

#: What staff are told, by target type and kind.
REASONS = {
    ("group", FailureKind.PERMANENT): "机器人不在该群、已被移出或被禁言",
    ("group", FailureKind.REFUSED): "客户端拒绝了合并转发消息",
    ("private", FailureKind.PERMANENT): "私聊发送被拒绝",
    ("private", FailureKind.UNREACHABLE): "不是机器人的好友，也无法通过所在群的临时会话联系",
    ("private", FailureKind.REFUSED): "客户端拒绝了合并转发消息",
}


def classify_failure(retcode: int | None, text: str, *, forward: bool = False) -> FailureKind:
    """What a failed call means. ``text`` is the client's message and wording."""
    if _TIMEOUT_WORDS.search(text or ""):
        return FailureKind.UNCERTAIN
    permanent = retcode in PERMANENT_RETCODES or bool(_PERMANENT_WORDS.search(text or ""))
    if forward and (permanent or retcode == 1200):
        # A client that cannot build the forward message (unsupported, too big, a NapCat error):
        # try again as plain text; a bad target then fails there for good.
        return FailureKind.REFUSED
    return FailureKind.PERMANENT if permanent else FailureKind.TRANSIENT


def action_failed(exc: ActionFailed, target: str, *, forward: bool = False) -> DeliveryError:
    """The client answered the call with a failure (``target``: "group" or "private")."""
    info = exc.info
    retcode = info.get("retcode")
    text = " ".join(str(info.get(k) or "") for k in ("message", "wording", "msg"))
    kind = classify_failure(retcode if isinstance(retcode, int) else None, text, forward=forward)
    reason = REASONS.get((target, kind), "发送超时" if kind is FailureKind.UNCERTAIN else "")
    detail = f"retcode={retcode} {text.strip()}"[:300]
    return DeliveryError(kind, reason or "发送失败", detail)


def delivery_error(
    exc: Exception,
    target: str,
    *,
    forward: bool = False,
    is_connected: Callable[[], bool] = lambda: True,
) -> DeliveryError:
    """Any exception of a sending call, as a :class:`DeliveryError`."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, ActionFailed):
        return action_failed(exc, target, forward=forward)
    if isinstance(exc, ApiNotAvailable):
        return DeliveryError(FailureKind.DISCONNECTED, "机器人未连接")
    if isinstance(exc, FrameNotWritten):
        # The connection closed (or was replaced) before the call went out: nothing was
        # sent, so the row waits, untouched, for the next connection.
        return DeliveryError(FailureKind.DISCONNECTED, "连接已断开，消息未发出", str(exc))
    if isinstance(exc, ConnectionLost):
        # Written, then the connection closed before the answer: like a timeout, it may
        # have been delivered (resent at most once).
        return DeliveryError(FailureKind.UNCERTAIN, "连接断开，未收到回执", str(exc))
    if isinstance(exc, NetworkError):
        text = str(getattr(exc, "msg", "") or exc)
        if "timeout" in text.lower():
            # The request went out; no answer in time: it may have been delivered.
            return DeliveryError(FailureKind.UNCERTAIN, "发送超时", text[:300])
        return DeliveryError(FailureKind.TRANSIENT, "网络错误", text[:300])
    if isinstance(exc, WebSocketClosed) or not is_connected():
        return DeliveryError(FailureKind.DISCONNECTED, "连接已断开", repr(exc))
    return DeliveryError(FailureKind.TRANSIENT, "发送出错", repr(exc)[:300])
