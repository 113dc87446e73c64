"""统计 (figures), 履职 (duty points) and 导出 (the Excel export): every figure from
``services.stats`` (bot/core/stats), duty points from ``services.duty`` (bot/core/stats/duty)."""

from bot.core.stats.texts import DEFINITIONS
from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.stats import documents, duty, export, figures  # noqa: F401  (each module registers its command)

__plugin_meta__ = plugin_meta(
    "统计",
    "提案和社情民意的办理统计、承办单位效能、履职积分、Excel 导出",
    "统计 / 统计 2026 界别 农业界 / 统计 单位 / 履职 / 履职 统计 / 履职报告 / 导出 2026 / "
    "导出 履职 2026 / 导出 报告 2026",
)

registry.describe_topic("统计", DEFINITIONS)
registry.describe_topic(
    "履职积分",
    "委员的履职积分按积分表（政协机关可改分值、加项目）计算：提交提案、立案、联名，社情民意信息"
    "及其采用、批示，协商议题，承办单位的提案质量评价和评为优秀提案等自动计分；会议、视察调研等由机关工作人员登记。积分只私聊告诉本人，"
    "机关工作人员可在机关群或私聊查看积分表；不在委员群公布，不排名，不上公开进度页。"
    "“履职报告”私聊给委员本人一年的履职档案（文字和可打印的 Word 文件）；“履职 统计”另列没有提案、"
    "没有社情民意信息、积分低于本会最低要求（DUTY_MINIMUM_POINTS）的委员，只给机关工作人员看。",
)
