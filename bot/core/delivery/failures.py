"""Telling staff, once, about messages that could not be delivered."""

from __future__ import annotations

import logging

from sqlmodel import col, select

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.delivery.outbox import OutboxService, Target
from bot.core.models import ChannelKind, OutboxMessage, OutboxStatus
from bot.core.people.channels import ChannelService, describe
from bot.core.people.members import MemberService

log = logging.getLogger(__name__)

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
}


def _excerpt(message: OutboxMessage, length: int = 30) -> str:
    text = "".join(p.get("text", "") for p in message.parts if p.get("type") == "text")
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


class FailureReporter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        channels: ChannelService,
        outbox: OutboxService,
        members: MemberService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.channels = channels
        self.outbox = outbox
        self.members = members

    async def report(self) -> int:
        """Queue one message to each staff group listing the failed / uncertain messages not
        reported yet, and mark them reported. Returns how many were reported (0 when there is
        nothing to report, or no staff group to report to: they wait for one to be bound)."""
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
