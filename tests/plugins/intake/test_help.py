"""帮助 提案 / 社情民意 / 议题: the intake topics and commands are in the command table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.nb.registry import registry
from tests.utils import make_bot, private_message, reply_of

if TYPE_CHECKING:
    from nonebug import App


def test_topics_and_commands_are_registered() -> None:
    proposal = registry.topic("提案")
    assert proposal is not None
    assert "#提案 标题\n正文（情况、分析、建议）" in proposal.intro
    names = [c.name for c in proposal.commands]
    for name in ("#提案", "查提案", "我的", "搜索", "附议", "撤回"):
        assert name in names
    opinion = registry.topic("社情民意")
    topic = registry.topic("议题")
    assert opinion is not None
    assert [c.name for c in opinion.commands] == ["#社情民意", "查民意"]
    assert topic is not None
    assert "表示支持" in topic.intro
    for command in (c for t in (proposal, opinion, topic) for c in t.commands):
        assert command.usage
        assert command.summary


async def test_help_on_a_topic(app: App) -> None:
    topic = registry.topic("议题")
    assert topic is not None
    expected = "\n".join(
        [
            "【议题】",
            topic.intro,
            # bot/plugins/consultation loads before intake (plugins load in name order)
            "· 协商计划 [年份] — 查看年度协商计划及进展",
            "  用法：协商计划 [年份]，例如：协商计划 2027。按协商形式列出计划项、牵头领导、责任部门、"
            "时限和进展；不写年份显示今年的计划。",
            "· 议题 [编号] — 查看征集中的协商议题及支持人数；议题 3 查看一项及网民留言",
            "  私聊机器人查询时，还会列出您自己私聊提交的议题。机关工作人员还可以：议题 录入｜不列入｜"
            "活动｜成果｜批示｜落实｜办结 编号 …（发送“帮助 议题办理”查看）。",
            "· #议题 内容 — 建议协商议题",  # the format is in the intro, once (issue 9 item 16)
            "· 查议题 编号 — 查看议题的状态和支持情况",
            "  编号写 17、第17号，往年的写 2025-17。委员看到公开的办理步骤；机关工作人员和承办该件的"
            "单位联系人还能看到内部记录。私聊机器人查询可看到全文，群里只显示开头部分。"
            "私聊提交的只能在私聊（或机关群）中查看，且只有提出人、联名委员、"
            "机关工作人员和承办单位联系人可以查看。",
        ]
    )
    event = private_message("帮助 #议题", user_id=20001)
    async with app.test_matcher() as ctx:
        bot = make_bot(ctx)
        ctx.receive_event(bot, event)
        ctx.should_call_send(event, reply_of(event, expected), result={"message_id": 1})
