"""议题 — the pool of topics waiting to be chosen (everyone), and the staff sub-commands
`议题 录入 / 活动 / 成果 / 批示 / 落实 / 办结 …`, which run the commands registered as
议题录入, 议题活动 … (topic_steps.py; typed without the space they are found directly)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.models import ChannelKind
from bot.nb.context import CommandContext
from bot.nb.registry import Command, Where, registry

#: The word after 议题 and the command it stands for.
SUBCOMMANDS: dict[str, str] = {
    "录入": "议题录入",
    "新增": "议题录入",
    "添加": "议题录入",
    "活动": "议题活动",
    "成果": "议题成果",
    "批示": "议题批示",
    "落实": "议题落实",
    "反馈": "议题落实",
    "办结": "议题办结",
    "不列入": "议题不列入",
    "暂不列入": "议题不列入",
}
LIST_WORDS = frozenset({"列表", "库", "池", "征集"})
STAFF_HINT = (
    "机关工作人员还可以：议题 录入｜不列入｜活动｜成果｜批示｜落实｜办结 编号 …"
    "（发送“帮助 议题办理”查看）。"
)


@registry.command(
    "议题",
    aliases=("议题库",),
    usage="议题 [编号]",
    summary="查看征集中的协商议题及支持人数；议题 3 查看一项及网民留言",
    topic="议题",
    details="私聊机器人查询时，还会列出您自己私聊提交的议题。" + STAFF_HINT,
)
async def topic_command(ctx: CommandContext) -> None:
    word, _ = ctx.action()
    if not word or word in LIST_WORDS:
        await ctx.reply(await _pool(ctx))
        return
    if word[:1].isdigit() or word.startswith("第"):
        # 议题 3: the topic itself (查议题 3), with the public's approved comments
        query = registry.get("查议题")
        assert query is not None
        await query.handler(replace(ctx, command=query, args=ctx.args))
        return
    name = SUBCOMMANDS.get(word)
    command = registry.get(name) if name else None
    if command is None:
        hint = STAFF_HINT if ctx.identity.is_staff else ""
        await ctx.reply(
            f"“议题 {word[:10]}”不是命令。建议协商议题请发送“#议题 内容”（以 # 开头）；"
            f"查看征集中的议题请发送“议题”。{hint}"
        )
        return
    refusal = _refusal(ctx, command, word)
    if refusal:
        await ctx.reply(refusal)
        return
    await command.handler(replace(ctx, command=command, args=ctx.args[len(word) :].strip()))


async def _pool(ctx: CommandContext) -> str:
    staff_privately = ctx.is_private and ctx.identity.is_staff
    return await ctx.services.consultation.pool_text(
        include_private=staff_privately, own_user_id=ctx.user_id if ctx.is_private else None
    )


def _refusal(ctx: CommandContext, command: Command, word: str) -> str:
    """The router's checks for the sub-command: its role, then its places."""
    if not ctx.identity.has(command.role):
        return (
            f"“议题 {word}”仅限政协机关工作人员使用。建议协商议题请发送“#议题 内容”，"
            "赞同某个议题请发送“附议 议题 编号”。"
        )
    if _place(ctx) not in command.where:
        return f"“议题 {word}”请私聊机器人或在机关群使用。"
    return ""


def _place(ctx: CommandContext) -> Where:
    if ctx.is_private:
        return Where.PRIVATE
    kind = ChannelKind(ctx.binding.kind) if ctx.binding is not None else None
    if kind is ChannelKind.STAFF:
        return Where.STAFF_GROUP
    if kind is ChannelKind.UNIT:
        return Where.UNIT_GROUP
    return Where.MEMBER_GROUP
