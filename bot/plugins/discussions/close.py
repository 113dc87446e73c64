"""结束讨论 D3: its creator or staff end it; the summary goes out."""

from __future__ import annotations

from bot.core.discussions.common import label, require_number
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.plugins.discussions.common import only_in_topic


@registry.command(
    "结束讨论",
    usage="结束讨论 D3",
    summary="结束讨论并发送小结（发起人或机关工作人员）",
    topic="讨论组",
    role=Role.ANYONE,
    listed=only_in_topic,
    where=Where.ANYWHERE,
)
async def close_command(ctx: CommandContext) -> None:
    number = require_number(ctx.args, "结束讨论")
    room = await ctx.services.discussions.closing.close(ctx.identity, number)
    ctx.services.outbox.wake()
    d = room.discussion
    where = "发起的群和各参加者" if d.origin_group_id else "各参加者"
    await ctx.reply(f"讨论{label(d)}“{d.topic}”已结束，小结已发给{where}。")
