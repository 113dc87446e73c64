"""讨论 (my open discussions), 讨论 D3 (one of them), 进入 D3 (where my messages go)."""

from __future__ import annotations

from bot.core.discussions.common import Room, label, time_left
from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind
from bot.nb.context import CommandContext
from bot.plugins.discussions.common import DISCUSSIONS, needs_number, number_or_none, only_in_topic


def _line(room: Room, ctx: CommandContext) -> str:
    d = room.discussion
    left = time_left(d, ctx.services.clock.now())
    return f"{label(d)} {d.topic[:30]}（{len(room.active)}人，{d.message_count}条，剩余{left}）"


def describe(room: Room, ctx: CommandContext) -> str:
    d = room.discussion
    state = f"进行中，剩余{time_left(d, ctx.services.clock.now())}" if room.is_open else "已结束"
    lines = [
        f"讨论{label(d)}“{d.topic}”（{state}）",
        f"发起人：{d.creator_name}",
        f"参加者：{room.names()}（{len(room.active)}人）",
        f"消息：{d.message_count}条",
    ]
    if room.is_open and room.is_active(ctx.user_id):
        lines.append(f"私聊机器人发言即可；发送“退出 {label(d)}”退出。")
    return "\n".join(lines)


@DISCUSSIONS.command(
    "讨论",
    usage="讨论 [D3]",
    summary="我参加的讨论，或某个讨论的详情",
    listed=only_in_topic,
)
async def view_command(ctx: CommandContext) -> None:
    number = number_or_none(ctx)
    rooms = ctx.services.discussions.rooms
    staff_group = ctx.binding is not None and ctx.binding.kind == ChannelKind.STAFF
    if number is not None:
        room = await rooms.show(ctx.identity, number, ctx.group_id, staff_group=staff_group)
        await ctx.reply(describe(room, ctx))
        return
    if ctx.words and not ctx.is_private:
        return  # “讨论 这件事” in a group is chatter
    mine = await rooms.mine(ctx.user_id, ctx.identity.platform)
    if ctx.group_id is not None:  # a group hears only of the discussions opened in it
        mine = [r for r in mine if r.discussion.origin_group_id == ctx.group_id]
    if not mine:
        await ctx.reply("您目前没有参加进行中的讨论。发起讨论：#讨论 主题 @委员 [48小时]")
        return
    lines = ["您参加的讨论：", *(_line(room, ctx) for room in mine)]
    if len(mine) > 1:
        lines.append(f"私聊发言前请先发送“进入 {label(mine[0].discussion)}”选择讨论。")
    await ctx.reply("\n".join(lines))


@DISCUSSIONS.command(
    "进入",
    usage="进入 D3",
    summary="选择私聊发言要转到哪个讨论（同时参加几个讨论时）",
    listed=only_in_topic,
)
async def choose_command(ctx: CommandContext) -> None:
    number = await needs_number(ctx, "进入 D3")
    if number is None:
        return  # “进入 会场” in a group is chatter
    if not ctx.is_private:
        raise InvalidInput(f"请私聊机器人发送“进入 D{number}”。")
    room = await ctx.services.discussions.rooms.choose(ctx.identity, number)
    d = room.discussion
    await ctx.reply(f"已进入讨论{label(d)}“{d.topic}”。接下来您私聊发的消息会转给其他参加者。")
