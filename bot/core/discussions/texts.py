"""What discussions say (Chinese): invitations, relays, summaries, refusals."""

from __future__ import annotations

from bot.core.clock import format_local
from bot.core.discussions.common import Room, header, label

HOW_TO_TAKE_PART = (
    "私聊机器人发送的文字、图片、文件会转给其他参加者；"
    "发送“进入 {d}”选择本讨论，“讨论 {d}”查看，“退出 {d}”退出。"
)
CREATE_USAGE = (
    "请这样发：#讨论 主题 @委员甲 @委员乙 [48小时]（在委员群里）；"
    "私聊时写姓名或QQ号：#讨论 主题 张三 李四 [3天]。时长不写为48小时，最长7天。"
)
BEFRIEND = "请先加机器人为好友，才能收到讨论组消息。"


def invitation(room: Room, inviter: str) -> str:
    d = room.discussion
    return (
        f"{header(d)}{inviter}邀请您参加临时讨论组{label(d)}“{d.topic}”。\n"
        f"参加者：{room.names()}\n截止：{format_local(d.ends_at)}\n"
        + HOW_TO_TAKE_PART.format(d=label(d))
    )


def created(room: Room, in_group: bool) -> str:
    d = room.discussion
    text = (
        f"已建立临时讨论组{label(d)}“{d.topic}”，参加者：{room.names()}，"
        f"截止 {format_local(d.ends_at)}。已私聊通知各位参加者。"
    )
    if in_group:
        text += f"本群其他人发送“加入 {label(d)}”可以加入。讨论内容只在参加者之间私下转发。"
    else:
        text += HOW_TO_TAKE_PART.format(d=label(d))
    return text


def joined_notice(room: Room, name: str) -> str:
    return f"{header(room.discussion)}{name}加入了讨论。"


def left_notice(room: Room, name: str) -> str:
    return f"{header(room.discussion)}{name}退出了讨论。"


def relay_text(room: Room, name: str, reply_to: str | None) -> str:
    answer = f"（回复{reply_to}）" if reply_to else ""
    return f"{header(room.discussion)}{name}{answer}："


def choose_which(rooms: list[Room]) -> str:
    listed = "；".join(f"{label(r.discussion)} {r.discussion.topic[:20]}" for r in rooms)
    first = label(rooms[0].discussion)
    return (
        f"您同时参加了几个讨论：{listed}。这条消息没有转发。"
        f"请先发送“进入 {first}”选择要发言的讨论，再发消息。"
    )


def closed_refusal(room: Room) -> str:
    d = room.discussion
    when = format_local(d.closed_at) if d.closed_at else ""
    return (
        f"讨论{label(d)}“{d.topic[:20]}”已于{when}结束，这条消息没有转发。"
        f"如需继续，请发起新的讨论：#讨论 主题 @委员。"
    )


def warning(room: Room) -> str:
    d = room.discussion
    return (
        f"{header(d)}本讨论将于 {format_local(d.ends_at)} 结束（还有约1小时）。"
        f"结束后会把小结发给各位。"
    )


def unreachable_creator(room: Room, name: str) -> str:
    d = room.discussion
    where = "已在发起的群里提醒其加好友" if d.origin_group_id else "请当面提醒其加机器人为好友"
    return f"{header(d)}{name}不是机器人的好友，收不到讨论消息，{where}；讨论照常进行。"
