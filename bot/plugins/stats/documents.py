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


def _year_of(ctx: CommandContext, words: list[str], usage: str) -> int:
    """The year of `导出 履职|报告 [年份]` (this year when none is named)."""
    year, rest = parse_year(ctx, words, usage=usage)
    if rest:
        raise InvalidInput(f"看不懂“{rest[0][:20]}”。用法：{usage} [年份]，例如：{usage} {year}")
    return year


async def _send_document(ctx: CommandContext, path: Path, purpose: str, made: str) -> None:
    """Queue a staff document (the board's download page named in the fallback) and reply."""
    fallback = export_texts.document_fallback(path, ctx.services.config.board_url)
    await queue_file(ctx, path, purpose, fallback)
    await ctx.reply(f"{made}，{export_texts.where_sent(ctx.is_private)}：{path.name}")


async def export_duty_records(ctx: CommandContext, words: list[str]) -> None:
    """导出 履职 [2026]: every member's record in one .docx."""
    year = _year_of(ctx, words, "导出 履职")
    result = await ctx.services.documents.duty_reports(year)
    made = f"已生成{year}年度委员履职档案（{result.members} 人）"
    await _send_document(ctx, result.path, "export_duty", made)


async def export_annual_report(ctx: CommandContext, words: list[str]) -> None:
    """导出 报告 [2026]: the draft of the year's 提案工作情况报告."""
    year = _year_of(ctx, words, "导出 报告")
    result = await ctx.services.documents.annual_report(year)
    made = f"已生成{year}年度提案工作情况报告（草稿，数字与“统计 {year}”一致，【待撰写】处请补写）"
    await _send_document(ctx, result.path, "export_report", made)
