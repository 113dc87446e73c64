"""The .docx files (services.documents): 履职报告 [2026] (a member, privately: the record as a
message, and the file), 导出 履职 [2026] and 导出 报告 [2026] (staff, dispatched from 导出).
Every file goes through the outbox as a file part, as 导出 does."""

from __future__ import annotations

from pathlib import Path

from bot.core.delivery.outbox import Target, file_part
from bot.core.duty import report_texts
from bot.core.errors import InvalidInput, PermissionDenied
from bot.core.export import texts as export_texts
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry
from bot.plugins.stats.duty import parse_year


async def queue_file(ctx: CommandContext, path: Path, purpose: str, fallback: str) -> None:
    """The file (an absolute path: services.documents makes them) to the asker privately, or
    to the group it was asked in."""
    target = Target.private(ctx.user_id) if ctx.is_private else Target.group(ctx.group_id or "")
    await ctx.services.outbox.enqueue(
        target,
        [file_part(str(path), path.name, fallback)],
        purpose=purpose,
        dedup_key=f"{purpose}:{path.name}:{target.type}:{target.id}",
    )


@registry.command(
    "履职报告",
    usage=report_texts.REPORT_USAGE,
    summary="私聊获取本人年度履职报告（含 Word 文件）",
    topic="履职积分",
    role=Role.MEMBER,
    where=Where.PRIVATE,
    details=(
        "本人一年的履职档案：提案（办理结果、答复类别、本人的评价、回头看）、社情民意信息"
        "（采用、批示）、联名、参加的临时讨论、协商议题和履职积分；先回复文字，再私聊发送可打印的"
        "Word 文件。例如：履职报告 2026"
    ),
)
async def duty_report_command(ctx: CommandContext) -> None:
    await send_duty_report(ctx, ctx.words)


async def send_duty_report(ctx: CommandContext, words: list[str]) -> None:
    year, rest = parse_year(ctx, words, usage="履职报告")
    if rest:
        raise InvalidInput(
            f"看不懂“{rest[0][:20]}”。用法：{report_texts.REPORT_USAGE}，例如：履职报告 {year}"
        )
    member = ctx.identity.member
    if member is None or not member.is_member:
        raise PermissionDenied(
            "履职报告只为委员生成。机关工作人员导出全体委员的履职档案请用：导出 履职 " + str(year)
        )
    record, path = await ctx.services.documents.duty_report(member, year)
    await ctx.reply(report_texts.report(record) + "\n" + report_texts.file_sent(path.name))
    await queue_file(ctx, path, "duty_report", report_texts.file_fallback(str(path)))


async def export_duty_records(ctx: CommandContext, words: list[str]) -> None:
    """导出 履职 [2026]: every member's record in one .docx."""
    year, rest = parse_year(ctx, words, usage="导出 履职")
    if rest:
        raise InvalidInput(
            f"看不懂“{rest[0][:20]}”。用法：导出 履职 [年份]，例如：导出 履职 {year}"
        )
    result = await ctx.services.documents.duty_reports(year)
    fallback = export_texts.document_fallback(result.path, ctx.services.config.board_url)
    await queue_file(ctx, result.path, "export_duty", fallback)
    await ctx.reply(
        f"已生成{year}年度委员履职档案（{result.members} 人），"
        f"{export_texts.where_sent(ctx.is_private)}：{result.path.name}"
    )


async def export_annual_report(ctx: CommandContext, words: list[str]) -> None:
    """导出 报告 [2026]: the draft of the year's 提案工作情况报告."""
    year, rest = parse_year(ctx, words, usage="导出 报告")
    if rest:
        raise InvalidInput(
            f"看不懂“{rest[0][:20]}”。用法：导出 报告 [年份]，例如：导出 报告 {year}"
        )
    result = await ctx.services.documents.annual_report(year)
    fallback = export_texts.document_fallback(result.path, ctx.services.config.board_url)
    await queue_file(ctx, result.path, "export_report", fallback)
    await ctx.reply(
        f"已生成{year}年度提案工作情况报告（草稿，数字与“统计 {year}”一致，【待撰写】处请补写），"
        f"{export_texts.where_sent(ctx.is_private)}：{result.path.name}"
    )
