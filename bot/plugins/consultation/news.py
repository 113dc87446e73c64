"""#动态 标题⏎正文 (with images) and 撤回动态 5 — staff post and withdraw work news (政协动态);
the work is done by `services.news` (bot/core/consultation/news.py)."""

from __future__ import annotations

from bot.core.consultation.news import NewsPost
from bot.nb.context import CommandContext
from bot.nb.sections import NEWS
from bot.plugins.consultation.topic_steps import attachments


@NEWS.command(
    "#动态",
    aliases=("＃动态", "#政协动态", "＃政协动态"),
    usage="#动态 标题⏎正文",
    summary="发布政协动态（可附图片）",
    details="第一行是标题，其余是正文；下一期日报刊登。",
)
async def post_command(ctx: CommandContext) -> None:
    images = tuple(a for a in attachments(ctx) if a["kind"] == "image")
    item = await ctx.services.news.post(NewsPost(ctx.args, images, ctx.source), ctx.identity)
    pictures = f"（含图片{len(images)}张）" if images else ""
    await ctx.reply(
        f"已发布第{item.id}号政协动态《{item.title}》{pictures}，将在下一期日报中刊登。"
        f"如需撤回，请发送：撤回动态 {item.id}"
    )


@NEWS.command(
    "撤回动态",
    usage="撤回动态 5",
    summary="撤回已发布的政协动态",
    listed=lambda ctx: False,  # named in the topic's introduction (帮助 政协动态)
)
async def withdraw_command(ctx: CommandContext) -> None:
    item = await ctx.services.news.withdraw(ctx.args, ctx.identity)
    await ctx.reply(f"已撤回第{item.id}号政协动态《{item.title}》，日报和公开页面不再显示。")
