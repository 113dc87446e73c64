"""The project's OneBot V11 adapter: the stock adapter, checked at the edge.

Registered instead of ``nonebot.adapters.onebot.v11.Adapter`` (same name, "OneBot V11"), it
changes what reaches the bot, and nothing else:

- **HTTP event routes** (``/onebot/v11/``, ``/onebot/v11/http``, ``/onebot/v11/http/``): the
  stock adapter runs any POSTed event when ``ONEBOT_SECRET`` is unset, whatever the access
  token. The bot speaks reverse WebSocket only: these routes refuse every event (403) unless a
  signature secret is configured, and then need a valid ``X-Signature`` (constant-time compare).
- **Handshake**: ``X-Self-ID`` must be a QQ number (bot/nb/ids.py); the access token may come as
  ``Authorization: Bearer`` or ``?access_token=`` (OneBot V11 allows both), compared in constant
  time, and is checked *before* anything else is done for the caller.
- **A second connection with the same X-Self-ID** (a client reconnecting while its old socket
  hangs half-open): the old connection is asked ``get_status`` with a short timeout; if it does
  not answer, it is closed, its bot disconnected and the new one accepted (the stock adapter
  refused the new one until keepalive dropped the old, ~40 s). An answering old connection keeps
  its place and the new one is refused, as before.
- **API calls** on a connection that closes fail at once, telling "never written"
  (:class:`FrameNotWritten`: safe to send again) from "written, no answer"
  (:class:`ConnectionLost`: may have been delivered); the stock adapter waited the full timeout.
- **Frames**: one malformed frame (not JSON, truncated, bad UTF-8 in a binary frame, nested too
  deep) is skipped with a warning showing its first bytes; the stock adapter closed the whole
  connection. So is an event that does not fit its type (a message id ``abc``, a sender that is
  a string): the stock parser dispatched it as a base ``Event``, with a traceback in the log. (Invalid UTF-8 in a *text* frame is failed by the WebSocket server itself, with close
  code 1007, as RFC 6455 requires: the client reconnects and is accepted at once.)
- **Events**: message events whose ``user_id`` or ``group_id`` is not a QQ number are dropped;
  group messages from another of the office's connected accounts are ignored; in a group several
  accounts are in, one answers (bot/nb/responders.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from nonebot.adapters.onebot.utils import get_auth_bearer
from nonebot.adapters.onebot.v11 import (
    ActionFailed,
    Bot,
    Event,
    GroupMessageEvent,
    MessageEvent,
    NetworkError,
)
from nonebot.adapters.onebot.v11 import Adapter as OneBotV11Adapter
from nonebot.adapters.onebot.v11.utils import handle_api_result, log
from nonebot.compat import type_validate_python
from nonebot.drivers import Request, Response, WebSocket
from nonebot.exception import WebSocketClosed
from nonebot.utils import DataclassEncoder, escape_tag

from bot.nb.ids import is_qq_id
from bot.nb.responders import GroupResponders

#: Calls that send a message (or a file): a failure answered as ``status: ok`` counts for them.
SEND_PREFIXES = ("send_", "upload_")
#: Seconds an old connection has to answer ``get_status`` when a new one claims its X-Self-ID.
PROBE_TIMEOUT = 3.0
#: Characters of a skipped frame shown in the log.
FRAME_PREVIEW = 80
HTTP_DISABLED = "HTTP event reporting is disabled: connect by reverse WebSocket (/onebot/v11/ws)"


class FrameNotWritten(NetworkError):
    """The call never reached the socket (its connection closed or was replaced first): nothing
    was sent, so sending again cannot duplicate it."""


class ConnectionLost(NetworkError):
    """The call was written, then its connection closed before an answer came: it may or may
    not have been delivered."""


@dataclass(eq=False)
class _Connection:
    self_id: str
    websocket: WebSocket
    bot: Bot
    calls: set[asyncio.Task[Any]] = field(default_factory=set)
    closed: bool = False


@dataclass
class _CallState:
    written: bool = False


def _preview(data: str | bytes) -> str:
    return escape_tag(f"{data[:FRAME_PREVIEW]!r} ({len(data)} {type(data).__name__})")


class Adapter(OneBotV11Adapter):
    def __init__(self, driver: Any, **kwargs: Any) -> None:
        super().__init__(driver, **kwargs)
        self._live: dict[str, _Connection] = {}
        self._conn_of: weakref.WeakKeyDictionary[Bot, _Connection] = weakref.WeakKeyDictionary()
        self._handshakes: dict[str, asyncio.Lock] = {}
        self.responders = GroupResponders()
        if self.onebot_config.onebot_secret:
            log("INFO", "HTTP 事件上报：仅接受带有效 X-Signature 签名（ONEBOT_SECRET）的事件")
        else:
            log(
                "INFO",
                "HTTP 事件上报已关闭，只接受反向 WebSocket 连接（/onebot/v11/ws）。"
                "HTTP event routes refuse every event: no ONEBOT_SECRET is set.",
            )

    # ------------------------------------------------------------------ HTTP

    async def _handle_http(self, request: Request) -> Response:
        secret = self.onebot_config.onebot_secret
        if not secret:
            log("WARNING", f"Refused an HTTP event from {escape_tag(str(request.url))}: HTTP off")
            return Response(403, content=HTTP_DISABLED)
        body = request.content or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        given = (request.headers.get("x-signature") or "").encode("utf-8", "replace")
        expected = b"sha1=" + hmac.new(secret.encode("utf-8"), body, "sha1").hexdigest().encode()
        if not hmac.compare_digest(given, expected):
            log("WARNING", "Refused an HTTP event: missing or invalid X-Signature")
            return Response(403, content="Signature is invalid")
        self_id = (request.headers.get("x-self-id") or "").strip()
        if not is_qq_id(self_id):
            return Response(400, content="Missing or invalid X-Self-ID Header")
        try:
            json_data = json.loads(body)
        except (ValueError, RecursionError):
            return Response(400, content="Invalid request body")
        if event := self.json_to_event(json_data):
            bot = self.bots.get(self_id)
            if not isinstance(bot, Bot):
                bot = Bot(self, self_id)
                self.bot_connect(bot)
                log("INFO", f"<y>Bot {escape_tag(self_id)}</y> connected (HTTP)")
            self._dispatch(bot, event)
        return Response(204)

    # ------------------------------------------------------------------ WebSocket

    def _token_ok(self, request: Request) -> bool:
        expected = self.onebot_config.onebot_access_token
        if not expected:
            return True
        offered = (
            get_auth_bearer(request.headers.get("authorization")),
            request.url.query.get("access_token"),
        )
        want = expected.encode("utf-8")
        return any(
            token is not None and hmac.compare_digest(token.encode("utf-8", "replace"), want)
            for token in offered
        )

    def _refusal(self, request: Request, self_id: str) -> str | None:
        if not self_id:
            return "Missing X-Self-ID Header"
        if not is_qq_id(self_id):
            return "Invalid X-Self-ID Header"
        if not self._token_ok(request):
            has_token = request.headers.get("authorization") or request.url.query.get(
                "access_token"
            )
            return "Access token is invalid" if has_token else "Missing access token"
        return None

    @contextlib.asynccontextmanager
    async def _handshake(self, self_id: str) -> AsyncIterator[None]:
        # One lock per account number (kept: only authenticated callers get this far).
        async with self._handshakes.setdefault(self_id, asyncio.Lock()):
            yield

    async def _handle_ws(self, websocket: WebSocket) -> None:
        self_id = (websocket.request.headers.get("x-self-id") or "").strip()
        refusal = self._refusal(websocket.request, self_id)
        if refusal is not None:
            log(
                "WARNING",
                f"Refused a connection (X-Self-ID {escape_tag(self_id[:40])!r}): {refusal}",
            )
            await websocket.close(1008, refusal)
            return
        async with self._handshake(self_id):
            if self_id in self.bots and not await self._replace_if_stale(self_id):
                log("WARNING", f"There's already a bot {escape_tag(self_id)} answering; refused")
                await websocket.close(1008, "Duplicate X-Self-ID")
                return
            await websocket.accept()
            conn = self._open(self_id, websocket)
        try:
            while True:
                self._on_frame(conn, await websocket.receive())
        except WebSocketClosed:
            how = "replaced" if conn.closed else "closed by peer"
            log("WARNING", f"WebSocket for Bot {escape_tag(self_id)} {how}")
        except Exception as exc:
            log("ERROR", f"Error while receiving from bot {escape_tag(self_id)}", exc)
        finally:
            self._close(conn)

    async def _replace_if_stale(self, self_id: str) -> bool:
        """A new connection claims ``self_id``: close the old one if it does not answer."""
        old = self._live.get(self_id)
        if old is None:  # held by an HTTP-reporting account: nothing to ask
            return False
        try:
            await self._call(old, "get_status", {}, PROBE_TIMEOUT)
            return False
        except ActionFailed:  # it answered, if only to refuse
            return False
        except NetworkError:
            pass
        log(
            "WARNING",
            f"Bot {escape_tag(self_id)}: the old connection did not answer within "
            f"{PROBE_TIMEOUT:g}s; closed it for the new one",
        )
        self._close(old)
        return True

    def _open(self, self_id: str, websocket: WebSocket) -> _Connection:
        bot = Bot(self, self_id)
        conn = _Connection(self_id, websocket, bot)
        self._live[self_id] = conn
        self._conn_of[bot] = conn
        self.connections[self_id] = websocket
        self.bot_connect(bot)
        log("INFO", f"<y>Bot {escape_tag(self_id)}</y> connected")
        return conn

    def _close(self, conn: _Connection) -> None:
        """Idempotent: its calls fail at once, its bot is disconnected, its socket closed."""
        if conn.closed:
            return
        conn.closed = True
        for task in list(conn.calls):
            task.cancel()
        if self._live.get(conn.self_id) is conn:
            del self._live[conn.self_id]
            self.connections.pop(conn.self_id, None)
        if self.bots.get(conn.self_id) is conn.bot:
            self.bot_disconnect(conn.bot)
        self.responders.release(conn.self_id)
        if not conn.websocket.closed:
            task = asyncio.get_running_loop().create_task(self._close_socket(conn.websocket))
            task.add_done_callback(self.tasks.discard)
            self.tasks.add(task)

    @staticmethod
    async def _close_socket(websocket: WebSocket) -> None:
        with contextlib.suppress(Exception):
            await websocket.close(1000, "replaced by a new connection")

    def _on_frame(self, conn: _Connection, data: str | bytes) -> None:
        if conn.closed:  # replaced: whatever the old socket still says is not heard
            return
        try:
            json_data = json.loads(data)
        except (ValueError, RecursionError) as exc:  # JSON, UTF-8 and nesting errors
            log(
                "WARNING",
                f"Bot {escape_tag(conn.self_id)}: skipped a frame that is not JSON "
                f"({type(exc).__name__}): {_preview(data)}",
            )
            return
        try:
            event = self._to_event(json_data)
        except ValueError:
            log(
                "WARNING",
                f"Bot {escape_tag(conn.self_id)}: skipped an event that does not fit its type: "
                f"{_preview(data)}",
            )
            return
        except Exception as exc:  # e.g. a second answer to a call already answered
            log(
                "WARNING", f"Bot {escape_tag(conn.self_id)}: skipped a frame: {_preview(data)}", exc
            )
            return
        if event is not None:
            self._dispatch(conn.bot, event)

    def _to_event(self, json_data: Any) -> Event | None:
        """The event of a frame (None for an answer to a call, stored for its caller).

        An event must validate as the type it declares (``post_type``, ``message_type``…: the
        first model the adapter names for it); ValueError when it does not. The stock parser
        then tried the more general types and dispatched e.g. a ``MessageEvent`` without a
        group for a group message whose ``group_id`` is ``[]``, or a base ``Event`` (with a
        traceback in the log) past the id checks. An unknown ``post_type`` (NapCat's
        ``message_sent``) is a base ``Event``, as before."""
        if not isinstance(json_data, dict) or "post_type" not in json_data:
            return self.json_to_event(json_data)
        try:
            model = next(iter(self.get_event_model(json_data)), Event)  # (a NaN type fails)
            return type_validate_python(model, json_data)
        except Exception as exc:  # pydantic's ValidationError, or a model's own check
            raise ValueError("the event does not fit its type") from exc

    # ------------------------------------------------------------------ events

    def _drop_reason(self, bot: Bot, event: Event) -> str | None:
        if not isinstance(event, MessageEvent):
            return None
        if not is_qq_id(event.user_id):
            return f"user_id {event.user_id!r} is not a QQ number"
        if not isinstance(event, GroupMessageEvent):
            return None
        if not is_qq_id(event.group_id):
            return f"group_id {event.group_id!r} is not a QQ number"
        if str(event.user_id) in self.bots:
            return "sent by one of the office's own accounts"
        if not self.responders.claim(str(event.group_id), bot.self_id, self.bots):
            return f"account {self.responders.responder(str(event.group_id))} answers there"
        return None

    def _dispatch(self, bot: Bot, event: Event) -> None:
        reason = self._drop_reason(bot, event)
        if reason is not None:
            level = "DEBUG" if "answers there" in reason or "own accounts" in reason else "WARNING"
            log(level, f"Bot {escape_tag(bot.self_id)}: dropped an event: {escape_tag(reason)}")
            return
        task = asyncio.create_task(bot.handle_event(event))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    # ------------------------------------------------------------------ API calls

    async def _call_api(self, bot: Bot, api: str, **data: Any) -> Any:  # type: ignore[override]
        conn = self._conn_of.get(bot)
        if conn is None:  # an HTTP-reporting account: the stock way (HTTP API roots, if any)
            return await super()._call_api(bot, api, **data)
        timeout = data.pop("_timeout", self.config.api_timeout)
        return await self._call(conn, api, data, timeout)

    async def _call(
        self, conn: _Connection, api: str, data: dict[str, Any], timeout: float | None
    ) -> Any:
        if conn.closed:
            raise FrameNotWritten(f"connection of bot {conn.self_id} is closed; {api} not sent")
        state = _CallState()
        task = asyncio.ensure_future(self._exchange(conn, api, data, timeout, state))
        conn.calls.add(task)
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if conn.closed and current is not None and not current.cancelling():
                if state.written:
                    raise ConnectionLost(
                        f"connection of bot {conn.self_id} closed before {api} was answered"
                    ) from None
                raise FrameNotWritten(
                    f"connection of bot {conn.self_id} closed before {api} was sent"
                ) from None
            raise
        finally:
            conn.calls.discard(task)

    async def _exchange(
        self,
        conn: _Connection,
        api: str,
        data: dict[str, Any],
        timeout: float | None,
        state: _CallState,
    ) -> Any:
        seq = self._result_store.get_seq()
        frame = json.dumps({"action": api, "params": data, "echo": str(seq)}, cls=DataclassEncoder)
        try:
            await conn.websocket.send(frame)
        except Exception as exc:  # closed under us: nothing went out
            raise FrameNotWritten(f"{api} not sent: {exc!r}") from exc
        state.written = True
        try:
            return checked_result(api, await self._result_store.fetch(seq, timeout))
        except TimeoutError:
            raise NetworkError(f"WebSocket call api {api} timeout") from None


def checked_result(api: str, result: dict[str, Any] | None) -> Any:
    """A call's data, as the stock adapter gives it (``status: failed`` raises ActionFailed),
    and also a failure for a send answered ``status: ok`` with a non-zero retcode: Lagrange
    answers so when the QQ server refused the message (its result code as the retcode, e.g.
    120 when the account is muted; LagrangeDev/Lagrange.Core PR 479, issue 493), and OneBot 11
    means retcode 0 by ok. The outbox then sees it fail (bot/plugins/outbox/retcodes.py)."""
    if (
        isinstance(result, dict)
        and api.startswith(SEND_PREFIXES)
        and result.get("status") == "ok"
        and result.get("retcode") not in (0, None)
    ):
        raise ActionFailed(**{**result, "status": "failed"})
    return handle_api_result(result)
