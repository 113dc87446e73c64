"""统计 (figures), 履职 (duty points) and 导出 (the Excel export): every figure from
``services.stats`` (bot/core/stats), duty points from ``services.duty`` (bot/core/stats/duty)."""

from bot.core.stats.texts import DEFINITIONS
from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.stats import duty, export, figures  # noqa: F401  (each module registers its command)

__plugin_meta__ = plugin_meta(
    "统计",
    "提案和社情民意的办理统计、承办单位效能、履职积分、Excel 导出",
    "统计 / 统计 2026 界别 农业界 / 统计 单位 / 履职 / 履职 统计 / 导出 2026",
)

registry.describe_topic("统计", DEFINITIONS)
registry.describe_topic(
    "履职积分",
    "委员的履职积分按积分表（政协机关可改分值、加项目）计算：提交提案、立案、联名，社情民意信息"
    "及其采用、批示，协商议题等自动计分；会议、视察调研等由机关工作人员登记。积分只私聊告诉本人，"
    "机关工作人员可在机关群或私聊查看积分表；不在委员群公布，不排名，不上公开进度页。",
)
