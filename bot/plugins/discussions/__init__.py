"""临时讨论组 (D3): ``#讨论`` opens a room the bot keeps; participants' private messages are
relayed one-to-one (relay.py, its own matcher); ``结束讨论`` or the time-out (jobs.py) posts the
summary; ``讨论转提案`` drafts a joint proposal. The services: bot/core/discussions/."""

from __future__ import annotations

from bot.nb.meta import plugin_meta
from bot.nb.registry import registry
from bot.plugins.discussions import (  # noqa: F401  (each registers its commands)
    close,
    create,
    jobs,
    membership,
    proposal,
    relay,
    transcript,
    view,
)

__plugin_meta__ = plugin_meta(
    "讨论组",
    "临时讨论组：机器人代为建组，私聊转发参加者的发言，结束后发小结，可转为联名提案",
    "#讨论 主题 @委员 [48小时]；加入 D3；退出 D3；讨论；讨论 D3；进入 D3；结束讨论 D3；"
    "讨论记录 D3；讨论转提案 D3 [标题]",
)

registry.describe_topic(
    "讨论组",
    "QQ机器人不能建群，临时讨论组由机器人代管：在委员群发送“#讨论 主题 @委员甲 @委员乙 [48小时]”"
    "（私聊时写姓名或QQ号），机器人私聊通知被邀请的人。参加者私聊机器人发的文字、图片、文件，"
    "会以“【D3 主题】姓名：…”转给其他参加者；同时参加几个讨论时先发“进入 D3”选择。"
    "讨论最长7天、2到30人；结束时把小结（不含全部内容）发到发起的群和各参加者，"
    "完整记录留给机关工作人员。不是机器人好友的人收不到私聊，机器人会在群里提醒其加好友。",
)
