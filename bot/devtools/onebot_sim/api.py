"""Answering the bot's API calls from the world model: sending (recorded in the
:class:`~bot.devtools.onebot_sim.records.Recorder`), ``get_msg``, account, group and member
information, file uploads; failures injected with :meth:`ApiResponder.fail_next`."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

from bot.devtools.onebot_sim.cq import Segment, normalise_message, segments_to_cq
from bot.devtools.onebot_sim.records import Recorder, SentMessage, UploadedFile
from bot.devtools.onebot_sim.world import Group, Member, StoredMessage, World

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


@dataclass
class _Failure:
    retcode: int
    message: str
    deliver: bool
    status: str = "failed"  # "ok": a failure reported as success (Lagrange), nothing sent


class ApiError(Exception):
    def __init__(self, retcode: int, message: str) -> None:
        super().__init__(message)
        self.retcode = retcode
        self.message = message


def failed(retcode: int, message: str) -> dict[str, Any]:
    """A ``status: "failed"`` answer."""
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


class ApiResponder:
    """Answers calls as a client does (``answer``: the whole response but its ``echo``)."""

    def __init__(self, world: World, recorder: Recorder) -> None:
        self.world = world
        self.recorder = recorder
        self._failures: dict[str, list[_Failure]] = {}
        self._next_forward_id = 1

    def fail_next(
        self,
        action: str,
        *,
        retcode: int,
        times: int,
        message: str,
        deliver: bool,
        status: str = "failed",
    ) -> None:
        queue = self._failures.setdefault(action, [])
        queue.extend(_Failure(retcode, message, deliver, status) for _ in range(times))

    def clear_failures(self) -> None:
        self._failures.clear()

    def answer(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._failures.get(action)
        failure = queue.pop(0) if queue else None
        if queue is not None and not queue:
            del self._failures[action]
        handler = getattr(self, f"_api_{action}", None)
        if failure is not None and failure.status == "ok":  # as Lagrange: a made-up message id
            return {"status": "ok", "retcode": failure.retcode, "data": {"message_id": 0}}
        if failure is not None:
            if failure.deliver and handler is not None and action in SEND_ACTIONS:
                with contextlib.suppress(ApiError, KeyError, TypeError, ValueError):
                    handler(params)
            return failed(failure.retcode, failure.message or f"injected failure of {action}")
        if handler is None:
            return failed(RETCODE_UNSUPPORTED, f"unsupported action: {action}")
        try:
            return {"status": "ok", "retcode": RETCODE_OK, "data": handler(params)}
        except ApiError as exc:
            return failed(exc.retcode, exc.message)
        except (KeyError, TypeError, ValueError) as exc:
            return failed(RETCODE_BAD_REQUEST, f"bad parameters for {action}: {exc!r}")

    # --- sending

    def _check_target(self, message_type: str, group_id: int | None, user_id: int | None) -> None:
        if message_type == "group":
            if group_id is None or group_id not in self.world.groups:
                raise ApiError(RETCODE_FAILED, f"group {group_id} not found")
            return
        if message_type != "private" or user_id is None:
            raise ApiError(RETCODE_BAD_REQUEST, f"bad message target {message_type!r}")
        if user_id in self.world.friends:
            return
        if user_id in self.world.no_temp_session:
            raise ApiError(
                RETCODE_FAILED, f"user {user_id} is not a friend (temporary session refused)"
            )
        if group_id is not None and self.world.member(group_id, user_id) is not None:
            return
        raise ApiError(RETCODE_FAILED, f"user {user_id} is not a friend (no temporary session)")

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
        mid = self.world.take_message_id(None)
        sent = SentMessage(action, message_type, group_id, user_id, segments, mid, params=params)
        self.recorder.sent.append(sent)
        sender: dict[str, Any] = {"user_id": self.world.self_id, "nickname": self.world.nickname}
        if message_type == "group" and group_id is not None:
            me = self.world.member(group_id, self.world.self_id)
            sender.update(card=me.card if me else "", role=me.role if me else "member")
        stored = segments
        if forward_id is not None:
            stored = [{"type": "forward", "data": {"id": forward_id}}]
        self.world.messages[mid] = StoredMessage(
            message_id=mid,
            time=int(sent.time),
            message_type=message_type,
            sender=sender,
            message=copy.deepcopy(stored),
            group_id=group_id if message_type == "group" else None,
        )
        return sent

    def _message_of(self, params: dict[str, Any]) -> list[Segment]:
        return normalise_message(params["message"], auto_escape=bool(params.get("auto_escape")))

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
        for seg in normalise_message(raw_nodes):
            if seg["type"] != "node":
                raise ApiError(RETCODE_BAD_REQUEST, f"forward message holds a {seg['type']}")
            data = seg["data"]
            if "content" in data:
                data["content"] = normalise_message(data["content"])
            elif "id" in data:
                quoted = self.world.messages.get(_opt_int(data["id"]) or -1)
                data["content"] = copy.deepcopy(quoted.message) if quoted else []
            nodes.append(seg)
        if not nodes:
            raise ApiError(RETCODE_BAD_REQUEST, "empty forward message")
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
        if self.world.messages.pop(mid, None) is None:
            raise ApiError(RETCODE_FAILED, f"message {mid} not found")
        for sent in self.recorder.sent:
            if sent.message_id == mid:
                sent.recalled = True

    def _api_get_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        mid = int(params["message_id"])
        stored = self.world.messages.get(mid)
        if stored is None:
            raise ApiError(RETCODE_FAILED, f"message {mid} not found")
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
        return {"user_id": self.world.self_id, "nickname": self.world.nickname}

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
            {"user_id": uid, "nickname": name, "remark": ""}
            for uid, name in self.world.friends.items()
        ]

    def _api_get_stranger_info(self, params: dict[str, Any]) -> dict[str, Any]:
        uid = int(params["user_id"])
        return {
            "user_id": uid,
            "nickname": self.world.known_nickname(uid),
            "sex": "unknown",
            "age": 0,
        }

    def _group_info(self, group: Group) -> dict[str, Any]:
        return {
            "group_id": group.group_id,
            "group_name": group.name,
            "member_count": len(self.world.members(group)),
            "max_member_count": 500,
        }

    def _group(self, params: dict[str, Any]) -> Group:
        gid = int(params["group_id"])
        group = self.world.groups.get(gid)
        if group is None:
            raise ApiError(RETCODE_FAILED, f"group {gid} not found")
        return group

    def _member_info(self, group_id: int, member: Member) -> dict[str, Any]:
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
        return [self._group_info(group) for group in self.world.groups.values()]

    def _api_get_group_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._group_info(self._group(params))

    def _api_get_group_member_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group = self._group(params)
        return [self._member_info(group.group_id, m) for m in self.world.members(group)]

    def _api_get_group_member_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(params)
        uid = int(params["user_id"])
        member = self.world.member(group.group_id, uid)
        if member is None:
            raise ApiError(RETCODE_FAILED, f"user {uid} is not in group {group.group_id}")
        return self._member_info(group.group_id, member)

    def _api_set_group_card(self, params: dict[str, Any]) -> None:
        group = self._group(params)
        uid = int(params["user_id"])
        card = str(params.get("card") or "")
        if uid in group.members:
            group.members[uid].card = card
        elif uid == self.world.self_id:
            group.members[uid] = Member(uid, self.world.nickname, card)
        else:
            raise ApiError(RETCODE_FAILED, f"user {uid} is not in group {group.group_id}")

    def _api_upload_group_file(self, params: dict[str, Any]) -> None:
        group = self._group(params)
        self.recorder.uploads.append(
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
        self.recorder.uploads.append(
            UploadedFile(
                action="upload_private_file",
                file=str(params["file"]),
                name=str(params.get("name") or ""),
                user_id=uid,
            )
        )
