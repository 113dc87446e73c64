"""导出 [2026]: the year's .xlsx (services.export), uploaded through the outbox to the staff
group or sent privately; when the client refuses files, the fallback text says where it is."""

from __future__ import annotations

from bot.core.delivery.outbox import Target, file_part
from bot.core.errors import InvalidInput
from bot.core.export import texts
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.plugins.stats.documents import export_annual_report, export_duty_records
from bot.plugins.stats.duty import parse_year

DOCUMENTS = {"履职": export_duty_records, "报告": export_annual_report}


@registry.command(
    "导出",
    usage=texts.EXPORT_USAGE,
    summary="全年办理情况导出为 Excel",
    topic="统计",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
    details=(
        f"另有 Word 文件：{texts.DOCUMENT_USAGE}（全体委员的年度履职档案；提案工作情况报告草稿，"
        "含全年数字和待撰写的段落）。"
        "导出提案办理情况、单位办理情况、社情民意、议题和履职积分。在机关群发送时文件上传到群文件，私聊发送时发给本人；QQ 客户端不能发送文件时，"
        "回复文件在服务器上的位置和公开网页上机关下载页的地址（/exports，需 BOARD_TOKEN）。命令行：python -m bot export --year 2026 文件.xlsx"
    ),
)
async def export_command(ctx: CommandContext) -> None:
    services = ctx.services
    words = ctx.words
    if words and words[0] in DOCUMENTS:
        await DOCUMENTS[words[0]](ctx, words[1:])
        return
    year, rest = parse_year(ctx, words, usage="导出")
    if rest:
        raise InvalidInput(
            f"看不懂“{rest[0][:20]}”。用法：{texts.EXPORT_USAGE}，例如：导出 {year}；"
            f"Word 文件：{texts.DOCUMENT_USAGE}"
        )
    result = await services.export.export(year)
    target = Target.private(ctx.user_id) if ctx.is_private else Target.group(ctx.group_id or "")
    fallback = texts.fallback(result, services.config.board_url)
    await services.outbox.enqueue(
        target,
        [file_part(str(result.path.resolve()), result.path.name, fallback)],
        purpose="export",
        dedup_key=f"export:{result.path.name}:{target.type}:{target.id}",
    )
    await ctx.reply(texts.started(result, ctx.is_private))
