"""Answering a stored post with its confirmation (number, proposer, category, similar records).

The post is stored before this runs: a failed send is not a failed registration. When the
direct answer does not go out (no answer from the client within the API timeout, or the client
refuses), the confirmation is queued again through the outbox, marked 补发 (a timed-out send may
have arrived after all), and its message id becomes the confirmation link when it is sent, so
that replying 附议 to it still finds the record.
"""

from __future__ import annotations

from nonebot.adapters.onebot.v11 import ActionFailed, NetworkError
from nonebot.log import logger

from bot.core.models import Record
from bot.nb.context import CommandContext
from bot.nb.message import reply_message, split_long_text


async def confirm(ctx: CommandContext, record: Record, text: str) -> None:
    """Send the confirmation quoting the post; never raises (the post is stored)."""
    parts = split_long_text(text)
    for index, part in enumerate(parts):
        message = reply_message(ctx.event, part) if index == 0 else part
        try:
            result = await ctx.bot.send(ctx.event, message)
        except (ActionFailed, NetworkError) as exc:
            logger.warning(f"confirmation of record {record.id} not sent ({exc!r}): queued again")
            await _queue(ctx, record, "\n".join(parts[index:]), linked=index == 0)
            return
        if index == 0:
            try:
                await ctx.services.intake.remember_confirmation(record, _message_id(result))
            except Exception:
                logger.exception(f"linking the confirmation of record {record.id} failed")


async def _queue(ctx: CommandContext, record: Record, text: str, *, linked: bool) -> None:
    try:
        await ctx.services.intake.queue_confirmation(
            record,
            text,
            user_id=ctx.user_id,
            group_id=ctx.group_id,
            bot_id=ctx.bot.self_id,
            linked=linked,
        )
    except Exception:
        logger.exception(f"queueing the confirmation of record {record.id} failed")


def _message_id(result: object) -> str | None:
    if isinstance(result, dict) and result.get("message_id") is not None:
        return str(result["message_id"])
    return None
