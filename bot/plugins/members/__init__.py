"""委员 and 管理员: the roster by chat command."""

from __future__ import annotations

from bot.core.errors import DomainError, InvalidInput
from bot.core.people.identity import Role
from bot.core.people.members import MemberUpdate
from bot.nb.context import CommandContext
from bot.nb.meta import plugin_meta
from bot.nb.registry import Where, registry
from bot.plugins.members.unreachable import list_unreachable

__plugin_meta__ = plugin_meta(
    "委员名单",
    "设置委员的界别、职务，查看名单，任免机关工作人员",
    "委员 设置 @某人 界别 农业界 [职务 常委] [专委会 提案委]；委员 列表 [界别]；管理员 添加|移除 @某人",
)

MEMBER_USAGE = "委员 设置 @某人 界别 农业界 [职务 常委] [专委会 提案委]；委员 列表 [界别]"
FIELDS = {"界别": "sector", "职务": "title", "专委会": "committee", "姓名": "name"}

registry.describe_topic(
    "委员",
    "委员名单可用命令行导入（python -m bot members import 名单.xlsx），也可在群里逐个设置。"
    "在委员群发言的新成员会按群名片（如“农业界-张三”）自动登记。",
)


def parse_member_fields(words: list[str]) -> MemberUpdate:
    values: dict[str, str] = {}
    index = 0
    while index < len(words):
        key = words[index]
        if key not in FIELDS:
            raise InvalidInput(
                f"不认识“{key}”。可以设置：界别、职务、专委会、姓名。例如：{MEMBER_USAGE}"
            )
        if index + 1 >= len(words):
            raise InvalidInput(f"“{key}”后面要写内容，例如：委员 设置 @某人 {key} ……")
        values[FIELDS[key]] = words[index + 1]
        index += 2
    if not values:
        raise InvalidInput(f"要设置什么？例如：{MEMBER_USAGE}")
    return MemberUpdate(**values)


@registry.command(
    "委员",
    usage="委员 设置 @某人 界别 农业界 [职务 常委]｜委员 列表 [界别]",
    summary="设置委员信息、查看委员名单（机关工作人员）",
    details="“委员 未加好友”：最近30天私聊联系不上（不是机器人好友）的人。",
    topic="委员",
    role=Role.STAFF,
    where=Where.ANYWHERE,
)
async def member_command(ctx: CommandContext) -> None:
    action, rest = ctx.action()
    if action in {"设置", "设为", "修改"}:
        await set_member(ctx, rest)
    elif action in {"列表", "名单", "查看"}:
        await list_members(ctx, rest)
    elif action in {"未加好友", "联系不上", "无法联系"}:
        await list_unreachable(ctx)
    else:
        await ctx.reply(f"用法：{MEMBER_USAGE}")


async def set_member(ctx: CommandContext, words: list[str]) -> None:
    if len(ctx.mentions) != 1:
        raise InvalidInput(f"请 @ 一位要设置的委员。例如：{MEMBER_USAGE}")
    user_id = ctx.mentions[0]
    update = parse_member_fields(words)
    if update.sector is not None and ctx.services.sectors.resolve(update.sector) is None:
        raise InvalidInput(unknown_sector(ctx, update.sector))
    name = await ctx.display_name(user_id)
    member = await ctx.services.members.update(user_id, update, display_name=name)
    parts = [f"界别：{member.sector or '未设置'}"]
    if member.title:
        parts.append(f"职务：{member.title}")
    if member.committee:
        parts.append(f"专委会：{member.committee}")
    await ctx.reply(f"已更新委员 {member.name}：{'，'.join(parts)}。")


def unknown_sector(ctx: CommandContext, text: str) -> str:
    return f"没有“{text}”这个界别。可用的界别：{'、'.join(ctx.services.sectors.names())}"


async def list_members(ctx: CommandContext, words: list[str]) -> None:
    sector = None
    if words:
        sector = ctx.services.sectors.resolve(words[0])
        if sector is None:
            raise InvalidInput(unknown_sector(ctx, words[0]))
    members = await ctx.services.members.list_members(sector)
    if not members:
        await ctx.reply(
            f"{sector or '名单'}中还没有委员。可以用 python -m bot members import 导入名单。"
        )
        return
    groups: dict[str, list[str]] = {}
    for member in members:
        label = member.name + (f"（{member.title}）" if member.title else "")
        groups.setdefault(member.sector or "界别未设置", []).append(label)
    lines = [f"委员名单（共{len(members)}人）"]
    for name, people in groups.items():
        lines.append(f"【{name}】{len(people)}人：{'、'.join(people)}")
    await ctx.reply("\n".join(lines))


@registry.command(
    "管理员",
    usage="管理员 添加|移除 @某人｜管理员 列表",
    summary="任免机关工作人员（超级管理员）",
    topic="委员",
    role=Role.SUPERUSER,
    where=Where.ANYWHERE,
)
async def staff_command(ctx: CommandContext) -> None:
    action, _ = ctx.action()
    if action in {"列表", "名单", "查看"}:
        staff = await ctx.services.members.list_staff()
        names = "、".join(m.name for m in staff) or "（暂无）"
        await ctx.reply(f"机关工作人员：{names}")
        return
    if action not in {"添加", "增加", "移除", "删除"}:
        await ctx.reply("用法：管理员 添加 @某人；管理员 移除 @某人；管理员 列表")
        return
    if not ctx.mentions:
        raise InvalidInput(f"请 @ 要{action}的人。例如：管理员 {action} @某人")
    is_staff = action in {"添加", "增加"}
    done: list[str] = []
    problems: list[str] = []
    for user_id in ctx.mentions:
        name = await ctx.display_name(user_id)
        try:
            member = await ctx.services.members.set_staff(user_id, is_staff, display_name=name)
        except DomainError as exc:
            problems.append(exc.message)
            continue
        done.append(member.name)
    verb = "设为机关工作人员" if is_staff else "移出机关工作人员"
    lines = [f"已将 {'、'.join(done)} {verb}。"] if done else []
    lines.extend(problems)
    await ctx.reply("\n".join(lines))
