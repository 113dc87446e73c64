"""What the simulator records of the bot (calls, sent messages, uploads), the waits on those
records, and the simulator's own errors."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.devtools.onebot_sim.cq import Segment, plain_text

if TYPE_CHECKING:
    from collections.abc import Callable

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
            return "\n".join(plain_text(node) for node in self.forward_nodes)
        return plain_text(self.message)

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


# --------------------------------------------------------------------------- the log


class Recorder:
    """Everything the bot did, in order, and waits for what it has not done yet. Each recorded
    call or message is returned by a wait at most once."""

    def __init__(self, connected: Callable[[], bool]) -> None:
        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.events: list[dict[str, Any]] = []
        self.uploads: list[UploadedFile] = []
        self._connected = connected
        self._consumed_sent: set[int] = set()
        self._consumed_calls: set[int] = set()
        self._waiters: set[asyncio.Event] = set()

    def clear(self) -> None:
        self.sent.clear()
        self.calls.clear()
        self.events.clear()
        self.uploads.clear()
        self._consumed_sent.clear()
        self._consumed_calls.clear()

    def notify(self) -> None:
        """Something was recorded (or the connection changed): waits look again."""
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
                state = "connected" if self._connected() else "NOT connected"
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
        self, predicate: Callable[[SentMessage], bool] | None, timeout: float
    ) -> SentMessage:
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

    async def wait_for_call(self, action: str, timeout: float) -> ApiCall:
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
