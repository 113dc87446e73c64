"""结束讨论 D3: its creator or staff end it; the summary goes out."""

from __future__ import annotations

from bot.core.discussions.common import label, require_number
from bot.nb.context import CommandContext
from bot.plugins.discussions.common import DISCUSSIONS, only_in_topic


@DISCUSSIONS.command(
    "结束讨论",
    usage="结束讨论 D3",
    summary="结束讨论并发送小结（发起人或机关工作人员）",
    listed=only_in_topic,
)
async def close_command(ctx: CommandContext) -> None:
    number = require_number(ctx.args, "结束讨论")
    room = await ctx.services.discussions.closing.close(ctx.identity, number)
    ctx.services.outbox.wake()
    d = room.discussion
    where = "发起的群和各参加者" if d.origin_group_id else "各参加者"
    await ctx.reply(f"讨论{label(d)}“{d.topic}”已结束，小结已发给{where}。")
