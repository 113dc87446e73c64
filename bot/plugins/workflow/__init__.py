"""提案办理: 立案 / 不立案 / 并案 / 交办 / 进展 / 答复 / 办结 / 重点 (staff, unit contacts) and
评价 (the lead proposer). One module per command; the work is done by
`services.proposals` (bot/core/workflow/proposals/)."""

from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.workflow import (  # noqa: F401  (each module registers its command)
    accept,
    answer,
    assign,
    conclude,
    evaluate,
    key,
    merge,
    progress,
    reject,
)

__plugin_meta__ = plugin_meta(
    "提案办理",
    "立案、不立案、并案、交办、进展、答复、办结、重点提案，以及委员评价",
    "立案 17；不立案 17 理由；并案 17 到 9；交办 17 主办 县教育局；答复 17 B 内容；评价 17 满意",
)

registry.describe_topic(
    "提案办理",
    "提案的办理流程：已提交 → 立案（或不立案、并案）→ 交办承办单位 → 办理中 → 答复（A/B/C）→ "
    "提案人评价 → 办结；评价不满意的重新办理一次。默认答复时限为交办后3个月，委员评价期限为答复后"
    "15个工作日（按法定节假日和调休计算）。多件提案可一次办理：立案 17 18 21、办结 3-5。",
)
