"""讨论转提案 D3 [标题]: the creator drafts a joint proposal from the discussion (intake's
submit and co-sign invitations: the others confirm with 附议)."""

from __future__ import annotations

from bot.core.discussions.common import require_number
from bot.core.intake import texts as intake_texts
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where
from bot.plugins.discussions.common import DISCUSSIONS, only_in_topic


@DISCUSSIONS.command(
    "讨论转提案",
    usage="讨论转提案 D3 [标题]",
    summary="把讨论整理成联名提案：发起人为提案人，其他参加者受邀联名（发起人私聊使用）",
    role=Role.MEMBER,
    listed=only_in_topic,
    where=Where.PRIVATE,
    details="标题不写时用讨论主题；正文按“情况、建议”整理参加者的发言。"
    "其他参加者收到联名邀请，回复“附议 编号”确认。",
)
async def into_proposal_command(ctx: CommandContext) -> None:
    number = require_number(ctx.args, "讨论转提案")
    title = " ".join(ctx.words[1:])
    result = await ctx.services.discussions.proposals.convert(
        ctx.identity, number, title, message_id=str(ctx.event.message_id)
    )
    year = ctx.services.records.current_year()
    text = intake_texts.submit_reply(result, year, private=True)
    # the confirmation, linked like intake's: replying 附议 to it co-signs
    sent = await ctx.reply(f"讨论D{number}已转为提案。\n{text}")
    await ctx.services.intake.remember_confirmation(result.record, sent)
