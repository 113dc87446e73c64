"""线索 [类别] — the proposal tips from the public that staff approved (提案选题参考), newest
first, for members choosing what to write a proposal about."""

from __future__ import annotations

from bot.core.public import texts
from bot.core.public.queries import approved_tips, require_category
from bot.nb.context import CommandContext
from bot.nb.sections import TIP_READERS


@TIP_READERS.command(
    "线索",
    aliases=("提案线索", "选题参考", "提案选题参考"),
    usage="线索 [类别]",
    summary="查看群众提案线索（提案选题参考）",
    details="线索来自公开网页的提案线索征集，经机关审核后列出。据线索写提案时，在提案末尾"
    "另起一行写“线索 L编号”。",
)
async def tips_command(ctx: CommandContext) -> None:
    categories = list(ctx.services.proposals.categories)
    category = require_category(ctx.args.strip(), categories)
    found = await approved_tips(ctx.services.db, category=category or None)
    await ctx.reply(texts.tips_text(found, category, categories))
