"""附议 17 (or replying 附议 to the post or the bot's confirmation): co-sign, confirm, support."""

from __future__ import annotations

from bot.core.intake import texts
from bot.nb.context import CommandContext
from bot.nb.sections import MEMBER_RECORDS
from bot.plugins.records.common import in_members_group, target_record

USAGE = "附议 17"


@MEMBER_RECORDS.command(
    "附议",
    aliases=("联名",),
    usage="附议 编号（或回复登记消息“附议”）",
    summary="联名提案、社情民意；确认别人的联名邀请；支持议题",
    details=(
        "提案写“附议 17”，社情民意写“附议 民意 5”，议题写“附议 议题 3”（议题的附议计为支持）；"
        "也可以直接回复机器人的登记消息或原帖“附议”。被邀请联名的委员用同样方式确认。"
        "已立案、尚未交办前都可以附议；提出人不能附议自己的。"
        "私聊提交的只能由提出人邀请的联名委员确认。"
    ),
)
async def cosign_command(ctx: CommandContext) -> None:
    record = await target_record(ctx, USAGE)
    if record is None:
        return
    services = ctx.services
    result = await services.cosigns.cosign(record, ctx.identity, source=ctx.source)
    await ctx.reply(
        texts.cosign_reply(result, services.records.current_year(), public=in_members_group(ctx))
    )
