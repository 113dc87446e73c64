"""议题办理: topics (议题) through the annual consultation plan — 列入计划, the plan item's
activities, result, 批示, follow-up and closing (staff), 协商计划 and the pool of topics (议题,
everyone) — and work news (#动态, 撤回动态; staff). The work is done by `services.consultation`
and `services.news` (bot/core/consultation/)."""

from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.consultation import (  # noqa: F401  (each module registers its commands)
    news,
    plan,
    plan_list,
    topic,
    topic_steps,
)

__plugin_meta__ = plugin_meta(
    "议题与协商计划",
    "协商议题征集、列入年度协商计划、记录活动成果批示落实直至办结；政协动态发布与撤回",
    "列入计划 3 专题协商 牵头 某副主席 责任 县农业农村局 时限 2027-06-30；协商计划；#动态 标题⏎正文",
)

registry.describe_topic(
    "议题办理",
    "协商议题：委员发 #议题 或机关录入 → 委员附议表示支持 → 列入年度协商计划（按协商形式编号，"
    "写明牵头领导、责任部门、责任人、完成时限）→ 记录调研、座谈、视察等活动 → 形成成果（建议案或"
    "报告，可附文件）→ 领导批示 → 跟踪落实、反馈问效 → 办结。列入计划和办结时，提出人和附议委员会"
    "收到私信；责任部门和责任人在时限前 30、14、7、3、1 个工作日收到提醒，逾期后每 3 个工作日"
    "提醒一次并告知机关群。计划进展写进日报。没有选上的议题发送“议题 不列入 编号 理由”"
    "（私信告知提出人），以后仍可列入计划。以下命令也可以不加空格，如“议题活动 3 …”。",
)
registry.describe_topic(
    "政协动态",
    "机关工作人员在机关群或私聊机器人发送“#动态 标题⏎正文”（可附图片）发布政协工作动态，"
    "次日的日报会刊登；发错了发送“撤回动态 编号”撤回，撤回后日报和公开页面都不再显示。",
)
