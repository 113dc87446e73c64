"""The 导出 replies, and the text sent instead of the file when the chat client refuses files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.export.files import download_url

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.export.service import ExportResult

EXPORT_USAGE = "导出 [年份]"
#: The other files 导出 makes (.docx): every member's duty record, the annual report draft.
DOCUMENT_USAGE = "导出 履职 [年份]、导出 报告 [年份]"


def contents(result: ExportResult) -> str:
    return (
        f"{result.year}年：提案 {result.proposals} 件、社情民意信息 {result.opinions} 件、"
        f"议题 {result.topics} 件、委员履职积分 {result.members} 人"
    )


def fallback(result: ExportResult, board_url: str) -> str:
    """Where the file is when QQ would not take it: on the server, and on the board."""
    text = (
        f"导出文件未能通过 QQ 发送（客户端不支持或群文件空间已满）。"
        f"文件已保存在服务器：{result.path}"
    )
    return text + board_download(board_url, result.path.name)


def board_download(board_url: str, name: str) -> str:
    """The line that gives the board's staff download address (nothing without BOARD_URL)."""
    if not board_url:
        return ""
    return (
        f"\n也可以在公开网页的机关下载页下载（需机关工作人员令牌 BOARD_TOKEN，"
        f"第一次在地址后加“?token=令牌”）：{download_url(board_url, name)}"
    )


def where_sent(private: bool) -> str:
    return "正在私聊发给您" if private else "正在上传到本群文件"


def started(result: ExportResult, private: bool) -> str:
    return f"已生成导出文件（{contents(result)}），{where_sent(private)}：{result.path.name}"


def document_fallback(path: Path, board_url: str = "") -> str:
    return (
        f"Word 文件未能通过 QQ 发送（客户端不支持或群文件空间已满）。文件已保存在服务器：{path}"
        + board_download(board_url, path.name)
    )
