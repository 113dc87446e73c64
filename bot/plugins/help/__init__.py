"""帮助: lists the commands the asker may use; `帮助 提案` explains one topic or command."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.meta import plugin_meta
from bot.nb.registry import Command, HelpTopic, registry

__plugin_meta__ = plugin_meta(
    "帮助",
    "列出可用的命令",
    "帮助 / 帮助 提案 / 帮助 立案",
)


def _visible(ctx: CommandContext, command: Command) -> bool:
    return ctx.identity.has(command.role)


# Who holds a role, as `Identity.has` grants it: staff may do what a unit contact may.
_HOLDERS: dict[Role, tuple[Role, ...]] = {
    Role.SUPERUSER: (Role.SUPERUSER,),
    Role.STAFF: (Role.STAFF,),
    Role.UNIT_CONTACT: (Role.UNIT_CONTACT, Role.STAFF),
    Role.MEMBER: (Role.MEMBER,),
    Role.ANYONE: (),
}
_ORDER = (Role.MEMBER, Role.UNIT_CONTACT, Role.STAFF, Role.SUPERUSER)


def who_may(roles: Iterable[Role]) -> str:
    """`承办单位联系人、机关工作人员` for the roles commands require (their holders, once)."""
    holders = {holder for role in roles for holder in _HOLDERS[role]}
    return "、".join(role.label for role in _ORDER if role in holders)


@registry.command(
    "帮助",
    aliases=("菜单", "help", "使用说明"),
    usage="帮助 [主题或命令]",
    summary="查看可以使用的命令，例如：帮助 提案",
    topic="帮助",
)
async def help_command(ctx: CommandContext) -> None:
    query = ctx.args.strip().lstrip("#＃/／").strip()
    if query:
        await ctx.reply(_detail(ctx, query))
        return
    lines = ["政协履职助手 · 可用命令（发送“帮助 主题”看详细说明）"]
    compact: list[str] = []
    for topic in sorted(registry.topics(), key=_topic_order):
        commands = [
            c for c in topic.commands if _visible(ctx, c) and (c.listed is None or c.listed(ctx))
        ]
        if not commands or topic.name == "帮助":
            continue
        if any(c.role in _LISTED_IN_FULL for c in commands):
            lines.append(f"\n【{topic.name}】")
            lines.extend(f"· {c.usage} — {c.summary}" for c in commands)
        else:
            compact.append(f"· {topic.name}：{'、'.join(dict.fromkeys(c.name for c in commands))}")
    if compact:
        lines.extend(["\n【办理与管理】（用法：帮助 主题，例如 帮助 提案办理）", *compact])
    if len(lines) == 1:
        lines.append("暂无可用命令。")
    lines.append("\n命令前可加“/”，例如 /查提案 17。")
    await ctx.reply("\n".join(lines))


# Topics with a command members (or anyone) may use are listed one command a line; topics
# only for staff, unit contacts and superusers by their command names, so that everyone's
# overview stays one message (tests/plugins/help).
_LISTED_IN_FULL = (Role.ANYONE, Role.MEMBER)
_FIRST_TOPICS = ("提案", "社情民意", "议题", "讨论组", "统计", "履职积分")


def _topic_order(topic: HelpTopic) -> int:
    """Members' topics in the order they meet them; the rest as registered (sorted is stable)."""
    return _FIRST_TOPICS.index(topic.name) if topic.name in _FIRST_TOPICS else len(_FIRST_TOPICS)


def _detail(ctx: CommandContext, query: str) -> str:
    topic = registry.topic(query)
    if topic is not None:
        commands = [c for c in topic.commands if _visible(ctx, c)]
        lines = [f"【{topic.name}】"]
        if topic.intro:
            lines.append(topic.intro)
        for command in commands:
            lines.append(f"· {command.usage} — {command.summary}")
            if command.details and command.details not in "\n".join(lines):
                lines.append(f"  {command.details}")
        if not commands:
            roles = who_may(c.role for c in topic.commands)
            limit = f"（仅限{roles}使用）" if roles else ""
            lines.append(f"这一主题下没有您可以使用的命令{limit}。发送“帮助”查看您可以使用的命令。")
        return "\n".join(lines)
    command = registry.get(query) or registry.get(query.split()[0])
    if command is not None:
        lines = [f"{command.usage}", command.summary]
        if command.details:
            lines.append(command.details)
        if not _visible(ctx, command):
            lines.append(f"（此命令仅限{who_may([command.role])}使用）")
        return "\n".join(lines)
    names = "、".join(t.name for t in registry.topics() if t.name != "帮助")
    return f"没有“{query[:20]}”的说明。可以查看的主题：{names}。"
