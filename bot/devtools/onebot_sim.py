"""A OneBot V11 client simulator: plays a QQ client (NapCat / Lagrange) for tests and demos.

The simulator is a *reverse WebSocket* client: it connects to the bot's
``ws://HOST:PORT/onebot/v11/ws`` endpoint the way NapCat does, posts events (group and
private messages, raw notices, heartbeats) and answers the bot's API calls from a small
world model (groups, members, friends, messages). Everything the bot does is recorded in
:attr:`OneBotSimulator.calls` and :attr:`OneBotSimulator.sent`.

Typical use::

    async with OneBotSimulator("ws://127.0.0.1:8080/onebot/v11/ws", access_token="t") as sim:
        sim.add_group(1001, "政协委员群")
        sim.add_member(1001, 42, nickname="张委员")
        await sim.post_group_message(1001, 42, "提案 关于...", at=[sim.self_id])
        reply = await sim.wait_for_sent(lambda m: m.group_id == 1001)
        assert "已收到" in reply.text

Conventions the simulator follows (all as a real client does):

* Events carry ``message`` in array format (list of segment dicts) and a CQ-coded
  ``raw_message``. A ``str`` passed to ``post_*_message`` is *plain text* (CQ-looking text
  stays literal, as if a person typed it); pass a list of segment dicts for rich messages.
* A ``str`` message in an API call from the bot is parsed as CQ code (unless
  ``auto_escape`` is true), with ``&amp; &#91; &#93; &#44;`` unescaped.
* Sending to a group that was never added, or privately to a user who is neither a friend
  nor (with ``group_id``) a member of that group, fails with retcode 100.
* The bot itself is listed as a member of every group (role ``member`` unless added).
* ``wait_for_sent`` / ``wait_for_call`` consume what they return: each recorded item is
  returned at most once, so call them once per expected message, in any order.

Only ``websockets`` and the standard library are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

__all__ = [
    "ApiCall",
    "OneBotSimulator",
    "SentMessage",
    "SimulatorError",
    "SimulatorNotConnected",
    "SimulatorRefused",
    "UploadedFile",
    "escape_cq",
    "parse_cq",
    "segments_to_cq",
    "unescape_cq",
]

log = logging.getLogger(__name__)

Segment = dict[str, Any]

#: Retcodes used in answers (OneBot 11 plus the go-cqhttp/NapCat ``100`` for "failed").
RETCODE_OK = 0
RETCODE_FAILED = 100
RETCODE_BAD_REQUEST = 1400
RETCODE_UNSUPPORTED = 1404

SEND_ACTIONS = frozenset(
    {
        "send_msg",
        "send_group_msg",
        "send_private_msg",
        "send_group_forward_msg",
        "send_private_forward_msg",
        "send_forward_msg",
    }
)


# --------------------------------------------------------------------------- exceptions


class SimulatorError(Exception):
    """Base class of the simulator's own errors."""


class SimulatorRefused(SimulatorError):
    """The bot refused the WebSocket handshake (wrong/missing token, or duplicate self id).

    NoneBot's adapter closes the socket before accepting it; over FastAPI/uvicorn that shows
    up as an HTTP 403 answer to the upgrade request.
    """

    def __init__(self, status: int, body: str = "") -> None:
        self.status = status
        self.body = body
        detail = f": {body}" if body else ""
        super().__init__(f"bot refused the OneBot connection with HTTP {status}{detail}")


class SimulatorNotConnected(SimulatorError):
    """An event was posted while the simulator had no open connection."""


# --------------------------------------------------------------------------- CQ codes

_UNESCAPE_RE = re.compile(r"&(amp|#91|#93|#44);")
_UNESCAPE_MAP = {"amp": "&", "#91": "[", "#93": "]", "#44": ","}
_CQ_RE = re.compile(r"\[CQ:(?P<type>[a-zA-Z0-9-_.]+)(?P<params>(?:,[a-zA-Z0-9-_.]+=[^,\]]*)*),?\]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_cq(text: str, *, escape_comma: bool = True) -> str:
    """Escape ``&``, ``[``, ``]`` (and ``,`` unless told not to) for CQ code."""
    text = text.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;")
    if escape_comma:
        text = text.replace(",", "&#44;")
    return text


def unescape_cq(text: str) -> str:
    """Undo :func:`escape_cq` in one pass (so ``&amp;#91;`` becomes ``&#91;``, not ``[``)."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPE_MAP[m.group(1)], text)


def parse_cq(message: str) -> list[Segment]:
    """Parse a CQ-coded string into segment dicts (all data values are strings)."""
    segments: list[Segment] = []
    pos = 0
    for match in _CQ_RE.finditer(message):
        if match.start() > pos:
            segments.append(_text(unescape_cq(message[pos : match.start()])))
        data: dict[str, Any] = {}
        for item in match.group("params").split(","):
            if item:
                key, _, value = item.partition("=")
                data[key.strip()] = unescape_cq(value)
        segments.append({"type": match.group("type"), "data": data})
        pos = match.end()
    if pos < len(message):
        segments.append(_text(unescape_cq(message[pos:])))
    return segments


def segments_to_cq(segments: Iterable[Segment]) -> str:
    """Render segment dicts as a CQ-coded string (the ``raw_message`` of an event)."""
    parts: list[str] = []
    for seg in segments:
        data = seg.get("data") or {}
        if seg.get("type") == "text":
            parts.append(escape_cq(str(data.get("text", "")), escape_comma=False))
            continue
        params = ",".join(
            f"{key}={escape_cq(_cq_value(value))}"
            for key, value in data.items()
            if value is not None
        )
        parts.append(f"[CQ:{seg.get('type')}{',' if params else ''}{params}]")
    return "".join(parts)


def _cq_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _text(text: str) -> Segment:
    return {"type": "text", "data": {"text": text}}


def _normalise_message(message: Any, *, auto_escape: bool = False) -> list[Segment]:
    """Turn any OneBot message value (CQ string, one segment, segment list) into segments."""
    if message is None:
        return []
    if isinstance(message, str):
        return [_text(message)] if auto_escape else parse_cq(message)
    if isinstance(message, dict):
        message = [message]
    segments: list[Segment] = []
    for seg in message:
        if isinstance(seg, str):
            segments.extend(parse_cq(seg))
            continue
        if not isinstance(seg, dict) or "type" not in seg:
            raise ValueError(f"not a message segment: {seg!r}")
        data = copy.deepcopy(seg.get("data") or {})
        segments.append({"type": str(seg["type"]), "data": data})
    return segments


def _plain_text(segments: Iterable[Segment]) -> str:
    return "".join(
        str((seg.get("data") or {}).get("text", "")) for seg in segments if seg["type"] == "text"
    )


# --------------------------------------------------------------------------- records


@dataclass
class ApiCall:
    """One API call received from the bot.

    ``time`` is the wall-clock time (``time.time()``) when the simulator received it.
    """

    action: str
    params: dict[str, Any]
    echo: Any
    time: float


@dataclass
class SentMessage:
    """A message the bot sent (one per message-sending API call that got a message id).

    ``message`` is normalised to segment dicts; for forward messages it holds the ``node``
    segments, each node's ``content`` normalised to segments too.
    """

    action: str
    message_type: str
    group_id: int | None
    user_id: int | None
    message: list[Segment]
    message_id: int
    time: float = field(default_factory=time.time)
    params: dict[str, Any] = field(default_factory=dict)
    recalled: bool = False

    @property
    def is_forward(self) -> bool:
        """True for ``send_*_forward_msg`` messages."""
        return "forward" in self.action

    @property
    def text(self) -> str:
        """Text of the text segments; for a forward message, the node texts joined by ``\\n``."""
        if self.is_forward:
            return "\n".join(_plain_text(node) for node in self.forward_nodes)
        return _plain_text(self.message)

    def has_at(self, user_id: int | str) -> bool:
        """Whether the message @-mentions ``user_id``."""
        return any(
            seg["type"] == "at" and str(seg["data"].get("qq")) == str(user_id)
            for seg in self.message
        )

    @property
    def at_all(self) -> bool:
        """Whether the message holds an @全体成员 (``at`` with ``qq`` ``"all"``)."""
        return self.has_at("all")

    @property
    def reply_id(self) -> int | None:
        """The quoted message id of the first ``reply`` segment, or ``None``."""
        for seg in self.message:
            if seg["type"] == "reply":
                value = seg["data"].get("id")
                try:
                    return int(value)
                except (TypeError, ValueError):
                    return None
        return None

    @property
    def forward_nodes(self) -> list[list[Segment]]:
        """Contents (segment lists) of the ``node`` segments of a forward message.

        A node that references an existing message (``{"id": ...}``) yields that message's
        segments when the simulator knows it, else an empty list.
        """
        return [seg["data"].get("content") or [] for seg in self.message if seg["type"] == "node"]


@dataclass
class UploadedFile:
    """A file the bot uploaded with ``upload_group_file`` / ``upload_private_file``."""

    action: str
    file: str
    name: str
    group_id: int | None = None
    user_id: int | None = None
    folder: str | None = None


@dataclass
class _Member:
    user_id: int
    nickname: str = ""
    card: str = ""
    role: str = "member"
    join_time: int = field(default_factory=lambda: int(time.time()))


@dataclass
class _Group:
    group_id: int
    name: str = ""
    members: dict[int, _Member] = field(default_factory=dict)


@dataclass
class _StoredMessage:
    message_id: int
    time: int
    message_type: str
    sender: dict[str, Any]
    message: list[Segment]
    group_id: int | None = None


@dataclass
class _Failure:
    retcode: int
    message: str
    deliver: bool


class _ApiError(Exception):
    def __init__(self, retcode: int, message: str) -> None:
        super().__init__(message)
        self.retcode = retcode
        self.message = message


# --------------------------------------------------------------------------- simulator


class OneBotSimulator:
    """A reverse-WebSocket OneBot V11 client that stands in for NapCat/Lagrange."""

    def __init__(
        self,
        url: str,
        *,
        self_id: int = 10000,
        access_token: str | None = None,
        nickname: str = "政协履职助手",
        heartbeat_interval: float | None = 5.0,
        token_in_query: bool = False,
    ) -> None:
        """Prepare a simulator; nothing connects until :meth:`connect`.

        Args:
            url: the bot's reverse WebSocket URL, e.g. ``ws://127.0.0.1:8080/onebot/v11/ws``.
            self_id: the bot account's QQ number (sent as ``X-Self-ID``).
            access_token: sent as ``Authorization: Bearer <token>`` when given.
            nickname: the bot account's nickname (``get_login_info``, sender of its messages).
            heartbeat_interval: seconds between heartbeat meta events; ``None``/``0`` disables.
            token_in_query: send the token as ``?access_token=`` in the URL instead of the
                header (the OneBot V11 spec allows both).
        """
        self.url = url
        self.self_id = self_id
        self.access_token = access_token
        self.nickname = nickname
        self.heartbeat_interval = heartbeat_interval
        self.token_in_query = token_in_query

        self.sent: list[SentMessage] = []
        """Every message the bot sent, in order (including ``deliver=True`` failures)."""
        self.calls: list[ApiCall] = []
        """Every API call the bot made, in the order received."""
        self.events: list[dict[str, Any]] = []
        """Every non-meta event posted (copies of the payloads), e.g. for re-delivery."""
        self.uploads: list[UploadedFile] = []
        """Every file upload the bot asked for."""

        self._groups: dict[int, _Group] = {}
        self._friends: dict[int, str] = {}
        self._messages: dict[int, _StoredMessage] = {}
        self._next_message_id = 1
        self._next_forward_id = 1
        self._failures: dict[str, list[_Failure]] = {}
        self._response_delay = 0.0

        self._ws: ClientConnection | None = None
        self._recv_task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self._stale: list[ClientConnection] = []  # half-open connections (go_half_open)
        self._consumed_sent: set[int] = set()
        self._consumed_calls: set[int] = set()
        self._waiters: set[asyncio.Event] = set()

    # ------------------------------------------------------------------ connection

    @property
    def connected(self) -> bool:
        """Whether a connection is open."""
        return self._ws is not None and self._recv_task is not None and not self._recv_task.done()

    def _headers(self) -> dict[str, str]:
        headers = {
            "X-Self-ID": str(self.self_id),
            "X-Client-Role": "Universal",
            "User-Agent": "OneBot/11 onebot-sim",
        }
        if self.access_token and not self.token_in_query:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    def _connect_url(self) -> str:
        if not (self.access_token and self.token_in_query):
            return self.url
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}{urlencode({'access_token': self.access_token})}"

    async def connect(self, timeout: float = 10.0, *, retry_refused: bool = False) -> None:
        """Connect to the bot, retrying until it accepts or ``timeout`` seconds pass.

        Connection errors (port not listening yet, server starting) are retried. An HTTP
        401/403 answer raises :class:`SimulatorRefused` at once, unless ``retry_refused``
        is true: NoneBot's stock adapter also refuses (403) a second connection with an
        X-Self-ID it still holds, so reconnect tests after :meth:`disconnect_abruptly` may want
        to retry. (The project's adapter, bot/nb/adapter.py, asks the old connection first and
        replaces it when it does not answer.)
        After the handshake, posts a ``lifecycle``/``connect`` meta event and starts the
        heartbeat.

        Raises:
            SimulatorRefused: the handshake was refused with 401/403.
            TimeoutError: the bot did not accept within ``timeout``.
        """
        if self.connected:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        delay = 0.05
        last_error: BaseException | None = None
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"could not connect to {self.url} within {timeout}s: {last_error!r}"
                ) from last_error
            try:
                ws = await connect(
                    self._connect_url(),
                    additional_headers=self._headers(),
                    open_timeout=remaining,
                    proxy=None,
                    max_size=None,
                    ping_interval=None,
                    compression=None,
                )
                break
            except InvalidStatus as exc:
                status = exc.response.status_code
                body = (exc.response.body or b"").decode("utf-8", "replace")
                if status in (401, 403) and not retry_refused:
                    raise SimulatorRefused(status, body) from exc
                last_error = exc
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                last_error = exc
            await asyncio.sleep(min(delay, max(0.0, deadline - loop.time())))
            delay = min(delay * 2, 0.5)

        self._ws = ws
        self._recv_task = asyncio.create_task(self._receive_loop(ws), name="onebot-sim-recv")
        await self._send_json(self._meta("lifecycle", sub_type="connect"))
        if self.heartbeat_interval:
            self._heartbeat_task = asyncio.create_task(
                self._heartbeat_loop(ws, self.heartbeat_interval), name="onebot-sim-heartbeat"
            )

    async def close(self) -> None:
        """Close the connection with a proper close handshake (idempotent); half-open ones
        (:meth:`go_half_open`) are dropped."""
        await self._stop_background()
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        await self._finish_receive()
        stale, self._stale = self._stale, []
        for old in stale:
            old.transport.abort()

    async def go_half_open(self) -> None:
        """Stop reading from the connection without closing it: a client that hangs, or a
        network path that died without a FIN. The bot's frames (calls, pings) stay unread and
        unanswered; the socket stays open until :meth:`close`. :meth:`connect` meanwhile opens
        a new connection with the same X-Self-ID, as a restarted client would."""
        ws = self._require_connected()
        await self._stop_background()
        ws.transport.pause_reading()
        self._stale.append(ws)
        self._ws = None
        task, self._recv_task = self._recv_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._notify()

    async def send_raw(self, data: str | bytes, *, text: bool | None = None) -> None:
        """Send one frame as is (not JSON-checked): ``str`` as a text frame, ``bytes`` as a
        binary frame, or bytes as a *text* frame with ``text=True`` (e.g. invalid UTF-8).

        Raises:
            SimulatorNotConnected: no open connection, or it closed while sending.
        """
        ws = self._require_connected()
        try:
            await ws.send(data, text=text)
        except ConnectionClosed as exc:
            raise SimulatorNotConnected(f"connection to the bot is closed: {exc}") from exc

    async def wait_closed(self, timeout: float = 5.0) -> int | None:
        """Wait until the bot closes the connection; its close code (None if it was dropped)."""
        ws = self._ws
        if ws is None:
            return None
        await asyncio.wait_for(ws.wait_closed(), timeout)
        await self._finish_receive()
        return ws.close_code

    async def disconnect_abruptly(self) -> None:
        """Drop the TCP connection without a close handshake (a crashed/killed client).

        The recorded state (world model, ``sent``, ``calls``) is kept; call :meth:`connect`
        again to reconnect.
        """
        await self._stop_background()
        ws, self._ws = self._ws, None
        if ws is not None:
            ws.transport.abort()
        await self._finish_receive()

    async def _stop_background(self) -> None:
        tasks = [t for t in (self._heartbeat_task, *self._pending) if t is not None]
        self._heartbeat_task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._pending.clear()

    async def _finish_receive(self) -> None:
        task, self._recv_task = self._recv_task, None
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        self._notify()

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ world model

    def add_group(self, group_id: int, name: str = "") -> None:
        """Add (or rename) a group the bot account is in."""
        group = self._groups.get(group_id)
        if group is None:
            self._groups[group_id] = _Group(group_id, name or f"群{group_id}")
        elif name:
            group.name = name

    def remove_group(self, group_id: int) -> None:
        """Forget a group (as if the bot was removed): sends to it then fail."""
        self._groups.pop(group_id, None)

    def add_member(
        self,
        group_id: int,
        user_id: int,
        *,
        nickname: str = "",
        card: str = "",
        role: str = "member",
    ) -> None:
        """Add or update a group member (adds the group if needed). Role: owner/admin/member."""
        self.add_group(group_id)
        self._groups[group_id].members[user_id] = _Member(
            user_id, nickname or self._known_nickname(user_id), card, role
        )

    def remove_member(self, group_id: int, user_id: int) -> None:
        """Remove a member from a group."""
        if group_id in self._groups:
            self._groups[group_id].members.pop(user_id, None)

    def add_friend(self, user_id: int, nickname: str = "") -> None:
        """Add a friend of the bot account (private messages to friends succeed)."""
        self._friends[user_id] = nickname or self._known_nickname(user_id)

    def remove_friend(self, user_id: int) -> None:
        """Remove a friend."""
        self._friends.pop(user_id, None)

    def _known_nickname(self, user_id: int) -> str:
        if user_id == self.self_id:
            return self.nickname
        if self._friends.get(user_id):
            return self._friends[user_id]
        for group in self._groups.values():
            member = group.members.get(user_id)
            if member is not None and member.nickname:
                return member.nickname
        return f"用户{user_id}"

    def _member(self, group_id: int, user_id: int) -> _Member | None:
        group = self._groups.get(group_id)
        if group is None:
            return None
        member = group.members.get(user_id)
        if member is None and user_id == self.self_id:
            member = _Member(self.self_id, self.nickname)
        return member

    def _members(self, group: _Group) -> list[_Member]:
        members = list(group.members.values())
        if self.self_id not in group.members:
            members.insert(0, _Member(self.self_id, self.nickname))
        return members

    # ------------------------------------------------------------------ events

    def _take_message_id(self, message_id: int | None) -> int:
        if message_id is None:
            message_id = self._next_message_id
        self._next_message_id = max(self._next_message_id, message_id + 1)
        return message_id

    def _meta(self, meta_event_type: str, **extra: Any) -> dict[str, Any]:
        return {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "meta_event",
            "meta_event_type": meta_event_type,
            **extra,
        }

    def _compose(
        self,
        message: str | list[dict[str, Any]],
        reply_to: int | None,
        at: Sequence[int | str],
    ) -> list[Segment]:
        body = [_text(message)] if isinstance(message, str) else _normalise_message(message)
        head: list[Segment] = []
        if reply_to is not None:
            head.append({"type": "reply", "data": {"id": str(reply_to)}})
            quoted = self._messages.get(reply_to)
            if quoted is not None and str(quoted.sender.get("user_id")) == str(self.self_id):
                # QQ adds an @ of the quoted author after the reply segment.
                head.append({"type": "at", "data": {"qq": str(self.self_id)}})
                head.append(_text(" "))
        for target in at:
            head.append({"type": "at", "data": {"qq": str(target)}})
            head.append(_text(" "))
        segments = head + body
        # Merge adjacent text segments, as clients report them.
        merged: list[Segment] = []
        for seg in segments:
            if seg["type"] == "text" and merged and merged[-1]["type"] == "text":
                merged[-1]["data"]["text"] += seg["data"]["text"]
            else:
                merged.append(seg)
        return [seg for seg in merged if seg["type"] != "text" or seg["data"]["text"]]

    async def post_group_message(
        self,
        group_id: int,
        user_id: int,
        message: str | list[dict[str, Any]],
        *,
        message_id: int | None = None,
        reply_to: int | None = None,
        at: Sequence[int | str] = (),
        card: str | None = None,
        nickname: str | None = None,
        role: str | None = None,
    ) -> int:
        """Post a group message event from ``user_id``; returns its message id.

        ``message`` as ``str`` is plain text (taken literally); a list is segment dicts.
        ``reply_to`` puts a ``reply`` segment first (plus QQ's @ of the bot when the quoted
        message is the bot's); ``at`` adds ``at`` segments before the text. The group and
        the member are added to the world model if unknown; ``card``/``nickname``/``role``
        override the member's stored values for this message only.

        Raises:
            SimulatorNotConnected: no open connection (nothing is recorded then).
        """
        self._require_connected()
        member = self._member(group_id, user_id)
        if member is None:
            self.add_member(group_id, user_id)
            member = self._member(group_id, user_id)
        assert member is not None
        mid = self._take_message_id(message_id)
        segments = self._compose(message, reply_to, at)
        sender = {
            "user_id": user_id,
            "nickname": member.nickname if nickname is None else nickname,
            "card": member.card if card is None else card,
            "role": member.role if role is None else role,
            "sex": "unknown",
            "age": 0,
            "area": "",
            "level": "",
            "title": "",
        }
        payload = {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": mid,
            "group_id": group_id,
            "user_id": user_id,
            "anonymous": None,
            "message": segments,
            "raw_message": segments_to_cq(segments),
            "font": 0,
            "sender": sender,
        }
        await self.post_event(payload)
        return mid

    async def post_private_message(
        self,
        user_id: int,
        message: str | list[dict[str, Any]],
        *,
        message_id: int | None = None,
        reply_to: int | None = None,
        nickname: str | None = None,
        sub_type: str = "friend",
    ) -> int:
        """Post a private message event from ``user_id``; returns its message id.

        With ``sub_type="friend"`` (default) an unknown user is added as a friend;
        ``"group"`` is a group temporary session and adds nothing.

        Raises:
            SimulatorNotConnected: no open connection (nothing is recorded then).
        """
        self._require_connected()
        if sub_type == "friend" and user_id not in self._friends:
            self.add_friend(user_id, nickname or "")
        mid = self._take_message_id(message_id)
        segments = self._compose(message, reply_to, ())
        sender = {
            "user_id": user_id,
            "nickname": self._known_nickname(user_id) if nickname is None else nickname,
            "sex": "unknown",
            "age": 0,
        }
        payload = {
            "time": int(time.time()),
            "self_id": self.self_id,
            "post_type": "message",
            "message_type": "private",
            "sub_type": sub_type,
            "message_id": mid,
            "user_id": user_id,
            "message": segments,
            "raw_message": segments_to_cq(segments),
            "font": 0,
            "sender": sender,
        }
        await self.post_event(payload)
        return mid

    async def post_event(self, payload: dict[str, Any]) -> None:
        """Post a raw event (notice, request, re-delivered message...).

        ``time`` and ``self_id`` are filled in when missing. Message events are remembered
        for ``get_msg``; non-meta events are appended to :attr:`events`.

        Raises:
            SimulatorNotConnected: no open connection.
        """
        self._require_connected()
        payload = dict(payload)
        payload.setdefault("time", int(time.time()))
        payload.setdefault("self_id", self.self_id)
        if payload.get("post_type") == "message" and "message_id" in payload:
            self._remember_event(payload)
        if payload.get("post_type") != "meta_event":
            self.events.append(copy.deepcopy(payload))
        await self._send_json(payload)

    def _remember_event(self, payload: dict[str, Any]) -> None:
        mid = int(payload["message_id"])
        self._next_message_id = max(self._next_message_id, mid + 1)
        self._messages[mid] = _StoredMessage(
            message_id=mid,
            time=int(payload["time"]),
            message_type=str(payload.get("message_type", "")),
            sender=copy.deepcopy(payload.get("sender") or {"user_id": payload.get("user_id")}),
            message=_normalise_message(payload.get("message")),
            group_id=payload.get("group_id"),
        )

    def _require_connected(self) -> ClientConnection:
        ws = self._ws
        if ws is None or not self.connected:
            raise SimulatorNotConnected("the simulator is not connected to a bot")
        return ws

    async def _send_json(self, payload: dict[str, Any]) -> None:
        ws = self._require_connected()
        frame = json.dumps(payload, ensure_ascii=False)
        if _SURROGATE.search(frame):
            # a lone surrogate cannot be sent as UTF-8: escape it (`"\ud800"`), as clients do
            frame = json.dumps(payload)
        try:
            await ws.send(frame)
        except ConnectionClosed as exc:
            raise SimulatorNotConnected(f"connection to the bot is closed: {exc}") from exc

    async def _heartbeat_loop(self, ws: ClientConnection, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            event = self._meta(
                "heartbeat", status={"online": True, "good": True}, interval=int(interval * 1000)
            )
            try:
                await ws.send(json.dumps(event))
            except ConnectionClosed:
                return

    # ------------------------------------------------------------------ API side

    async def _receive_loop(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                try:
                    data = json.loads(raw)
                except ValueError:
                    log.warning("onebot-sim: ignored a non-JSON frame: %.200r", raw)
                    continue
                if not isinstance(data, dict) or "action" not in data:
                    log.warning("onebot-sim: ignored a frame without action: %.200r", raw)
                    continue
                await self._handle_call(ws, data)
        except ConnectionClosed:
            pass
        finally:
            if self._ws is ws:
                self._ws = None
            self._notify()

    async def _handle_call(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        action = str(data["action"])
        params = data.get("params") or {}
        if not isinstance(params, dict):
            params = {}
        echo = data.get("echo")
        call = ApiCall(action=action, params=params, echo=echo, time=time.time())
        self.calls.append(call)
        try:
            response = self._answer(action, params)
        except Exception as exc:  # never lose a call: answer it whatever happened
            log.exception("onebot-sim: error while answering %s", action)
            response = _failed(RETCODE_BAD_REQUEST, f"simulator error: {exc!r}")
        response["echo"] = echo
        self._notify()
        if self._response_delay > 0:
            task = asyncio.create_task(self._send_later(ws, response, self._response_delay))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        else:
            with contextlib.suppress(ConnectionClosed):
                await ws.send(json.dumps(response, ensure_ascii=False))

    @staticmethod
    async def _send_later(ws: ClientConnection, response: dict[str, Any], delay: float) -> None:
        await asyncio.sleep(delay)
        with contextlib.suppress(ConnectionClosed):
            await ws.send(json.dumps(response, ensure_ascii=False))

    def _answer(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._failures.get(action)
        failure = queue.pop(0) if queue else None
        if queue is not None and not queue:
            del self._failures[action]
        handler = getattr(self, f"_api_{action}", None)
        if failure is not None:
            if failure.deliver and handler is not None and action in SEND_ACTIONS:
                with contextlib.suppress(_ApiError, KeyError, TypeError, ValueError):
                    handler(params)
            return _failed(failure.retcode, failure.message or f"injected failure of {action}")
        if handler is None:
            return _failed(RETCODE_UNSUPPORTED, f"unsupported action: {action}")
        try:
            return {"status": "ok", "retcode": RETCODE_OK, "data": handler(params)}
        except _ApiError as exc:
            return _failed(exc.retcode, exc.message)
        except (KeyError, TypeError, ValueError) as exc:
            return _failed(RETCODE_BAD_REQUEST, f"bad parameters for {action}: {exc!r}")

    # --- sending

    def _check_target(self, message_type: str, group_id: int | None, user_id: int | None) -> None:
        if message_type == "group":
            if group_id is None or group_id not in self._groups:
                raise _ApiError(RETCODE_FAILED, f"group {group_id} not found")
            return
        if message_type != "private" or user_id is None:
            raise _ApiError(RETCODE_BAD_REQUEST, f"bad message target {message_type!r}")
        if user_id in self._friends:
            return
        if group_id is not None and self._member(group_id, user_id) is not None:
            return
        raise _ApiError(RETCODE_FAILED, f"user {user_id} is not a friend (no temporary session)")

    def _record_sent(
        self,
        action: str,
        params: dict[str, Any],
        message_type: str,
        segments: list[Segment],
        forward_id: str | None = None,
    ) -> SentMessage:
        group_id = _opt_int(params.get("group_id"))
        user_id = _opt_int(params.get("user_id"))
        self._check_target(message_type, group_id, user_id)
        if message_type == "group":
            user_id = None
        mid = self._take_message_id(None)
        sent = SentMessage(
            action=action,
            message_type=message_type,
            group_id=group_id,
            user_id=user_id,
            message=segments,
            message_id=mid,
            params=params,
        )
        self.sent.append(sent)
        sender: dict[str, Any] = {"user_id": self.self_id, "nickname": self.nickname}
        if message_type == "group" and group_id is not None:
            me = self._member(group_id, self.self_id)
            sender.update(card=me.card if me else "", role=me.role if me else "member")
        stored = segments
        if forward_id is not None:
            stored = [{"type": "forward", "data": {"id": forward_id}}]
        self._messages[mid] = _StoredMessage(
            message_id=mid,
            time=int(sent.time),
            message_type=message_type,
            sender=sender,
            message=copy.deepcopy(stored),
            group_id=group_id if message_type == "group" else None,
        )
        return sent

    def _message_of(self, params: dict[str, Any]) -> list[Segment]:
        return _normalise_message(params["message"], auto_escape=bool(params.get("auto_escape")))

    def _api_send_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        message_type = params.get("message_type") or (
            "group" if params.get("group_id") is not None else "private"
        )
        sent = self._record_sent("send_msg", params, message_type, self._message_of(params))
        return {"message_id": sent.message_id}

    def _api_send_group_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._record_sent("send_group_msg", params, "group", self._message_of(params))
        return {"message_id": sent.message_id}

    def _api_send_private_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._record_sent("send_private_msg", params, "private", self._message_of(params))
        return {"message_id": sent.message_id}

    def _forward(self, action: str, params: dict[str, Any], message_type: str) -> dict[str, Any]:
        raw_nodes = params.get("messages", params.get("message"))
        if raw_nodes is None:
            raise KeyError("messages")
        nodes: list[Segment] = []
        for seg in _normalise_message(raw_nodes):
            if seg["type"] != "node":
                raise _ApiError(RETCODE_BAD_REQUEST, f"forward message holds a {seg['type']}")
            data = seg["data"]
            if "content" in data:
                data["content"] = _normalise_message(data["content"])
            elif "id" in data:
                quoted = self._messages.get(_opt_int(data["id"]) or -1)
                data["content"] = copy.deepcopy(quoted.message) if quoted else []
            nodes.append(seg)
        if not nodes:
            raise _ApiError(RETCODE_BAD_REQUEST, "empty forward message")
        forward_id = f"sim-forward-{self._next_forward_id}"
        self._next_forward_id += 1
        sent = self._record_sent(action, params, message_type, nodes, forward_id)
        return {"message_id": sent.message_id, "forward_id": forward_id}

    def _api_send_group_forward_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._forward("send_group_forward_msg", params, "group")

    def _api_send_private_forward_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._forward("send_private_forward_msg", params, "private")

    def _api_send_forward_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        message_type = params.get("message_type") or (
            "group" if params.get("group_id") is not None else "private"
        )
        return self._forward("send_forward_msg", params, message_type)

    def _api_delete_msg(self, params: dict[str, Any]) -> None:
        mid = int(params["message_id"])
        if self._messages.pop(mid, None) is None:
            raise _ApiError(RETCODE_FAILED, f"message {mid} not found")
        for sent in self.sent:
            if sent.message_id == mid:
                sent.recalled = True

    def _api_get_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        mid = int(params["message_id"])
        stored = self._messages.get(mid)
        if stored is None:
            raise _ApiError(RETCODE_FAILED, f"message {mid} not found")
        data: dict[str, Any] = {
            "time": stored.time,
            "message_type": stored.message_type,
            "message_id": stored.message_id,
            "real_id": stored.message_id,
            "sender": copy.deepcopy(stored.sender),
            "message": copy.deepcopy(stored.message),
            "raw_message": segments_to_cq(stored.message),
        }
        if stored.group_id is not None:
            data["group_id"] = stored.group_id
        return data

    # --- account and world

    def _api_get_login_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"user_id": self.self_id, "nickname": self.nickname}

    def _api_get_status(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"online": True, "good": True}

    def _api_get_version_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"app_name": "onebot-sim", "app_version": "1.0.0", "protocol_version": "v11"}

    def _api_can_send_image(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"yes": True}

    def _api_can_send_record(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"yes": True}

    def _api_get_friend_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"user_id": uid, "nickname": name, "remark": ""} for uid, name in self._friends.items()
        ]

    def _api_get_stranger_info(self, params: dict[str, Any]) -> dict[str, Any]:
        uid = int(params["user_id"])
        return {"user_id": uid, "nickname": self._known_nickname(uid), "sex": "unknown", "age": 0}

    def _group_info(self, group: _Group) -> dict[str, Any]:
        return {
            "group_id": group.group_id,
            "group_name": group.name,
            "member_count": len(self._members(group)),
            "max_member_count": 500,
        }

    def _group(self, params: dict[str, Any]) -> _Group:
        gid = int(params["group_id"])
        group = self._groups.get(gid)
        if group is None:
            raise _ApiError(RETCODE_FAILED, f"group {gid} not found")
        return group

    def _member_info(self, group_id: int, member: _Member) -> dict[str, Any]:
        return {
            "group_id": group_id,
            "user_id": member.user_id,
            "nickname": member.nickname,
            "card": member.card,
            "sex": "unknown",
            "age": 0,
            "area": "",
            "join_time": member.join_time,
            "last_sent_time": member.join_time,
            "level": "1",
            "role": member.role,
            "unfriendly": False,
            "title": "",
            "title_expire_time": 0,
            "card_changeable": True,
        }

    def _api_get_group_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [self._group_info(group) for group in self._groups.values()]

    def _api_get_group_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._group_info(self._group(params))

    def _api_get_group_member_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group = self._group(params)
        return [self._member_info(group.group_id, m) for m in self._members(group)]

    def _api_get_group_member_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(params)
        uid = int(params["user_id"])
        member = self._member(group.group_id, uid)
        if member is None:
            raise _ApiError(RETCODE_FAILED, f"user {uid} is not in group {group.group_id}")
        return self._member_info(group.group_id, member)

    def _api_set_group_card(self, params: dict[str, Any]) -> None:
        group = self._group(params)
        uid = int(params["user_id"])
        card = str(params.get("card") or "")
        if uid in group.members:
            group.members[uid].card = card
        elif uid == self.self_id:
            group.members[uid] = _Member(uid, self.nickname, card)
        else:
            raise _ApiError(RETCODE_FAILED, f"user {uid} is not in group {group.group_id}")

    def _api_upload_group_file(self, params: dict[str, Any]) -> None:
        group = self._group(params)
        self.uploads.append(
            UploadedFile(
                action="upload_group_file",
                file=str(params["file"]),
                name=str(params.get("name") or ""),
                group_id=group.group_id,
                folder=params.get("folder"),
            )
        )

    def _api_upload_private_file(self, params: dict[str, Any]) -> None:
        uid = int(params["user_id"])
        self._check_target("private", _opt_int(params.get("group_id")), uid)
        self.uploads.append(
            UploadedFile(
                action="upload_private_file",
                file=str(params["file"]),
                name=str(params.get("name") or ""),
                user_id=uid,
            )
        )

    # ------------------------------------------------------------------ test helpers

    def fail_next(
        self,
        action: str,
        *,
        retcode: int = RETCODE_FAILED,
        times: int = 1,
        message: str = "",
        deliver: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``action`` answer ``status: "failed"``.

        ``deliver=True`` still records a sent message (and gives it a message id) before
        failing, like NapCat's retcode 1200 timeouts that did reach the group. Note that
        NoneBot's ``matcher.send``/``bot.send`` use ``send_msg``.
        """
        queue = self._failures.setdefault(action, [])
        queue.extend(_Failure(retcode, message, deliver) for _ in range(times))

    def set_response_delay(self, seconds: float) -> None:
        """Delay every API answer by ``seconds`` (calls are still recorded at once)."""
        self._response_delay = max(0.0, seconds)

    def clear(self) -> None:
        """Forget recorded ``sent``, ``calls``, ``events``, ``uploads`` and pending failures.

        The world model and the message store (for ``get_msg``) are kept.
        """
        self.sent.clear()
        self.calls.clear()
        self.events.clear()
        self.uploads.clear()
        self._failures.clear()
        self._consumed_sent.clear()
        self._consumed_calls.clear()

    def _notify(self) -> None:
        for waiter in self._waiters:
            waiter.set()

    async def _wait(self, find: Callable[[], Any], limit: float, what: Callable[[], str]) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while True:
            found = find()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                state = "connected" if self.connected else "NOT connected"
                raise TimeoutError(f"timed out after {limit}s ({state}) {what()}")
            waiter = asyncio.Event()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(waiter)

    async def wait_for_sent(
        self,
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> SentMessage:
        """The first not-yet-returned sent message matching ``predicate`` (any if ``None``).

        Looks at messages already sent, then waits up to ``timeout`` seconds.

        Raises:
            TimeoutError: nothing matched in time (the message lists what was sent).
        """

        def find() -> SentMessage | None:
            for index, sent in enumerate(self.sent):
                if index in self._consumed_sent:
                    continue
                if predicate is None or predicate(sent):
                    self._consumed_sent.add(index)
                    return sent
            return None

        def what() -> str:
            texts = [f"{s.message_type}:{s.group_id or s.user_id}:{s.text!r}" for s in self.sent]
            return f"waiting for a sent message; sent so far: {texts}"

        result: SentMessage = await self._wait(find, timeout, what)
        return result

    async def wait_for_call(self, action: str, *, timeout: float = 5.0) -> ApiCall:
        """The first not-yet-returned call of ``action``, waiting up to ``timeout`` seconds.

        Raises:
            TimeoutError: no such call in time.
        """

        def find() -> ApiCall | None:
            for index, call in enumerate(self.calls):
                if index not in self._consumed_calls and call.action == action:
                    self._consumed_calls.add(index)
                    return call
            return None

        def what() -> str:
            return f"waiting for {action!r}; calls so far: {[c.action for c in self.calls]}"

        result: ApiCall = await self._wait(find, timeout, what)
        return result


def _failed(retcode: int, message: str) -> dict[str, Any]:
    return {
        "status": "failed",
        "retcode": retcode,
        "data": None,
        "message": message,
        "wording": message,
    }


def _opt_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(value)
