"""公众参与: what the public leaves on the board's forms, in chat — staff review it (评论 通过 /
隐藏 …, announced to the staff groups in batches by jobs.py), members read the approved
proposal tips (线索 [类别]). The work is done by `services.moderation` and `services.public`
(bot/core/public/)."""

from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.public import jobs, review, tips  # noqa: F401  (each registers its commands)

__plugin_meta__ = plugin_meta(
    "公众参与",
    "网页上公众的留言、议题建议和提案线索：机关审核（评论 通过/隐藏），委员查看提案选题参考（线索）",
    "评论；评论 通过 12 13；评论 隐藏 12；评论 通过 L5；线索 [类别]",
)

registry.describe_topic(
    "公众参与",
    "公开网页上，公众可以对协商计划和征集中的议题留言、建议协商议题、提供提案线索，并对已公开的"
    "提案评价网民满意度（每人每天每件一次）。留言、议题建议和线索都要经机关工作人员审核才公开："
    "新收到的会定时汇总发到机关群，发送“评论”查看待审核的内容，“评论 通过 12 13”或"
    "“评论 隐藏 12”审核（线索的编号写 L5）。通过的议题建议进入议题库，通过的线索列入"
    "提案选题参考，委员发送“线索”查看，写提案时另起一行写“线索 L5”表示据此提出。",
)
