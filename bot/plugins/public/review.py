"""评论 — staff review what the public left on the board: `评论` lists what waits, `评论 通过
12 13 L5` / `评论 隐藏 12` approve or hide comments and suggestions (numbers) and proposal tips
(L numbers). The work is done by `services.moderation` (bot/core/public/moderation.py)."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.core.public import texts
from bot.core.public.moderation import REVIEW_USAGE
from bot.core.records.service import Actor
from bot.nb.context import CommandContext
from bot.nb.sections import PUBLIC_REVIEW

APPROVE = frozenset({"通过", "批准", "公开", "同意"})
HIDE = frozenset({"隐藏", "不通过", "驳回", "删除"})
LIST = frozenset({"", "列表", "待审", "待审核"})


@PUBLIC_REVIEW.command(
    "评论",
    aliases=("留言审核", "审核评论"),
    usage="评论 [通过|隐藏 编号…]",
    summary="审核网页上公众的留言、议题建议和提案线索",
    details="只发“评论”列出待审核的内容；“评论 通过 12 13”“评论 隐藏 12”，线索编号写 L5。"
    "通过的留言在网页和“议题 编号”中显示（发现不妥可再隐藏）；通过的议题建议进入议题库；"
    "通过的线索列入提案选题参考。",
)
async def review_command(ctx: CommandContext) -> None:
    word, rest = ctx.action()
    if word in LIST and not rest:
        pending = await ctx.services.moderation.pending()
        await ctx.reply(texts.pending_text(pending.comments, pending.tips))
        return
    if word not in APPROVE and word not in HIDE:
        raise InvalidInput(f"“{word[:10]}”不是审核操作。用法：{REVIEW_USAGE}")
    actor = Actor(ctx.identity.user_id, ctx.identity.name, ctx.source)
    lines = await ctx.services.moderation.review(rest, approve=word in APPROVE, actor=actor)
    await ctx.reply("\n".join(lines))
