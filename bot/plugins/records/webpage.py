"""网页 [17]: the progress board's address, or one proposal's page on it (BOARD_URL; the board
itself is bot/plugins/board)."""

from __future__ import annotations

from bot.core.board.links import board_text, record_text
from bot.core.people.identity import Role
from bot.core.records.kinds import RecordKind
from bot.core.records.service import record_label, ref_text
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry


@registry.command(
    "网页",
    aliases=("进度公开", "办理公开"),
    usage="网页 [17]",
    summary="办理进度公开网页的地址；写编号则给出这件提案的网页",
    topic="提案",
    role=Role.ANYONE,
    where=Where.ANYWHERE,
    details=(
        "网页公开每年的立案率、办复率、办结率、满意率和 A/B/C 类答复，以及每件已立案提案的办理进度"
        "（立案 → 交办 → 答复 → 评价 → 办结）和公开的办理记录。委员私下提交的、已撤回的、"
        "尚未立案的提案不在网页上；社情民意信息只公布数量。"
    ),
)
async def board_command(ctx: CommandContext) -> None:
    services = ctx.services
    config = services.config
    staff = ctx.identity.is_staff
    if not ctx.args.strip():
        await ctx.reply(board_text(config.board_url, public=config.board_public, staff=staff))
        return
    record = await services.queries.resolve(RecordKind.PROPOSAL, ctx.args)
    year = services.records.current_year()
    await ctx.reply(
        record_text(
            config.board_url,
            record,
            record_label(record, current_year=year),
            ref_text(record, year),
            public=config.board_public,
            staff=staff,
        )
    )
