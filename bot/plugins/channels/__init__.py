"""本群: bind a group as the whole-body, a sector, the staff or a unit group."""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import ActionFailed

from bot.core.models import ChannelKind
from bot.core.people.channels import describe
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.meta import plugin_meta
from bot.nb.registry import Where, registry

__plugin_meta__ = plugin_meta(
    "群绑定",
    "把 QQ 群设为全体群、界别群、机关群或承办单位群",
    "本群 / 本群 设为 全体群｜界别群 农业界｜机关群｜承办单位群 / 本群 取消",
)

USAGE = "本群 设为 全体群｜界别群 <界别>｜机关群｜承办单位群；本群 取消；本群（查看）"

registry.describe_topic(
    "群绑定",
    "机器人只在绑定过的群里工作。全体群、界别群收提案和日报/周报；机关群收待审核事项和月报；"
    "承办单位群收办理提醒。",
)

KIND_EFFECTS = {
    ChannelKind.WHOLE: "本群委员可以发 #提案、#社情民意、#议题，工作日每天 09:00 推送日报。",
    ChannelKind.SECTOR: "本群委员可以发 #提案 等，发言委员自动登记为该界别，每周一推送界别周报。",
    ChannelKind.STAFF: "新提交的提案、社情民意会通知本群审核；逾期办理和月报也发到这里。",
    ChannelKind.UNIT: "承办单位的办理提醒会发到这里并 @ 联系人。",
}


@registry.command(
    "本群",
    usage="本群 [设为 全体群｜界别群 农业界｜机关群｜承办单位群｜取消]",
    summary="查看或设置本群的用途（机关工作人员）",
    topic="群绑定",
    role=Role.ANYONE,
    where=Where.BOUND_GROUP | Where.UNBOUND_GROUP,
    details=f"用法：{USAGE}",
)
async def channel_command(ctx: CommandContext) -> None:
    words = ctx.words
    if not words:
        await show_binding(ctx)
        return
    if not ctx.identity.is_staff:
        await ctx.reply("只有机关工作人员或超级管理员可以设置本群用途。发送“本群”可查看当前设置。")
        return
    action, rest = words[0], words[1:]
    if action in {"设为", "设置", "绑定"}:
        await bind_group(ctx, rest)
    elif action in {"取消", "解绑", "解除"}:
        await unbind_group(ctx)
    else:
        await ctx.reply(f"不认识“{action}”。用法：{USAGE}")


async def show_binding(ctx: CommandContext) -> None:
    if ctx.binding is None:
        await ctx.reply(f"本群尚未绑定。机关工作人员可发送：{USAGE}")
        return
    await ctx.reply(f"本群是{describe(ctx.binding)}。{KIND_EFFECTS[ChannelKind(ctx.binding.kind)]}")


async def bind_group(ctx: CommandContext, words: list[str]) -> None:
    assert ctx.group_id is not None
    kind, sector = ctx.services.channels.parse_kind(words)
    group_name = ""
    try:
        info = await ctx.bot.get_group_info(group_id=int(ctx.group_id), no_cache=False)
        group_name = str(info.get("group_name") or "")
    except ActionFailed:
        pass
    before = ctx.binding
    binding = await ctx.services.channels.bind(
        ctx.group_id, kind, sector=sector, bound_by=ctx.user_id, group_name=group_name
    )
    changed = f"（原为{describe(before)}）" if before is not None else ""
    await ctx.reply(f"已将本群设为{describe(binding)}{changed}。{KIND_EFFECTS[kind]}")


async def unbind_group(ctx: CommandContext) -> None:
    assert ctx.group_id is not None
    binding = await ctx.services.channels.unbind(ctx.group_id)
    await ctx.reply(f"已取消本群的绑定（原为{describe(binding)}）。此后机器人在本群不再回应。")
