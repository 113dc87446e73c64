"""Reading what the public left, approved only: comments on a topic or plan item (the board,
`议题 3`), the proposal tips (提案选题参考: `线索 [类别]`, the weekly digest, the board)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col, select

from bot.core.errors import InvalidInput
from bot.core.models import PublicComment, PublicTip, ReviewStatus

if TYPE_CHECKING:
    from datetime import datetime

    from bot.core.db import Database

TIP_LIMIT = 30


async def approved_comments(
    db: Database, *, record_id: int | None = None, plan_item_id: int | None = None
) -> list[PublicComment]:
    """Approved comments on a topic (`record_id`, also those left on its plan item) or on one
    plan item, oldest first; suggestions (which become topics) are not comments on anything."""
    query = select(PublicComment).where(PublicComment.status == ReviewStatus.APPROVED)
    if plan_item_id is not None:
        query = query.where(PublicComment.plan_item_id == plan_item_id)
    elif record_id is not None:
        query = query.where(
            PublicComment.record_id == record_id, PublicComment.target != "suggestion"
        )
    else:
        return []
    async with db.session() as session:
        return list((await session.exec(query.order_by(col(PublicComment.id)))).all())


async def approved_tips(
    db: Database,
    *,
    category: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = TIP_LIMIT,
) -> list[PublicTip]:
    """Approved tips, newest first; `since` / `until`: approved in that window."""
    query = select(PublicTip).where(PublicTip.status == ReviewStatus.APPROVED)
    if category:
        query = query.where(PublicTip.category == category)
    if since is not None:
        query = query.where(col(PublicTip.reviewed_at) >= since)
    if until is not None:
        query = query.where(col(PublicTip.reviewed_at) < until)
    async with db.session() as session:
        rows = await session.exec(query.order_by(col(PublicTip.id).desc()).limit(limit))
        return list(rows.all())


def tip_number(text: str) -> int | None:
    """`L12` / `l12` -> 12."""
    text = text.strip()
    if len(text) > 1 and text[0] in "Ll" and text[1:].isdigit() and len(text) < 10:
        return int(text[1:])
    return None


async def take_up(db: Database, number: int, record_id: int) -> None:
    """Mark tip L`number` as taken up by the proposal `record_id` (the first one counts)."""
    async with db.session() as session:
        await session.exec(
            update(PublicTip)
            .where(col(PublicTip.id) == number, col(PublicTip.taken_record_id).is_(None))
            .values(taken_record_id=record_id)
        )  # type: ignore[call-overload]
        await session.commit()


def require_category(category: str, categories: list[str]) -> str:
    if category and category not in categories:
        raise InvalidInput(f"没有“{category[:10]}”这个类别。可选：{'、'.join(categories)}。")
    return category


async def take_up_tip(db: Database, number: int, record_id: int) -> str:
    """`#提案 … 线索 L12`: the tip marked taken up by the new proposal; the line for the reply
    (the proposal is registered either way)."""
    async with db.session() as session:
        tip = await session.get(PublicTip, number)
    if tip is None or tip.status != ReviewStatus.APPROVED:
        return f"没有找到已审核的群众提案线索L{number}，未关联（发送“线索”查看提案选题参考）。"
    await take_up(db, number, record_id)
    return f"已关联群众提案线索L{number}《{tip.matter}》。"
