"""搜索 关键词: records whose title or body contain the words, newest first."""

from __future__ import annotations

from bot.core.intake import texts
from bot.core.intake.queries import SEARCH_LIMIT, SEARCH_MAX_WORDS, SEARCH_WORD_MAX
from bot.nb.context import CommandContext
from bot.nb.sections import RECORDS
from bot.plugins.records.common import hides_private


@RECORDS.command(
    "搜索",
    aliases=("查找",),
    usage="搜索 关键词",
    summary="按标题和正文搜索提案、社情民意、议题",
    details=(
        f"最多显示最新{SEARCH_LIMIT}件，不区分大小写；多个词用空格分开，须同时出现，"
        f"最多{SEARCH_MAX_WORDS}个词、每个词不超过{SEARCH_WORD_MAX}个字，例如：搜索 农村 污水。已撤回的不显示；私聊提交的只在私聊中、只向提出人、联名委员和"
        "机关工作人员显示。"
    ),
)
async def search_command(ctx: CommandContext) -> None:
    services = ctx.services
    query = ctx.args.strip()
    records, more = await services.queries.search(
        query, include_private=not hides_private(ctx), viewer=ctx.identity
    )
    await ctx.reply(texts.search_text(query, records, more, services.records.current_year()))
