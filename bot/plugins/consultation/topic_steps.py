"""What staff record on a plan item, each `议题 <步骤> 编号 …` (or without the space):
录入 (a topic entered by staff), 活动, 成果 (with the message's files and images), 批示, 落实,
办结. The work is done by `services.consultation` (bot/core/consultation/service.py)."""

from __future__ import annotations

from typing import Any

from bot.core.consultation.parsing import (
    ACTIVITY_USAGE,
    RESULT_USAGE,
    parse_activity,
    parse_content,
    parse_result,
)
from bot.core.intake.segments import FileSeg, ImageSeg
from bot.core.records.service import record_label
from bot.core.workflow.common import Outcome, Requester
from bot.nb.context import CommandContext
from bot.nb.registry import Handler
from bot.nb.sections import TOPIC_HANDLING
from bot.nb.segments import to_segments
from bot.nb.steps import one_record

ENTER_USAGE = "议题 录入 议题名称⏎说明（可不写）"
INSTRUCTION_USAGE = "议题 批示 3 县委书记批示：请县农业农村局抓好落实"
FOLLOW_UP_USAGE = "议题 落实 3 落实情况或反馈问效"
CONCLUDE_USAGE = "议题 办结 3 [办结说明]"
DECLINE_USAGE = "议题 不列入 3 [理由]"


def _in_topic_help(ctx: CommandContext) -> bool:
    """The steps are listed by `帮助 议题办理`; the overview names them once (the 议题 line)."""
    return False


@TOPIC_HANDLING.command(
    "议题录入",
    usage=ENTER_USAGE,
    summary="机关录入协商议题（来自会议、来信等），委员可附议支持",
    listed=_in_topic_help,
)
async def enter_command(ctx: CommandContext) -> None:
    services = ctx.services
    record = await services.consultation.enter_topic(Requester(ctx.identity, ctx.source), ctx.args)
    label = record_label(record, current_year=services.records.current_year())
    await ctx.reply(
        f"已录入{label}《{record.title}》。委员可发送“附议 议题 {record.number}”表示支持；"
        f"列入计划请发送：列入计划 {record.number} 专题协商 牵头 领导 责任 部门 时限 日期"
    )


@TOPIC_HANDLING.command(
    "议题活动",
    usage="议题 活动 3 调研 2027-03-15 参加 张三、李四",
    summary="记录计划项的调研、座谈、视察等活动（日期、参加人员、情况）",
    listed=_in_topic_help,
)
async def activity_command(ctx: CommandContext) -> None:
    today = ctx.services.consultation.today()
    await one_record(
        ctx,
        ctx.services.consultation.activity,
        usage=ACTIVITY_USAGE,
        parse=lambda text: parse_activity(text, today),
    )


@TOPIC_HANDLING.command(
    "议题成果",
    usage="议题 成果 3 建议案 内容",
    summary="记录计划项的成果（建议案、调研报告等），可随消息附文件或图片",
    listed=_in_topic_help,
)
async def result_command(ctx: CommandContext) -> None:
    files = attachments(ctx)

    async def step(ref: str, by: Requester, parsed: tuple[str, str]) -> Outcome:
        return await ctx.services.consultation.result(ref, by, parsed[0], parsed[1], files)

    await one_record(ctx, step, usage=RESULT_USAGE, parse=parse_result)


#: 议题 批示 / 落实 / 办结: (command, usage, summary, the service's step, text required).
_TEXT_STEPS = (
    ("议题批示", INSTRUCTION_USAGE, "记录领导对计划项成果的批示", "instruction", True),
    ("议题落实", FOLLOW_UP_USAGE, "记录计划项的跟踪落实、反馈问效情况", "follow_up", True),
    ("议题办结", CONCLUDE_USAGE, "计划项办结，提出人和附议委员收到私信", "conclude", False),
    ("议题不列入", DECLINE_USAGE, "议题暂不列入年度协商计划（私信告知提出人）", "decline", False),
)


def _text_step(usage: str, method: str, required: bool) -> Handler:
    async def handler(ctx: CommandContext) -> None:
        await one_record(
            ctx,
            getattr(ctx.services.consultation, method),
            usage=usage,
            parse=lambda text: parse_content(text, usage, required=required),
        )

    return handler


for _name, _usage, _summary, _method, _required in _TEXT_STEPS:
    TOPIC_HANDLING.command(_name, usage=_usage, summary=_summary, listed=_in_topic_help)(
        _text_step(_usage, _method, _required)
    )


def attachments(ctx: CommandContext) -> list[dict[str, Any]]:
    """The files and images that came with the command (references: name and address)."""
    found: list[dict[str, Any]] = []
    for seg in to_segments(ctx.event.get_message()):
        if isinstance(seg, ImageSeg):
            found.append({"kind": "image", "name": seg.file, "url": seg.url})
        elif isinstance(seg, FileSeg):
            found.append({"kind": "file", "name": seg.name, "url": seg.url})
    return found
