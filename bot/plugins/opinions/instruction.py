"""批示 5 内容 — a leader's written instruction on an opinion lead."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import single_number
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

USAGE = "批示 5 县委书记批示：请县农业农村局研究落实"


@registry.command(
    "批示",
    usage="批示 5 内容",
    summary="记录领导对社情民意信息的批示",
    topic="社情民意办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def instruction_command(ctx: CommandContext) -> None:
    ref, content = single_number(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    outcome = await ctx.services.opinion_workflow.instruction(ref, by, content)
    await ctx.reply(outcome.text)
