"""The simulator itself: the reverse WebSocket connection to the bot, the events it posts, the
calls it answers (through :class:`~bot.devtools.onebot_sim.api.ApiResponder`) and the waits."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed

from bot.devtools.onebot_sim.api import RETCODE_BAD_REQUEST, RETCODE_FAILED, ApiResponder, failed
from bot.devtools.onebot_sim.connection import ReverseWebSocketClient
from bot.devtools.onebot_sim.events import (
    compose,
    group_message_event,
    private_message_event,
)
from bot.devtools.onebot_sim.records import (
    ApiCall,
    Recorder,
    SentMessage,
    UploadedFile,
)
from bot.devtools.onebot_sim.world import Member, World

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from websockets.asyncio.client import ClientConnection

log = logging.getLogger("bot.devtools.onebot_sim")


class OneBotSimulator(ReverseWebSocketClient):
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
        super().__init__(
            url,
            self_id=self_id,
            access_token=access_token,
            heartbeat_interval=heartbeat_interval,
            token_in_query=token_in_query,
        )
        self.nickname = nickname
        self.world = World(self_id, nickname)
        self.recorder = Recorder(lambda: self.connected)
        self.api = ApiResponder(self.world, self.recorder)
        self.sent: list[SentMessage] = self.recorder.sent
        """Every message the bot sent, in order (including ``deliver=True`` failures)."""
        self.calls: list[ApiCall] = self.recorder.calls
        """Every API call the bot made, in the order received."""
        self.events: list[dict[str, Any]] = self.recorder.events
        """Every non-meta event posted (copies of the payloads), e.g. for re-delivery."""
        self.uploads: list[UploadedFile] = self.recorder.uploads
        """Every file upload the bot asked for."""
        self._response_delay = 0.0

    def _changed(self) -> None:
        self.recorder.notify()

    # ------------------------------------------------------------------ world model

    def add_group(self, group_id: int, name: str = "") -> None:
        """Add (or rename) a group the bot account is in."""
        self.world.add_group(group_id, name)

    def remove_group(self, group_id: int) -> None:
        """Forget a group (as if the bot was removed): sends to it then fail."""
        self.world.remove_group(group_id)

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
        nickname = nickname or self.world.known_nickname(user_id)
        self.world.put_member(group_id, Member(user_id, nickname, card, role))

    def remove_member(self, group_id: int, user_id: int) -> None:
        """Remove a member from a group."""
        self.world.remove_member(group_id, user_id)

    def add_friend(self, user_id: int, nickname: str = "") -> None:
        """Add a friend of the bot account (private messages to friends succeed)."""
        self.world.add_friend(user_id, nickname)

    def remove_friend(self, user_id: int) -> None:
        """Remove a friend."""
        self.world.remove_friend(user_id)

    def refuse_temp_sessions(self, *user_ids: int) -> None:
        """Private messages to these people fail unless they are friends (as on NapCat)."""
        self.world.no_temp_session.update(user_ids)

    # ------------------------------------------------------------------ events

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
        member = self.world.member(group_id, user_id)
        if member is None:
            self.add_member(group_id, user_id)
            member = self.world.member(group_id, user_id)
        assert member is not None
        mid = self.world.take_message_id(message_id)
        segments = compose(self.world, message, reply_to, at)
        payload = group_message_event(
            self.world, group_id, member, mid, segments, card=card, nickname=nickname, role=role
        )
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
        if sub_type == "friend" and user_id not in self.world.friends:
            self.add_friend(user_id, nickname or "")
        mid = self.world.take_message_id(message_id)
        segments = compose(self.world, message, reply_to, ())
        payload = private_message_event(
            self.world, user_id, mid, segments, nickname=nickname, sub_type=sub_type
        )
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
            self.world.remember_event(payload)
        if payload.get("post_type") != "meta_event":
            self.events.append(copy.deepcopy(payload))
        await self._send_json(payload)

    # ------------------------------------------------------------------ API side

    async def _handle_call(self, ws: ClientConnection, data: dict[str, Any]) -> None:
        action = str(data["action"])
        params = data.get("params") or {}
        if not isinstance(params, dict):
            params = {}
        echo = data.get("echo")
        call = ApiCall(action=action, params=params, echo=echo, time=time.time())
        self.calls.append(call)
        try:
            response = self.api.answer(action, params)
        except Exception as exc:  # never lose a call: answer it whatever happened
            log.exception("onebot-sim: error while answering %s", action)
            response = failed(RETCODE_BAD_REQUEST, f"simulator error: {exc!r}")
        response["echo"] = echo
        self.recorder.notify()
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

    # ------------------------------------------------------------------ test helpers

    def fail_next(
        self,
        action: str,
        *,
        retcode: int = RETCODE_FAILED,
        times: int = 1,
        message: str = "",
        deliver: bool = False,
        status: str = "failed",
    ) -> None:
        """Make the next ``times`` calls of ``action`` answer ``status: "failed"`` (or, with
        ``status="ok"``, answer success with the non-zero ``retcode`` and send nothing, as
        Lagrange does for a send the QQ server refused).

        ``deliver=True`` still records a sent message (and gives it a message id) before
        failing, like NapCat's retcode 1200 timeouts that did reach the group. Note that
        NoneBot's ``matcher.send``/``bot.send`` use ``send_msg``.
        """
        self.api.fail_next(
            action, retcode=retcode, times=times, message=message, deliver=deliver, status=status
        )

    def set_response_delay(self, seconds: float) -> None:
        """Delay every API answer by ``seconds`` (calls are still recorded at once)."""
        self._response_delay = max(0.0, seconds)

    def clear(self) -> None:
        """Forget recorded ``sent``, ``calls``, ``events``, ``uploads`` and pending failures.

        The world model and the message store (for ``get_msg``) are kept.
        """
        self.recorder.clear()
        self.api.clear_failures()

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
        return await self.recorder.wait_for_sent(predicate, timeout)

    async def wait_for_call(self, action: str, *, timeout: float = 5.0) -> ApiCall:
        """The first not-yet-returned call of ``action``, waiting up to ``timeout`` seconds.

        Raises:
            TimeoutError: no such call in time.
        """
        return await self.recorder.wait_for_call(action, timeout)
