"""ModerationService (services.moderation): staff review what the public left on the board.

`评论` lists what waits; `评论 通过 12 13 L5` / `评论 隐藏 12` approve or hide comments (plain
numbers) and proposal tips (L numbers). An approved topic suggestion enters the topic pool as
a topic from the public (records.source_kind "public"). New submissions are announced to the
staff groups in batches (`announce`, run by a periodic job): one message lists all that came
since the last one, never one message per comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col, select

from bot.core.errors import InvalidInput
from bot.core.models import CommentTarget, PublicComment, PublicTip, Record, ReviewStatus
from bot.core.public import texts
from bot.core.records.kinds import RecordKind

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.delivery.notify import Notifier
    from bot.core.records.service import Actor, RecordService

#: How an approved public topic suggestion is marked (records.source_kind).
PUBLIC_SOURCE = "public"
#: Items named in one announcement; the rest are counted.
ANNOUNCE_LIMIT = 15
REVIEW_USAGE = "评论 通过 12 13 或 评论 隐藏 12（线索写 L5）；只发“评论”查看待审核的内容"


@dataclass(frozen=True)
class Pending:
    comments: list[PublicComment]
    tips: list[PublicTip]


def parse_refs(words: list[str]) -> tuple[list[int], list[int]]:
    """Comment numbers and tip numbers (L12) typed after 通过 / 隐藏."""
    comments: list[int] = []
    tips: list[int] = []
    for word in words:
        text = word.strip("，,、。 ").lstrip("第").rstrip("号")
        if not text:
            continue
        if text[:1] in "Ll" and text[1:].isdigit():
            tips.append(int(text[1:]))
        elif text.isdigit() and len(text) < 10:
            comments.append(int(text))
        else:
            raise InvalidInput(f"“{word[:12]}”不是评论或线索编号。用法：{REVIEW_USAGE}")
    if not comments and not tips:
        raise InvalidInput(f"请写上编号。用法：{REVIEW_USAGE}")
    return comments, tips


class ModerationService:
    def __init__(
        self, db: Database, clock: Clock, records: RecordService, notifier: Notifier
    ) -> None:
        self.db = db
        self.clock = clock
        self.records = records
        self.notifier = notifier

    async def pending(self) -> Pending:
        async with self.db.session() as session:
            comments = await session.exec(
                select(PublicComment)
                .where(PublicComment.status == ReviewStatus.PENDING)
                .order_by(col(PublicComment.id))
            )
            tips = await session.exec(
                select(PublicTip)
                .where(PublicTip.status == ReviewStatus.PENDING)
                .order_by(col(PublicTip.id))
            )
            return Pending(list(comments.all()), list(tips.all()))

    async def review(self, words: list[str], *, approve: bool, actor: Actor) -> list[str]:
        """One line per number: what was done, or why not."""
        comment_ids, tip_ids = parse_refs(words)
        lines = [await self._comment(cid, approve, actor) for cid in comment_ids]
        lines += [await self._tip(tid, approve, actor) for tid in tip_ids]
        return lines

    async def _comment(self, comment_id: int, approve: bool, actor: Actor) -> str:
        """Approve or hide one comment: a pending one, or one reviewed before the other way
        (a comment approved by mistake can be hidden later, and shown again)."""
        async with self.db.session() as session:
            comment = await session.get(PublicComment, comment_id)
        if comment is None:
            return f"第{comment_id}号评论：没有这条评论。"
        status = ReviewStatus.APPROVED if approve else ReviewStatus.HIDDEN
        if comment.status == status:
            return f"第{comment_id}号评论：已经是“{status.label}”，未改动。"
        record_id = comment.record_id
        created: Record | None = None
        if approve and comment.target == CommentTarget.SUGGESTION and record_id is None:
            created = await self._topic_from(comment, actor)
            record_id = created.id
        async with self.db.session() as session:
            result = await session.exec(
                update(PublicComment)
                .where(col(PublicComment.id) == comment_id)
                .where(col(PublicComment.status) == comment.status)
                .values(
                    status=status,
                    record_id=record_id,
                    reviewed_at=self.clock.now(),
                    reviewed_by=actor.name,
                )
            )  # type: ignore[call-overload]
            await session.commit()
        if result.rowcount == 0:
            return f"第{comment_id}号评论：已由他人审核，未改动。"
        if created is not None:
            label = f"{created.year}年第{created.number}号议题"
            return f"第{comment_id}号评论：已通过，作为网民建议的{label}《{created.title}》进入议题库。"
        if not approve and comment.target == CommentTarget.SUGGESTION and record_id is not None:
            return (
                f"第{comment_id}号评论：已隐藏。它此前已作为议题进入议题库，议题不受影响；"
                "不采纳请发送“议题 不列入 编号 理由”。"
            )
        return f"第{comment_id}号评论：{status.label}。"

    async def _topic_from(self, comment: PublicComment, actor: Actor) -> Record:
        record = Record(
            kind=RecordKind.TOPIC,
            year=0,
            number=0,
            proposer_user_id="",
            proposer_name=texts.public_name(comment.name),
            source_kind=PUBLIC_SOURCE,
            title=comment.title,
            body=comment.body,
        )
        return await self.records.create(record, actor=actor, detail="网民建议（网页征集）")

    async def _tip(self, tip_id: int, approve: bool, actor: Actor) -> str:
        status = ReviewStatus.APPROVED if approve else ReviewStatus.HIDDEN
        async with self.db.session() as session:
            tip = await session.get(PublicTip, tip_id)
            if tip is None:
                return f"线索L{tip_id}：没有这条线索。"
            if tip.status == status:
                return f"线索L{tip_id}：已经是“{status.label}”，未改动。"
            tip.status = status
            tip.reviewed_at = self.clock.now()
            tip.reviewed_by = actor.name
            session.add(tip)
            await session.commit()
        extra = "，已列入提案选题参考（委员发“线索”可见）" if approve else "，不再列入提案选题参考"
        return f"线索L{tip_id}：{status.label}{extra}。"

    async def announce(self) -> int:
        """Tell the staff groups, in ONE message, about submissions not announced yet; they are
        marked announced in the same transaction. Returns how many were announced."""
        async with self.db.session() as session:
            comments = list(
                (
                    await session.exec(
                        select(PublicComment)
                        .where(
                            PublicComment.status == ReviewStatus.PENDING,
                            col(PublicComment.notified_at).is_(None),
                        )
                        .order_by(col(PublicComment.id))
                    )
                ).all()
            )
            tips = list(
                (
                    await session.exec(
                        select(PublicTip)
                        .where(
                            PublicTip.status == ReviewStatus.PENDING,
                            col(PublicTip.notified_at).is_(None),
                        )
                        .order_by(col(PublicTip.id))
                    )
                ).all()
            )
            if not comments and not tips:
                return 0
            text = texts.announcement(comments, tips, ANNOUNCE_LIMIT)
            queued = await self.notifier.to_staff_groups(text, session=session, purpose="public")
            if not queued:
                return 0  # no staff group bound yet: announced once one is
            now = self.clock.now()
            for row in (*comments, *tips):
                row.notified_at = now
                session.add(row)
            await session.commit()
        return len(comments) + len(tips)
