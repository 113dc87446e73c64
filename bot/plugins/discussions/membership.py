"""加入 D3 (in the origin group) and 退出 D3."""

from __future__ import annotations

from bot.core.discussions.common import label
from bot.core.errors import PermissionDenied
from bot.nb.context import CommandContext
from bot.plugins.discussions.common import DISCUSSIONS, needs_number, only_in_topic


@DISCUSSIONS.command(
    "加入",
    usage="加入 D3",
    summary="加入本群发起的临时讨论组",
    listed=only_in_topic,
)
async def join_command(ctx: CommandContext) -> None:
    number = await needs_number(ctx, "加入 D3")
    if number is None:
        return
    if ctx.is_private:
        raise PermissionDenied(f"请在发起讨论的群里发送“加入 D{number}”。")
    room = await ctx.services.discussions.rooms.join(ctx.identity, number, ctx.group_id)
    ctx.services.outbox.wake()
    d = room.discussion
    await ctx.reply(
        f"您已加入讨论{label(d)}“{d.topic}”（{len(room.active)}人）。"
        "请私聊机器人发言，消息会转给其他参加者。"
    )


@DISCUSSIONS.command(
    "退出",
    usage="退出 D3",
    summary="退出临时讨论组，不再收到其中的消息",
    listed=only_in_topic,
)
async def leave_command(ctx: CommandContext) -> None:
    number = await needs_number(ctx, "退出 D3")
    if number is None:
        return
    room = await ctx.services.discussions.rooms.leave(ctx.identity, number)
    ctx.services.outbox.wake()
    await ctx.reply(f"您已退出讨论{label(room.discussion)}，不会再收到其中的消息。")
