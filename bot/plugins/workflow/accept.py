"""立案 17 [类别] — also several at once: 立案 17 18 21 / 立案 17-21."""

from __future__ import annotations

from bot.core.people.identity import Role
from bot.core.workflow.bulk import run_steps
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import leading_numbers
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

USAGE = "立案 17 [类别]；多件：立案 17 18 21 或 立案 17-21"


@registry.command(
    "立案",
    usage="立案 17 [类别]",
    summary="提案立案（可改类别；多件：立案 17 18 21、立案 17-21）",
    topic="提案办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
    details="不写类别则保留系统猜测的类别。立案后会一对一通知提案人。",
)
async def accept_command(ctx: CommandContext) -> None:
    numbers = leading_numbers(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    by = Requester(ctx.identity, ctx.source)
    category = numbers.rest_text or None
    workflow = ctx.services.workflow
    await ctx.reply(
        await run_steps(numbers.refs, lambda ref: workflow.accept(ref, by, category), title="立案")
    )
