"""Links to the board (BOARD_URL + a page's path), and what the `网页` command says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.board.visibility import is_public

if TYPE_CHECKING:
    from bot.core.models import Record

NO_URL = (
    "还没有设置办理进度公开网页的地址。请管理员在设置中填写 BOARD_URL"
    "（网页对外的地址，例如 https://zx.example.gov.cn/），重启机器人后再发送“网页”。"
)
NOT_PUBLIC = (
    "办理进度公开网页目前不对外开放。查看某件提案的办理进度，请发送“查提案 编号”，例如：查提案 17"
)
NEEDS_TOKEN = (
    "网页目前不公开，打开时须在地址后加“?token=访问令牌”（令牌由管理员设定，请勿转发到群里）。"
)


def proposal_path(record: Record) -> str | None:
    """The path of the record's page, or None when the public may not see it."""
    return f"/proposals/{record.year}/{record.number}" if is_public(record) else None


def board_text(base: str, *, public: bool, staff: bool) -> str:
    """The reply to `网页`."""
    if not base:
        return NO_URL
    if not public and not staff:
        return NOT_PUBLIC
    text = f"提案办理进度公开网页：{base}/\n年度总览、每件已立案提案的办理进度都在上面。"
    return text + ("\n" + NEEDS_TOKEN if not public else "")


def record_text(
    base: str, record: Record, label: str, ref: str, *, public: bool, staff: bool
) -> str:
    """The reply to `网页 17`: the proposal's page, or why it has none."""
    if not base:
        return NO_URL
    if not public and not staff:
        return NOT_PUBLIC
    path = proposal_path(record)
    if path is None:
        return (
            f"{label}还没有立案，或不对外公开，网页上没有它的页面。"
            f"查看办理进度请发送“查提案 {ref}”。"
        )
    text = f"{label}的办理进度：{base}{path}"
    return text + ("\n" + NEEDS_TOKEN if not public else "")
