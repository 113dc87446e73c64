"""The handling steps of an opinion lead (社情民意), each a number and perhaps a text:
采用 / 未采用 / 报送 / 批示 / 落实 (staff). The work is done by `services.opinions`
(bot/core/workflow/opinions.py)."""

from __future__ import annotations

from bot.nb.context import CommandContext
from bot.nb.sections import OPINION_HANDLING
from bot.nb.steps import each_record, one_record

# 采用 5 — also several at once: 采用 5 6 7 / 采用 5-7.
ADOPT_USAGE = "采用 5；多件：采用 5 6 7 或 采用 5-7"


@OPINION_HANDLING.command(
    "采用",
    usage="采用 5",
    summary="采用社情民意信息（多件：采用 5 6 7）",
)
async def adopt_command(ctx: CommandContext) -> None:
    await each_record(
        ctx,
        lambda ref, by, _: ctx.services.opinions.adopt(ref, by),
        usage=ADOPT_USAGE,
        title="采用",
    )


# 未采用 5 [理由].
NOT_ADOPT_USAGE = "未采用 5 [理由]"


@OPINION_HANDLING.command(
    "未采用",
    aliases=("不采用",),
    usage=NOT_ADOPT_USAGE,
    summary="社情民意信息未予采用（可写理由，提交人会收到）",
)
async def not_adopt_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.not_adopt, usage=NOT_ADOPT_USAGE)


# 报送 5 单位 — to a higher CPPCC, the party committee or government, or a department.
SUBMIT_UP_USAGE = "报送 5 市政协（或 县委办、县政府办、转交的部门）"


@OPINION_HANDLING.command(
    "报送",
    usage="报送 5 单位",
    summary="记录社情民意信息报送（上级政协、党委政府或转交部门）",
)
async def submit_up_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.submit_up, usage=SUBMIT_UP_USAGE)


# 批示 5 内容 — a leader's written instruction on an opinion lead.
INSTRUCTION_USAGE = "批示 5 县委书记批示：请县农业农村局研究落实"


@OPINION_HANDLING.command(
    "批示",
    usage="批示 5 内容",
    summary="记录领导对社情民意信息的批示",
)
async def instruction_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.instruction, usage=INSTRUCTION_USAGE)


# 落实 5 [内容] — what was done about an opinion lead.
IMPLEMENT_USAGE = "落实 5 [落实情况]"


@OPINION_HANDLING.command(
    "落实",
    usage=IMPLEMENT_USAGE,
    summary="记录社情民意信息反映的问题已落实",
)
async def implement_command(ctx: CommandContext) -> None:
    await one_record(ctx, ctx.services.opinions.implement, usage=IMPLEMENT_USAGE)
