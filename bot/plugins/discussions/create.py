"""#讨论 主题 @甲 @乙 [48小时]: open a discussion (privately: names or QQ numbers)."""

from __future__ import annotations

from bot.core.discussions import texts
from bot.core.discussions.rooms import parse_draft
from bot.core.people.identity import Role
from bot.nb.context import CommandContext
from bot.nb.registry import Where
from bot.plugins.discussions.common import DISCUSSIONS


@DISCUSSIONS.command(
    "#讨论",
    aliases=("＃讨论", "【讨论】", "[讨论]"),
    usage="#讨论 主题 @委员",
    summary="临时讨论组",
    role=Role.MEMBER,
    where=Where.MEMBER_GROUP | Where.STAFF_GROUP | Where.PRIVATE,
    details=texts.CREATE_USAGE
    + "机关工作人员可发起关于某件提案的讨论：#讨论 关于第17号提案 @委员，讨论会与该提案关联。",
)
async def create_command(ctx: CommandContext) -> None:
    draft = parse_draft(ctx.words, ctx.mentions, private=ctx.is_private)
    room = await ctx.services.discussions.rooms.create(
        ctx.identity, draft, origin_group_id=ctx.group_id
    )
    ctx.services.outbox.wake()
    await ctx.reply(texts.created(room, in_group=not ctx.is_private))
