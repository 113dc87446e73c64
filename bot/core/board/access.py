"""Who may open a board page: everyone while BOARD_PUBLIC is on (staff pages excepted), else
only with the staff token (BOARD_TOKEN), given once as ``?token=`` and then kept in a cookie."""

from __future__ import annotations

import hmac
from enum import Enum

#: The cookie that keeps the staff token after ``?token=`` (HttpOnly, this site only).
TOKEN_COOKIE = "board_token"
TOKEN_PARAM = "token"


class Access(Enum):
    OPEN = "open"  # show the page
    NEED_TOKEN = "need_token"  # ask for the staff token (none given, or a wrong one)
    NO_TOKEN_SET = "no_token_set"  # the page needs a token but BOARD_TOKEN is empty


def decide(*, public: bool, token: str, presented: str | None, staff: bool) -> Access:
    """Whether a page (a staff page when `staff`) opens for a visitor presenting `presented`."""
    if public and not staff:
        return Access.OPEN
    if not token:
        return Access.NO_TOKEN_SET
    if presented and hmac.compare_digest(presented.encode(), token.encode()):
        return Access.OPEN
    return Access.NEED_TOKEN


REFUSALS: dict[Access, tuple[int, str, str]] = {
    Access.NEED_TOKEN: (
        401,
        "需要访问令牌",
        "这个页面只对政协机关工作人员开放。请在地址后加上“?token=访问令牌”打开一次"
        "（令牌由管理员在设置 BOARD_TOKEN 中设定），浏览器会记住它。",
    ),
    Access.NO_TOKEN_SET: (
        403,
        "页面未开放",
        "这个页面需要访问令牌，但还没有设置令牌。请管理员在 .env 中设置 BOARD_TOKEN"
        "（或把 BOARD_PUBLIC 设为 true 公开进度页面）后重启机器人。",
    ),
}
