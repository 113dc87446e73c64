"""回头看 17 已解决|仍在办理|未落实 内容 — what became of a B answer (the answering unit's
contact, or staff; the proposer is told); 回头看 列表 [2026] — the year's look-backs (staff)."""

from __future__ import annotations

from bot.core.errors import PermissionDenied
from bot.core.workflow.practice_parsing import LOOKBACK_USAGE, parse_lookback
from bot.nb.context import CommandContext
from bot.nb.sections import PRACTICE_TOPIC, UNIT_HANDLING
from bot.nb.steps import one_record, yearly_listing

LIST_WORDS = ("列表", "清单", "查看")


@UNIT_HANDLING.command(
    "回头看",
    usage="回头看 17 已解决|仍在办理|未落实 内容｜回头看 列表 [2026]",
    summary="报告上一年B类答复的落实情况（承办单位联系人、机关工作人员）；机关查看回头看清单",
    topic=PRACTICE_TOPIC,
    details=(
        f"用法：{LOOKBACK_USAGE}。每年第一个工作日（可设置）机器人会一对一请承办单位回头看"
        "上一年答复为B类（正在解决或列入计划）的提案，落实情况会告知提案人，机关可查看清单。"
        "C类答复条件变化的，由机关发送：重新办理 17 理由"
    ),
)
async def lookback_command(ctx: CommandContext) -> None:
    words = ctx.words
    if not words or words[0] in LIST_WORDS:
        if not ctx.identity.is_staff:
            raise PermissionDenied(
                f"回头看清单仅限机关工作人员查看。报告落实情况请发送：{LOOKBACK_USAGE.split('；')[0]}"
            )
        await yearly_listing(ctx, ctx.services.proposals.lookback_list, usage=LOOKBACK_USAGE)
        return
    await one_record(
        ctx,
        lambda ref, by, said: ctx.services.proposals.look_back(ref, by, *said),
        usage=LOOKBACK_USAGE,
        parse=parse_lookback,
    )
