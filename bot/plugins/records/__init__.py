"""Members' record commands: 查提案/查民意/查议题, 我的, 搜索, 附议, 撤回, 网页 (one file each)."""

from __future__ import annotations

from nonebot import require
from nonebot.plugin import PluginMetadata

# the tagged-post commands come first in the 提案 / 社情民意 / 议题 help topics
require("bot.plugins.intake")

from bot.plugins.records import cosign, mine, query, search, webpage, withdraw  # noqa: E402

__plugin_meta__ = PluginMetadata(
    name="提案查询与联名",
    description="查提案、我的、搜索、附议（联名）、撤回",
    usage="查提案 17 / 查民意 5 / 查议题 3 / 我的 / 搜索 关键词 / 附议 17 / 撤回 17 / 网页 [17]",
    supported_adapters={"~onebot.v11"},
)

__all__ = ["cosign", "mine", "query", "search", "webpage", "withdraw"]
