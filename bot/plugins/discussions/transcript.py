"""讨论记录 D3: the whole transcript, for staff (privately or in the staff group) and for
participants privately; a long one goes as a forward message through the outbox."""

from __future__ import annotations

from bot.core.delivery.outbox import Target, text_part
from bot.core.discussions.common import label, require_number
from bot.core.discussions.summary import transcript_head, transcript_lines
from bot.nb.context import CommandContext
from bot.nb.registry import Where
from bot.plugins.discussions.common import DISCUSSIONS, only_in_topic

#: Longer transcripts go as a forward message (合并转发).
DIRECT_LIMIT = 1500


@DISCUSSIONS.command(
    "讨论记录",
    usage="讨论记录 D3",
    summary="查看讨论的完整记录（机关工作人员；参加者可私聊查看）",
    listed=only_in_topic,
    where=Where.STAFF_PLACES,
)
async def transcript_command(ctx: CommandContext) -> None:
    number = require_number(ctx.args, "讨论记录")
    room, messages = await ctx.services.discussions.closing.transcript(
        ctx.identity, number, private=ctx.is_private
    )
    head = transcript_head(room, len(messages))
    lines = transcript_lines(room, messages)
    if not lines:
        await ctx.reply(f"{head}\n（还没有人发言）")
        return
    text = "\n".join([head, *lines])
    if len(text) <= DIRECT_LIMIT:
        await ctx.reply(text)
        return
    target = Target.private(ctx.user_id) if ctx.group_id is None else Target.group(ctx.group_id)
    await ctx.services.outbox.enqueue(
        target,
        [text_part(head), *(text_part(line) for line in lines)],
        purpose="discussion_transcript",
        as_forward=True,
        bot_id=ctx.bot.self_id,
    )
    await ctx.reply(
        f"讨论{label(room.discussion)}共{len(messages)}条，记录较长，以合并转发消息发送。"
    )
