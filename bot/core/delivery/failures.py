"""Failures: what a failed call means, what becomes of its row, and telling staff, once.

The chat transport (bot/plugins/outbox/onebot.py for OneBot) raises :class:`DeliveryError` with a
platform-neutral :class:`FailureKind`: the core never sees a client's error codes.

A call that *timed out* (no answer in time, or NapCat's retcode 1200 "Timeout", issues
NapNeko/NapCatQQ#1410 and #1772) may also have been delivered: it is resent **at most once**
(``timeouts``); a second timeout makes the row ``uncertain`` and staff are told.

Network errors and other transient failures are retried with backoff (``next_attempt_at``, kept in
the database, so a restart keeps the schedule) up to :data:`MAX_ATTEMPTS` calls. Permanent failures
(the bot is not in the group, the person cannot be reached, a bad request) make the row ``failed``
at once; failed and uncertain rows are reported to the staff group once
(:class:`FailureReporter`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import col, select

from bot.core.delivery import chunks as outbox_chunks
from bot.core.delivery.claims import QueuedMessage, Settle
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import ChannelKind, OutboxMessage, OutboxStatus
from bot.core.people.channels import ChannelService, describe

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.fallback import DeliveryFallback
    from bot.core.people.members import MemberService

log = logging.getLogger(__name__)

#: Calls made for one row before a transient failure becomes permanent.
MAX_ATTEMPTS = 6
#: Wait before retry n (1-based) after a transient failure.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
#: Wait before the one resend after a timeout.
RESEND_AFTER_TIMEOUT = timedelta(seconds=5)


class FailureKind(StrEnum):
    """What a failed call means for its row, whatever the platform (the transport maps its
    client's answers to these)."""

    TRANSIENT = "transient"  # retry with backoff (network hiccup, client busy)
    RETRY_NOW = "retry_now"  # retry at once: the transport learnt something (e.g. not a friend)
    UNCERTAIN = "uncertain"  # timed out: may have been delivered; resent at most once
    PERMANENT = "permanent"  # retrying will not help: failed, reported to staff
    UNREACHABLE = "unreachable"  # a person no route reaches (not a friend, no shared group)
    REFUSED = "refused"  # the client refused the form (forward message): fall back to text
    DISCONNECTED = "disconnected"  # not written (no connection): the row waits untouched


class DeliveryError(Exception):
    """A call did not deliver; ``reason`` is Chinese (shown to staff), ``detail`` is raw."""

    def __init__(self, kind: FailureKind, reason: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {reason} {detail}".strip())
        self.kind = kind
        self.reason = reason
        self.detail = detail


def backoff(attempts: int) -> timedelta:
    """Wait before the next call after ``attempts`` calls failed transiently."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


# --------------------------------------------------------------------------- retry policy


def failed_settle(message: QueuedMessage, error: DeliveryError, now: datetime) -> Settle:
    """What becomes of a row whose call failed with ``error``."""
    note = f"{error.reason}（{error.detail}）" if error.detail else error.reason
    note = note[:500]
    kind = error.kind
    if kind is FailureKind.DISCONNECTED:  # not sent: as if never claimed
        return Settle(
            message.id, {"status": OutboxStatus.PENDING, "attempts": max(0, message.attempts - 1)}
        )
    if kind is FailureKind.REFUSED:
        return _as_text(message, note, now)
    if kind is FailureKind.RETRY_NOW and message.attempts < MAX_ATTEMPTS:
        return Settle(
            message.id,
            {"status": OutboxStatus.PENDING, "next_attempt_at": now, "last_error": note},
            continue_row=True,
        )
    if kind is FailureKind.UNCERTAIN:
        return _timed_out(message, note, now)
    retried = kind in (FailureKind.TRANSIENT, FailureKind.RETRY_NOW)
    if retried and message.attempts < MAX_ATTEMPTS:
        return Settle(
            message.id,
            {
                "status": OutboxStatus.PENDING,
                "next_attempt_at": now + backoff(message.attempts),
                "last_error": note,
            },
        )
    if retried:
        note = f"重试{message.attempts}次仍失败：{note}"[:500]
    log.warning("outbox: message %s failed: %s", message.id, note)
    return Settle(message.id, {"status": OutboxStatus.FAILED, "last_error": note}, reportable=True)


def rerouted_settle(
    message: QueuedMessage, settle: Settle, account: str, other: str, now: datetime
) -> Settle:
    """A group message failed for good through ``account``: handed, once, to ``other`` (another
    connected account in the group), with a fresh count of attempts. A second failure there is
    final (``rerouted_from`` is set); ``claimed_by`` names the account that sent it."""
    note = f"经账号{account}发送失败（{settle.values.get('last_error', '')}），改由账号{other}发送"
    log.info("outbox: group message %s failed through %s; handed to %s", message.id, account, other)
    return Settle(
        message.id,
        {
            "status": OutboxStatus.PENDING,
            "bot_id": other,
            "rerouted_from": account,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": note[:500],
        },
    )


def may_reroute(message: QueuedMessage, settle: Settle) -> bool:
    """A group message that would now fail for good and was not handed over before."""
    return (
        message.target_type == "group"
        and message.rerouted_from is None
        and settle.values.get("status") == OutboxStatus.FAILED
    )


def _as_text(message: QueuedMessage, note: str, now: datetime) -> Settle:
    """The client refused a forward message: the rest goes again, at once, as plain text."""
    parts = outbox_chunks.fallback_parts(message.parts, message.chunks_sent)
    log.info("outbox: message %s sent as plain text instead (%s)", message.id, note)
    return Settle(
        message.id,
        {
            "status": OutboxStatus.PENDING,
            "as_forward": False,
            "parts": parts,
            "chunks_sent": 0,
            "next_attempt_at": now,
            "last_error": f"客户端未接受合并转发，改为文字发送：{note}"[:500],
        },
        continue_row=True,
    )


def _timed_out(message: QueuedMessage, note: str, now: datetime) -> Settle:
    """Resent once (it may have been delivered); a second timeout gives it up as uncertain."""
    timeouts = message.timeouts + 1
    if timeouts >= 2:
        log.warning("outbox: message %s timed out twice; not sent again", message.id)
        return Settle(
            message.id,
            {
                "status": OutboxStatus.UNCERTAIN,
                "timeouts": timeouts,
                "last_error": f"两次发送都超时，可能未送达：{note}"[:500],
            },
            reportable=True,
        )
    return Settle(
        message.id,
        {
            "status": OutboxStatus.PENDING,
            "timeouts": timeouts,
            "next_attempt_at": now + RESEND_AFTER_TIMEOUT,
            "last_error": f"发送超时（可能已送达），将重发一次：{note}"[:500],
        },
    )


# --------------------------------------------------------------------------- reports to staff

#: Purpose of the report itself: a report that fails is never reported (no loops).
REPORT_PURPOSE = "outbox_report"
#: Rows listed in one report; the rest are counted.
MAX_LISTED = 15

PURPOSE_LABELS = {
    "notice": "通知",
    "reminder": "提醒",
    "digest": "推送",
    "relay": "转发",
    "evaluation": "评价提醒",
    "cosign": "联名邀请",
    "consultation": "办理协商提醒",
    "lookback": "回头看",
    "discussion": "讨论组消息",
    "unreachable_notice": "加好友提醒",
}


def _excerpt(message: OutboxMessage, length: int = 30) -> str:
    text = "".join(p.get("text", "") for p in message.parts if p.get("type") == "text")
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


async def _claim(session: Any, rows: list[OutboxMessage], now: datetime) -> list[OutboxMessage]:
    """The rows this report may list: marked reported by one conditional UPDATE, so that two
    reports at once (a sender's, the sweep's; two instances) never list a row twice."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    conn = await session.connection()
    result = await conn.execute(
        update(table)
        .where(table.c.id.in_([r.id for r in rows]), table.c.reported_at.is_(None))
        .values(reported_at=now)
        .returning(table.c.id)
    )
    claimed = set(result.scalars())
    return [r for r in rows if r.id in claimed]


@dataclass
class FailureReporter:
    db: Database
    clock: Clock
    channels: ChannelService
    outbox: OutboxService
    members: MemberService
    fallback: DeliveryFallback | None = None

    async def report(self) -> int:
        """Queue one message to each staff group listing the failed / uncertain messages not
        reported yet, and mark them reported. Returns how many were reported (0 when there is
        nothing to report, or no staff group to report to: they wait for one to be bound).
        Undelivered one-to-one messages first get their group @ (bot/core/delivery/fallback.py)."""
        if self.fallback is not None:
            try:
                await self.fallback.run()
            except Exception:
                log.exception("outbox: the delivery fallback failed")
        async with self.db.session() as session:
            rows = list(
                (
                    await session.exec(
                        select(OutboxMessage)
                        .where(
                            col(OutboxMessage.status).in_(
                                [OutboxStatus.FAILED, OutboxStatus.UNCERTAIN]
                            ),
                            col(OutboxMessage.reported_at).is_(None),
                        )
                        .order_by(col(OutboxMessage.id))
                        .limit(500)
                    )
                ).all()
            )
            if not rows:
                return 0
            now = self.clock.now()
            own = [r for r in rows if r.purpose == REPORT_PURPOSE]
            rows = [r for r in rows if r.purpose != REPORT_PURPOSE]
            for row in own:  # a failed report is only logged
                log.warning("outbox: a failure report could not be delivered: %s", row.last_error)
                row.reported_at = now
                session.add(row)
            staff = await self.channels.by_kind(ChannelKind.STAFF)
            if rows and not staff:
                log.warning(
                    "outbox: %d undelivered messages, but no staff group is bound to report to",
                    len(rows),
                )
                await session.commit()
                return 0
            if rows:
                rows = await _claim(session, rows, now)
            if rows:
                text = await self._format(rows)
                for binding in staff:
                    await self.outbox.enqueue(
                        Target.group(binding.group_id, binding.platform),
                        text,
                        purpose=REPORT_PURPOSE,
                        session=session,
                    )
                for row in rows:
                    row.reported_at = now
                    session.add(row)
            await session.commit()
        return len(rows)

    async def _format(self, rows: list[OutboxMessage]) -> str:
        people = await self.members.get_many(
            [r.target_id for r in rows if r.target_type == "private"]
        )
        lines = [f"有 {len(rows)} 条消息未能送达："]
        unreachable: list[str] = []
        for index, row in enumerate(rows[:MAX_LISTED], start=1):
            purpose = PURPOSE_LABELS.get(row.purpose, "消息")
            if row.target_type == "private":
                member = people.get(row.target_id)
                who = f"{member.name}（QQ {row.target_id}）" if member else f"QQ {row.target_id}"
                where = f"私聊{who}"
                if who not in unreachable:
                    unreachable.append(who)
            else:
                binding = await self.channels.get(row.target_id, row.platform)
                name = binding.group_name if binding and binding.group_name else ""
                kind = f"，{describe(binding)}" if binding else ""
                where = f"群“{name or row.target_id}”（{row.target_id}{kind}）"
            reason = row.last_error.split("（", 1)[0] or "发送失败"
            state = "可能未送达" if row.status == OutboxStatus.UNCERTAIN else "未送达"
            lines.append(f"{index}. {where}的{purpose}{state}：{reason}。内容：“{_excerpt(row)}”")
        if len(rows) > MAX_LISTED:
            lines.append(f"……另有 {len(rows) - MAX_LISTED} 条。")
        if unreachable:
            lines.append(
                "私聊未送达的，请联系本人加机器人为好友（或确认其在已绑定的群里），必要时当面转告："
                + "、".join(unreachable[:MAX_LISTED])
                + "。"
            )
        if any(r.target_type == "group" for r in rows):
            lines.append("群消息未送达的，请确认机器人仍在该群、未被禁言。")
        return "\n".join(lines)
