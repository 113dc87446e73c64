"""委员 未加好友: who could not be reached one-to-one lately (bot/core/delivery/fallback.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import format_local
from bot.core.errors import PermissionDenied
from bot.core.models import ChannelKind
from bot.nb.context import CommandContext

#: How far back 委员 未加好友 looks.
WINDOW = timedelta(days=30)
MAX_LISTED = 50


async def list_unreachable(ctx: CommandContext) -> None:
    if ctx.group_id is not None and (ctx.binding is None or ctx.binding.kind != ChannelKind.STAFF):
        raise PermissionDenied("“委员 未加好友”请在机关群或私聊机器人使用。")
    since = ctx.services.clock.now() - WINDOW
    people = await ctx.services.fallback.people(since)
    if not people:
        await ctx.reply("最近30天没有私聊联系不上的人。")
        return
    lines = [f"最近30天私聊联系不上的有 {len(people)} 人（不是机器人的好友）："]
    for person in people[:MAX_LISTED]:
        lines.append(
            f"· {person.name}（QQ {person.user_id}）：{person.failures}条未送达，"
            f"最近 {format_local(person.last_failed_at)}"
        )
    if len(people) > MAX_LISTED:
        lines.append(f"……另有 {len(people) - MAX_LISTED} 人。")
    lines.append("请联系本人加机器人为好友；机器人每天最多在群里提醒一次。")
    await ctx.reply("\n".join(lines))
