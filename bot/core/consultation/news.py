"""NewsService (services.news): work news (政协动态) that staff post with ``#动态 标题⏎正文``
(images kept as references), shown in the next daily digest and, for the board, by
:meth:`NewsService.published`; ``撤回动态 5`` withdraws an item from both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from bot.core.errors import InvalidInput, NotFound
from bot.core.models import NewsItem, NewsStatus

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.identity import Identity

MAX_TITLE = 100
MAX_BODY = 5000
MAX_IMAGES = 9
POST_USAGE = "#动态 标题⏎正文（可附图片）"


@dataclass(frozen=True)
class NewsPost:
    """A ``#动态`` post as typed: the text after the tag and the images that came with it."""

    text: str
    images: tuple[dict[str, Any], ...] = ()
    source: str = "private"


def split_post(text: str) -> tuple[str, str]:
    """The first line is the title, the rest the body; InvalidInput when unusable."""
    lines = text.strip().splitlines()
    title = lines[0].strip() if lines else ""
    body = "\n".join(lines[1:]).strip()
    if not title:
        raise InvalidInput(f"请写上动态的标题和正文。用法：{POST_USAGE}")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"标题超过{MAX_TITLE}字。第一行写标题，正文从第二行开始。")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"正文超过{MAX_BODY}字（现在{len(body)}字），请精简后再发。")
    return title, body


class NewsService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def post(self, post: NewsPost, by: Identity) -> NewsItem:
        title, body = split_post(post.text)
        if len(post.images) > MAX_IMAGES:
            raise InvalidInput(f"一条动态最多{MAX_IMAGES}张图片。")
        item = NewsItem(
            title=title,
            body=body,
            images=list(post.images),
            status=NewsStatus.PUBLISHED,
            author_user_id=by.user_id,
            author_name=by.name,
            source=post.source,
            created_at=self.clock.now(),
        )
        async with self.db.session() as session:
            session.add(item)
            await session.commit()
            await session.refresh(item)
        return item

    async def withdraw(self, number: str, by: Identity) -> NewsItem:
        """撤回动态 5: the item is shown nowhere from now on."""
        text = number.strip().lstrip("第").rstrip("号。")
        if not text.isdigit():
            shown = f"“{number.strip()[:20]}”不是动态编号。" if number.strip() else ""
            raise InvalidInput(f"{shown}用法：撤回动态 5（编号见发布时的回复）")
        async with self.db.session() as session:
            item = await session.get(NewsItem, int(text))
            if item is None:
                raise NotFound(f"没有第{int(text)}号动态。")
            if item.status == NewsStatus.WITHDRAWN:
                raise InvalidInput(f"第{item.id}号动态已经撤回了。")
            item.status = NewsStatus.WITHDRAWN
            item.withdrawn_at = self.clock.now()
            item.withdrawn_by = by.name
            session.add(item)
            await session.commit()
            await session.refresh(item)
        return item

    async def published(self, *, limit: int = 20, before_id: int | None = None) -> list[NewsItem]:
        """The newest published items (the board's news page), newest first."""
        query = select(NewsItem).where(NewsItem.status == NewsStatus.PUBLISHED)
        if before_id is not None:
            query = query.where(col(NewsItem.id) < before_id)
        async with self.db.session() as session:
            rows = await session.exec(query.order_by(col(NewsItem.id).desc()).limit(limit))
            return list(rows.all())

    async def published_item(self, item_id: int) -> NewsItem | None:
        """One published item (the board's news page); None when withdrawn or unknown."""
        async with self.db.session() as session:
            item = await session.get(NewsItem, item_id)
        return item if item is not None and item.status == NewsStatus.PUBLISHED else None
