"""认领: the first superuser of a fresh install, with the one-time code from the start-up log."""

from __future__ import annotations

from nonebot.log import logger

from bot.core.people.identity import Role
from bot.core.services import Services
from bot.nb.context import CommandContext
from bot.nb.lifecycle import on_services_ready
from bot.nb.meta import plugin_meta
from bot.nb.registry import Where, registry

__plugin_meta__ = plugin_meta(
    "认领",
    "新装的机器人没有超级管理员时，用启动日志里的认领码成为超级管理员",
    "认领 123456（私聊机器人）",
)

TOPIC = "开始使用"
NEXT_STEPS = (
    "下一步：在委员群里发送“本群 设为 全体群”，在机关工作人员群里发送“本群 设为 机关群”；"
    "用“管理员 添加 @某人”任命机关工作人员。发送“帮助”查看全部命令。"
)

registry.describe_topic(
    TOPIC,
    "新装的机器人还没有超级管理员时，启动日志里有一行“认领 ……”和 6 位认领码。用自己的 QQ "
    "私聊机器人发送这一行，就成为超级管理员（记在数据库里；.env 中的 SUPERUSERS 仍然有效）。"
    "有了超级管理员之后不再有认领码。",
)


@on_services_ready
async def _offer_claim(services: Services) -> None:
    code = services.claims.open()
    if code is not None:
        logger.warning(
            f"还没有超级管理员。请用您自己的 QQ 私聊机器人发送：认领 {code} "
            "（第一个发送的人成为超级管理员；认领码只在本次运行有效）。"
            "也可以在 .env 中设置 SUPERUSERS。"
        )


@registry.command(
    "认领",
    usage="认领 123456",
    summary="新装的机器人：用启动日志里的认领码成为超级管理员（私聊）",
    topic=TOPIC,
    role=Role.ANYONE,
    where=Where.PRIVATE,
    details="认领码在机器人启动日志里；第一个发送正确认领码的人成为超级管理员。"
    "已有超级管理员时不可用。",
    listed=lambda ctx: ctx.services.claims.is_open,
)
async def claim_command(ctx: CommandContext) -> None:
    await ctx.services.claims.claim(ctx.user_id, ctx.args, ctx.identity.platform)
    logger.info(f"claim: {ctx.user_id} claimed the bot and is now a superuser")
    await ctx.reply(f"认领成功，您已成为超级管理员。{NEXT_STEPS}")
