"""The OneBot V11 transport: the one place that knows how an outbox chunk becomes an API call.

- text chunks -> ``send_group_msg`` / ``send_private_msg`` with text, ``at``, ``image`` and
  ``file`` segments (user text is always a text segment, never spliced into CQ codes);
- forward chunks -> ``send_group_forward_msg`` / ``send_private_forward_msg`` with custom
  ``node`` segments; a client that refuses them makes the sender fall back to plain text;
- file chunks -> ``upload_group_file`` / ``upload_private_file`` (the path is read by the
  client); a client that refuses files gets the chunk's fallback text instead (where the file
  was written on the server, or a link);
- private messages to someone who is not the account's friend go through a group temporary
  session (``send_private_msg`` with ``group_id``): the group named when it was queued (if any,
  tried first), a group they were seen in (ContactBook), else the first bound group whose member
  list has them (``get_group_member_info``); nobody reachable -> ``unreachable`` (staff are told
  who);
- ActionFailed / NetworkError / ApiNotAvailable / a closed connection are mapped to the core's
  platform-neutral :class:`FailureKind` in retcodes.py (OneBot's retcodes, NapCat's 1200s, and
  FrameNotWritten / ConnectionLost from bot.nb.adapter).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from nonebot.adapters.onebot.v11 import (
    ActionFailed,
    ApiNotAvailable,
    Bot,
    Message,
    MessageSegment,
    NetworkError,
)
from nonebot.exception import WebSocketClosed

from bot.core.delivery.chunks import Chunk, FileChunk, ForwardChunk, Part, TextChunk
from bot.core.delivery.claims import QueuedMessage
from bot.core.delivery.failures import DeliveryError, FailureKind
from bot.core.models import ChannelKind
from bot.core.services import Services
from bot.nb.adapter import FrameNotWritten
from bot.plugins.outbox.retcodes import REASONS, delivery_error

BOT_NICKNAME = "政协履职助手"
#: How long the friend list is trusted before it is fetched again.
FRIEND_LIST_TTL = 600.0
#: Bound groups asked (get_group_member_info) when looking for a temporary-session route.
MAX_GROUPS_ASKED = 30
#: Bound groups asked in this order (members' groups first: most people are there).
_GROUP_KINDS = (ChannelKind.WHOLE, ChannelKind.SECTOR, ChannelKind.STAFF, ChannelKind.UNIT)


def to_message(parts: list[Part]) -> Message:
    """Platform-neutral parts as OneBot segments."""
    message = Message()
    for part in parts:
        kind = part.get("type")
        if kind == "text":
            text = str(part.get("text", ""))
            if text:
                message.append(MessageSegment.text(text))
        elif kind == "mention":
            message.append(MessageSegment.at(str(part["user_id"])))
        elif kind == "image" and (part.get("url") or part.get("file")):
            message.append(MessageSegment.image(str(part.get("url") or part.get("file"))))
        elif kind == "file" and (part.get("url") or part.get("name")):
            # a relayed file (discussions): NapCat takes a `file` segment by URL
            data = {
                "file": str(part.get("url") or part.get("name")),
                "name": str(part.get("name", "")),
            }
            message.append(MessageSegment("file", data))
    return message


def forward_message(chunk: ForwardChunk, account: str, nickname: str = BOT_NICKNAME) -> Message:
    return Message(
        MessageSegment.node_custom(int(account), nickname, Message(MessageSegment.text(node)))
        for node in chunk.nodes
    )


def _qq(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DeliveryError(FailureKind.PERMANENT, "目标号码无效", repr(value)) from None


class OneBotTransport:
    platform = "qq"

    def __init__(
        self,
        bot: Bot,
        services: Services,
        *,
        is_connected: Callable[[], bool] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.services = services
        self.account = str(bot.self_id)
        self._is_connected = is_connected or (lambda: True)
        self._monotonic = monotonic
        self._friends: set[str] | None = None
        self._friends_at = float("-inf")
        self._friend_list_supported = True
        self._direct_failed: set[str] = set()
        self._not_in_group: dict[tuple[str, str], float] = {}

    # ------------------------------------------------------------------ sending

    async def send(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        if message.target_type == "group":
            return await self._send_group(message, chunk)
        if message.target_type == "private":
            return await self._send_private(message, chunk)
        raise DeliveryError(FailureKind.PERMANENT, "未知的发送目标类型", message.target_type)

    async def _send_group(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        group_id = _qq(message.target_id)
        if isinstance(chunk, FileChunk):
            return await self._upload(message, chunk, "upload_group_file", group_id=group_id)
        if isinstance(chunk, ForwardChunk):
            result = await self._call(
                "group",
                "send_group_forward_msg",
                forward=True,
                group_id=group_id,
                messages=forward_message(chunk, self.account),
            )
        else:
            result = await self._call(
                "group", "send_group_msg", group_id=group_id, message=to_message(chunk.parts)
            )
        return _message_id(result)

    async def _send_private(self, message: QueuedMessage, chunk: Chunk) -> str | None:
        user_id = message.target_id
        if isinstance(chunk, FileChunk):
            return await self._upload(message, chunk, "upload_private_file", user_id=_qq(user_id))
        # A group named by whoever queued it (e.g. where a post was made) is tried first; when
        # it fails, the usual routes (friend, other groups) are tried.
        preferred = message.via_group_id
        if preferred is not None and self._excluded(user_id, preferred):
            preferred = None
        via = preferred or await self._route(user_id)
        params: dict[str, Any] = {"user_id": _qq(user_id)}
        if via is not None:
            params["group_id"] = _qq(via)
        try:
            if isinstance(chunk, ForwardChunk):
                if via is not None:  # forward messages do not go through temporary sessions
                    raise DeliveryError(FailureKind.REFUSED, "临时会话不能发送合并转发消息")
                result = await self._call(
                    "private",
                    "send_private_forward_msg",
                    forward=True,
                    messages=forward_message(chunk, self.account),
                    **params,
                )
            else:
                result = await self._call(
                    "private", "send_private_msg", message=to_message(chunk.parts), **params
                )
        except DeliveryError as error:
            if error.kind is not FailureKind.PERMANENT:
                raise
            if via is None:
                # Not (or no longer) a friend: try a group temporary session next time.
                self._direct_failed.add(user_id)
                self._friends_at = float("-inf")
                raise DeliveryError(
                    FailureKind.RETRY_NOW, "私聊发送失败，改用群临时会话", error.detail
                ) from error
            await self.services.contacts.forget(user_id, via)
            self._not_in_group[(user_id, via)] = self._monotonic()
            raise DeliveryError(
                FailureKind.RETRY_NOW, "群临时会话发送失败，换一个群再试", error.detail
            ) from error
        return _message_id(result)

    async def _upload(
        self, message: QueuedMessage, chunk: FileChunk, api: str, **params: Any
    ) -> str | None:
        """Upload a file; a client that refuses it (unsupported, no file space, not a friend)
        gets the fallback text, sent as an ordinary message to the same target."""
        try:
            await self._call(
                message.target_type, api, forward=True, file=chunk.path, name=chunk.name, **params
            )
            return None
        except DeliveryError as error:
            if error.kind is not FailureKind.REFUSED:
                raise
        fallback = TextChunk([{"type": "text", "text": chunk.fallback}])
        if message.target_type == "group":
            return await self._send_group(message, fallback)
        return await self._send_private(message, fallback)

    async def _call(self, target: str, api: str, *, forward: bool = False, **data: Any) -> Any:
        try:
            return await self.bot.call_api(api, **data)
        except DeliveryError:
            raise
        except Exception as exc:
            error = delivery_error(exc, target, forward=forward, is_connected=self._is_connected)
            raise error from exc

    # ------------------------------------------------------------------ private routes

    async def _route(self, user_id: str) -> str | None:
        """None: send directly (a friend, or we cannot tell); else a group for a temp session."""
        if user_id not in self._direct_failed:
            friends = await self._friend_ids()
            if friends is None or user_id in friends:
                return None
        return await self._temp_group(user_id)

    async def _friend_ids(self) -> set[str] | None:
        if not self._friend_list_supported:
            return None
        now = self._monotonic()
        if self._friends is not None and now - self._friends_at < FRIEND_LIST_TTL:
            return self._friends
        try:
            result = await self.bot.call_api("get_friend_list")
        except ActionFailed:
            self._friend_list_supported = False
            return None
        except (NetworkError, ApiNotAvailable, WebSocketClosed):
            return self._friends
        self._friends = {
            str(item.get("user_id")) for item in result or [] if isinstance(item, dict)
        }
        self._friends_at = now
        return self._friends

    def _excluded(self, user_id: str, group_id: str) -> bool:
        """A temporary session through this group failed (or they are not in it) lately."""
        at = self._not_in_group.get((user_id, group_id))
        return at is not None and self._monotonic() - at < FRIEND_LIST_TTL

    async def _temp_group(self, user_id: str) -> str:
        now = self._monotonic()

        def excluded(group_id: str) -> bool:
            return self._excluded(user_id, group_id)

        for group_id in await self.services.contacts.groups_of(user_id):
            if not excluded(group_id):
                return group_id
        asked = 0
        for kind in _GROUP_KINDS:
            for binding in await self.services.channels.by_kind(kind):
                group_id = binding.group_id
                if excluded(group_id) or asked >= MAX_GROUPS_ASKED:
                    continue
                asked += 1
                try:
                    await self.bot.call_api(
                        "get_group_member_info",
                        group_id=_qq(group_id),
                        user_id=_qq(user_id),
                        no_cache=False,
                    )
                except ActionFailed:
                    self._not_in_group[(user_id, group_id)] = now
                    continue
                except (ApiNotAvailable, FrameNotWritten) as exc:
                    raise DeliveryError(FailureKind.DISCONNECTED, "机器人未连接") from exc
                except (NetworkError, WebSocketClosed) as exc:
                    raise DeliveryError(FailureKind.TRANSIENT, "查询群成员失败", repr(exc)) from exc
                await self.services.contacts.record(user_id, group_id)
                return group_id
        raise DeliveryError(
            FailureKind.UNREACHABLE, REASONS[("private", FailureKind.UNREACHABLE)], ""
        )


def _message_id(result: Any) -> str | None:
    if isinstance(result, dict) and result.get("message_id") is not None:
        return str(result["message_id"])
    return None
