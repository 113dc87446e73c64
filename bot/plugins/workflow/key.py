"""重点 17 [取消] — mark (or unmark) key proposals, supervised by the office."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.core.people.identity import Role
from bot.core.workflow.bulk import run_steps
from bot.core.workflow.common import Requester
from bot.core.workflow.parsing import leading_numbers
from bot.nb.context import CommandContext
from bot.nb.registry import Where, registry

USAGE = "重点 17（设为重点提案）；重点 17 取消；多件：重点 17 18"
OFF_WORDS = {"取消", "撤销", "取消重点", "去掉"}


@registry.command(
    "重点",
    aliases=("督办",),
    usage="重点 17 [取消]",
    summary="列为重点提案（督办），或取消",
    topic="提案办理",
    role=Role.STAFF,
    where=Where.STAFF_PLACES,
)
async def key_command(ctx: CommandContext) -> None:
    numbers = leading_numbers(
        ctx.args, current_year=ctx.services.records.current_year(), usage=USAGE
    )
    rest = numbers.rest_text
    if rest and rest not in OFF_WORDS:
        raise InvalidInput(f"不认识“{rest[:20]}”。用法：{USAGE}")
    on = not rest
    by = Requester(ctx.identity, ctx.source)
    workflow = ctx.services.workflow
    await ctx.reply(
        await run_steps(
            numbers.refs,
            lambda ref: workflow.mark_key(ref, by, on=on),
            title="重点提案" if on else "取消重点",
        )
    )
