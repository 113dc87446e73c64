"""统计 (figures), 履职 (duty points) and 导出 (the Excel export): every figure from
``services.stats`` (bot/core/stats), duty points from ``services.duty`` (bot/core/stats/duty)."""

from nonebot.plugin import PluginMetadata

from bot.core.stats.texts import DEFINITIONS
from bot.nb.registry import registry
from bot.plugins.stats import figures  # noqa: F401  (each module registers its command)

__plugin_meta__ = PluginMetadata(
    name="统计",
    description="提案和社情民意的办理统计、承办单位效能、履职积分、Excel 导出",
    usage="统计 / 统计 2026 界别 农业界 / 统计 单位 / 履职 / 履职 统计 / 导出 2026",
    supported_adapters={"~onebot.v11"},
)

registry.describe_topic("统计", DEFINITIONS)
