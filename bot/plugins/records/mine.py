"""我的: my records, what I co-signed, invitations and answers waiting for me."""

from __future__ import annotations

from bot.core.intake import texts
from bot.nb.context import CommandContext
from bot.nb.sections import MEMBER_RECORDS
from bot.plugins.records.common import in_members_group


@MEMBER_RECORDS.command(
    "我的",
    usage="我的",
    summary="我提交和附议的提案、待确认的联名邀请、待评价的答复",
    takes_args=False,
    details="在群里发送时，私聊提交的内容只显示件数；私聊机器人发送可看到全部。",
)
async def mine_command(ctx: CommandContext) -> None:
    services = ctx.services
    overview = await services.queries.mine(ctx.identity, include_private=not in_members_group(ctx))
    await ctx.reply(texts.mine_text(overview, services.records.current_year()))
