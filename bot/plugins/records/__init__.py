"""Members' record commands: 查提案/查民意/查议题, 我的, 搜索, 附议, 撤回 (one file each)."""

from __future__ import annotations

from nonebot import require

# the tagged-post commands come first in the 提案 / 社情民意 / 议题 help topics
require("bot.plugins.intake")

from bot.nb.meta import plugin_meta  # noqa: E402
from bot.plugins.records import cosign, mine, query, search, withdraw  # noqa: E402

__plugin_meta__ = plugin_meta(
    "提案查询与联名",
    "查提案、我的、搜索、附议（联名）、撤回",
    "查提案 17 / 查民意 5 / 查议题 3 / 我的 / 搜索 关键词 / 附议 17 / 撤回 17",
)

__all__ = ["cosign", "mine", "query", "search", "withdraw"]
