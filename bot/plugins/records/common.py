"""Helpers shared by the record commands."""

from __future__ import annotations

from bot.core.models import ChannelKind, Record
from bot.core.records.kinds import RecordKind
from bot.core.records.refs import parse_reference, split_kind
from bot.nb.context import CommandContext


def in_members_group(ctx: CommandContext) -> bool:
    """A whole-body or sector group: privately submitted records are not shown here."""
    return ctx.binding is not None and ctx.binding.kind in (ChannelKind.WHOLE, ChannelKind.SECTOR)


def hides_private(ctx: CommandContext) -> bool:
    """A group other than a staff group (机关群): privately submitted records are not shown
    there. A unit group (承办单位群) holds every department's contact: a unit's contact reads
    its private records one-to-one."""
    return ctx.group_id is not None and (
        ctx.binding is None or ctx.binding.kind != ChannelKind.STAFF
    )


async def target_record(ctx: CommandContext, usage: str) -> Record | None:
    """The record `附议 17` / `撤回 民意 5` names, or the one the quoted message stands for.

    An explicit number wins over the quoted message. None (after answering) when neither is given.
    """
    kind, rest = split_kind(ctx.args)
    services = ctx.services
    explicit = rest and parse_reference(rest, current_year=services.records.current_year())
    if not explicit and ctx.event.reply is not None:
        record = await services.queries.by_reply(str(ctx.event.reply.message_id))
        if record is not None:
            return record
        if not rest:
            await ctx.reply(
                f"没有找到被回复的消息对应的提案、社情民意或议题。请发送“{usage}”，"
                "或回复机器人的登记消息。"
            )
            return None
    if not rest:
        await ctx.reply(f"请写编号，例如：{usage}（社情民意写“民意 5”，议题写“议题 3”）")
        return None
    return await services.queries.resolve(kind, rest)


def kind_of(record: Record) -> RecordKind:
    return RecordKind(record.kind)
