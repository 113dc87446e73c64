"""单位: handling units (承办单位) and their contact people.

`单位 添加 县教育局 [@联系人]`, `单位 列表`, `单位 联系人 县教育局 @某人`,
`单位 联系人 县教育局 移除 @某人`. Contacts may also be written as QQ numbers (privately, where
nobody can be @-ed); their names are looked up (bot/plugins/units/names.py), else shown as
未登记姓名 until they speak. A name close to an existing unit needs `确认`, so that a typo does not
create a second 县教育局.
"""

from __future__ import annotations

import difflib
import re

from bot.core.errors import InvalidInput
from bot.core.models import Unit
from bot.core.people.identity import Role
from bot.core.people.units import contact_label, has_name, unnamed_label
from bot.nb.context import CommandContext
from bot.nb.meta import plugin_meta
from bot.nb.registry import Where, registry
from bot.plugins.units.names import contact_name

__plugin_meta__ = plugin_meta(
    "承办单位",
    "维护承办单位和联系人",
    "单位 添加 县教育局 [@联系人]；单位 列表；单位 联系人 县教育局 @某人；单位 联系人 县教育局 移除 @某人",
)

USAGE = (
    "单位 添加 县教育局 [@联系人]；单位 列表；单位 联系人 县教育局 @某人；"
    "单位 联系人 县教育局 移除 @某人"
)
CONFIRM_WORDS = {"确认", "确定"}
REMOVE_WORDS = {"移除", "删除", "去掉", "取消"}
_QQ = re.compile(r"^[1-9][0-9]{4,11}$")
#: Names this similar (or one inside the other) are probably the same unit.
SIMILAR_RATIO = 0.7

registry.describe_topic(
    "承办单位",
    "承办单位及其联系人。交办时写的单位名称必须是已添加的单位；联系人会一对一收到交办通知和提醒，"
    "可以为本单位的提案记录进展、提交答复。",
)


@registry.command(
    "单位",
    usage="单位 添加 县教育局 [@联系人]｜单位 列表｜单位 联系人 县教育局 @某人",
    summary="维护承办单位和联系人（机关工作人员）",
    topic="承办单位",
    role=Role.STAFF,
    where=Where.STAFF_PLACES | Where.UNIT_GROUP,
    details=f"用法：{USAGE}。私聊时联系人可写QQ号。",
)
async def unit_command(ctx: CommandContext) -> None:
    action, rest = ctx.action(default="列表")
    if action in {"列表", "名单", "查看"}:
        await list_units(ctx)
    elif action in {"添加", "增加", "新增"}:
        await add_unit(ctx, rest)
    elif action in {"联系人"}:
        await contacts(ctx, rest)
    else:
        raise InvalidInput(f"不认识“{action[:20]}”。用法：{USAGE}")


def people_in(ctx: CommandContext, words: list[str]) -> list[str]:
    """User ids named by @ or typed as QQ numbers."""
    typed = [w for w in words if _QQ.match(w)]
    return list(dict.fromkeys([*ctx.mentions, *typed]))


def plain_words(words: list[str]) -> list[str]:
    return [w for w in words if not _QQ.match(w) and not w.startswith(("@", "＠"))]


def similar_units(name: str, units: list[Unit]) -> list[str]:
    found = []
    for unit in units:
        if unit.name == name:
            continue
        ratio = difflib.SequenceMatcher(None, name, unit.name).ratio()
        if ratio >= SIMILAR_RATIO or name in unit.name or unit.name in name:
            found.append(unit.name)
    return found


async def list_units(ctx: CommandContext) -> None:
    views = await ctx.services.units.list_with_contacts()
    if not views:
        await ctx.reply("还没有承办单位。请发送：单位 添加 县教育局 @联系人")
        return
    lines = [f"承办单位（共{len(views)}个）："]
    for view in views:
        names = "、".join(contact_label(c) for c in view.contacts)
        lines.append(f"· {view.unit.name}：" + (f"联系人 {names}" if names else "（未设联系人）"))
    await ctx.reply("\n".join(lines))


async def add_unit(ctx: CommandContext, words: list[str]) -> None:
    rest = plain_words(words)
    confirmed = bool(rest) and rest[-1] in CONFIRM_WORDS
    if confirmed:
        rest = rest[:-1]
    if len(rest) != 1:
        raise InvalidInput("请写一个单位名称（名称中不要有空格）。例如：单位 添加 县教育局 @联系人")
    name = rest[0]
    units = ctx.services.units
    existing = await units.all()
    if not confirmed and all(u.name != name for u in existing):
        close = similar_units(name, existing)
        if close:
            raise InvalidInput(
                f"已有相近的单位：{'、'.join(close[:3])}。如果是同一个单位，请直接使用已有名称；"
                f"如确是另一个单位，请发送：单位 添加 {name} 确认"
            )
    unit, created = await units.add(name)
    lines = [f"已添加承办单位：{unit.name}。" if created else f"承办单位“{unit.name}”已存在。"]
    people = people_in(ctx, words)
    if people:
        lines.append(await _add_contacts(ctx, unit, people))
    elif created:
        lines.append(f"设置联系人：单位 联系人 {unit.name} @某人")
    await ctx.reply("".join(lines))


async def contacts(ctx: CommandContext, words: list[str]) -> None:
    rest = plain_words(words)
    if not rest:
        raise InvalidInput(f"请写单位名称。用法：{USAGE}")
    unit = await ctx.services.units.resolve(rest[0])
    people = people_in(ctx, words)
    remove = any(w in REMOVE_WORDS for w in rest[1:])
    if not people:
        if remove:
            raise InvalidInput(f"请 @ 要移除的联系人。例如：单位 联系人 {unit.name} 移除 @某人")
        current = await ctx.services.units.contacts(unit.id or 0)
        names = "、".join(contact_label(c) for c in current)
        await ctx.reply(
            f"{unit.name}的联系人：{names}。"
            if names
            else f"{unit.name}还没有联系人。设置：单位 联系人 {unit.name} @某人"
        )
        return
    if remove:
        removed = []
        current = {c.user_id: c for c in await ctx.services.units.contacts(unit.id or 0)}
        for user_id in people:
            await ctx.services.units.remove_contact(unit, user_id)
            removed.append(contact_label(current[user_id]))
        await ctx.reply(f"已将 {'、'.join(removed)} 移出{unit.name}的联系人。")
        return
    await ctx.reply(await _add_contacts(ctx, unit, people))


async def _add_contacts(ctx: CommandContext, unit: Unit, people: list[str]) -> str:
    added: list[str] = []
    already: list[str] = []
    current = {c.user_id: c for c in await ctx.services.units.contacts(unit.id or 0)}
    for user_id in people:
        if user_id in current:  # keep the stored name; look for one if it has none
            contact = current[user_id]
            if not has_name(contact) and (name := await contact_name(ctx, user_id)):
                await ctx.services.units.learn_name(user_id, name)
                contact.name = name
            already.append(contact_label(contact))
            continue
        name = await contact_name(ctx, user_id)  # "" when nobody knows it yet
        if await ctx.services.units.set_contact(unit, user_id, name):
            added.append(name or unnamed_label(user_id))
            await ctx.services.notifier.to_member(
                user_id,
                f"您已被设为{unit.name}的承办单位联系人。交办给{unit.name}的提案会一对一通知您；"
                "办理中可发送“进展 编号 内容”记录进展，办理完毕由主办单位发送“答复 编号 A|B|C 答复内容”。"
                "发送“帮助 提案办理”查看说明。",
                purpose="unit_contact",
            )
        else:
            already.append(name)
    parts = []
    if added:
        parts.append(f"已设 {'、'.join(added)} 为{unit.name}的联系人，并已私信告知。")
    if already:
        parts.append(f"{'、'.join(already)} 原本就是{unit.name}的联系人。")
    return "".join(parts)
