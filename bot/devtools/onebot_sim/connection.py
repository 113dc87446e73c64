"""The client side of a OneBot V11 reverse WebSocket: connecting to the bot as NapCat does
(token, X-Self-ID, retries), heartbeats, and the ways a connection ends (closed, dropped,
half-open)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlencode

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from bot.devtools.onebot_sim.events import meta_event
from bot.devtools.onebot_sim.records import SimulatorNotConnected, SimulatorRefused

if TYPE_CHECKING:
    from types import TracebackType

log = logging.getLogger("bot.devtools.onebot_sim")

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(eq=False, repr=False)
class ReverseWebSocketClient:
    """One connection at a time to the bot; frames with an ``action`` go to :meth:`_handle_call`."""

    url: str
    _: KW_ONLY
    self_id: int
    access_token: str | None
    heartbeat_interval: float | None
    token_in_query: bool
    _ws: ClientConnection | None = field(default=None, init=False)
    _recv_task: asyncio.Task[None] | None = field(default=None, init=False)
    _heartbeat_task: asyncio.Task[None] | None = field(default=None, init=False)
    _pending: set[asyncio.Task[None]] = field(default_factory=set, init=False)
    # half-open connections (go_half_open)
    _stale: list[ClientConnection] = field(default_factory=list, init=False)

    async def _handle_call(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        """Answer one API call of the bot."""
        raise NotImplementedError

    def _changed(self) -> None:
        """The connection opened or closed (waits look again)."""

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
        await self._send_json(meta_event(self.self_id, "lifecycle", sub_type="connect"))
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
        self._changed()

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
        self._changed()

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
            event = meta_event(
                self.self_id,
                "heartbeat",
                status={"online": True, "good": True},
                interval=int(interval * 1000),
            )
            try:
                await ws.send(json.dumps(event))
            except ConnectionClosed:
                return

    # ------------------------------------------------------------------ receiving

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
            self._changed()
