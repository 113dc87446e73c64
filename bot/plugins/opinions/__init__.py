"""社情民意办理: 采用 / 未采用 / 报送 / 批示 / 落实 (staff), in handling.py (each step a number
and perhaps a text); the work is done by `services.opinions` (bot/core/workflow/opinions.py)."""

from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.opinions import handling  # noqa: F401  (registers the commands)

__plugin_meta__ = plugin_meta(
    "社情民意办理",
    "社情民意信息的采用、未采用、报送、批示、落实，每一步一对一告知提交人",
    "采用 5；未采用 5 理由；报送 5 市政协；批示 5 内容；落实 5 内容",
)

registry.describe_topic(
    "社情民意办理",
    "社情民意信息：已提交 → 采用（或未采用）→ 报送 → 获批示 → 落实。每一步都会一对一告知提交人。",
)
