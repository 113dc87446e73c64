"""How often a member may post: a per-minute allowance, one post at a time per member, and the
24-hour window in which the same text is found again instead of stored twice."""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from collections import deque
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from bot.core.errors import InvalidInput
from bot.core.models import Record, RecordStatus
from bot.core.text.segmenter import nfkc

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.people.identity import Identity
    from bot.core.records.kinds import RecordKind

DUPLICATE_WINDOW = timedelta(hours=24)
RATE_WINDOW = timedelta(minutes=1)

# Built once (a post's hot path: constructing the statement costs more than running it).
_RECENT_DUPLICATE = (
    select(Record)
    .where(
        Record.platform == bindparam("platform"),
        Record.proposer_user_id == bindparam("user_id"),
        Record.kind == bindparam("kind"),
        Record.content_hash == bindparam("hash"),
        Record.created_at >= bindparam("since"),
        Record.status != RecordStatus.WITHDRAWN,
    )
    .order_by(col(Record.id).desc())
)


class RateLimited(InvalidInput):
    """Too many posts a minute. `quiet` after the first refusal in a window: do not answer."""

    def __init__(self, message: str, *, quiet: bool) -> None:
        super().__init__(message)
        self.quiet = quiet


def content_hash(kind: RecordKind | str, text: str) -> str:
    """Fingerprint of a post's text for the 24-hour duplicate check (spacing and width ignored)."""
    normal = "".join(nfkc(text).split())
    return hashlib.sha256(f"{kind}\n{normal}".encode()).hexdigest()


def recent_duplicate(session: Session, record: Record, now: datetime) -> Record | None:
    """The same member's record with the same text from the last 24 hours, if any (inside the
    post's synchronous transaction)."""
    return session.exec(
        _RECENT_DUPLICATE,
        params={
            "platform": record.platform,
            "user_id": record.proposer_user_id,
            "kind": record.kind,
            "hash": record.content_hash,
            "since": now - DUPLICATE_WINDOW,
        },
    ).first()


class Throttle:
    """The per-minute allowance of posts, and the per-member lock that makes a quick double
    post wait for the first, so that it is found as a duplicate."""

    def __init__(self, clock: Clock, rate_per_minute: int = 6) -> None:
        self.clock = clock
        self.rate_per_minute = rate_per_minute
        self._attempts: dict[tuple[str, str], deque[datetime]] = {}
        self._refused: set[tuple[str, str]] = set()
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def reset(self) -> None:
        """Forget the counters (tests start each case afresh)."""
        self._attempts.clear()
        self._refused.clear()

    def admit(self, identity: Identity) -> None:
        """Count a post against the member's per-minute allowance; RateLimited past it."""
        key = (identity.platform, identity.user_id)
        now = self.clock.now()
        window = self._attempts.setdefault(key, deque())
        while window and now - window[0] >= RATE_WINDOW:
            window.popleft()
        if len(window) >= self.rate_per_minute:
            quiet = key in self._refused
            self._refused.add(key)
            raise RateLimited(
                f"您发得太快了：每位委员每分钟最多提交{self.rate_per_minute}条。请一分钟后再发送；"
                "已登记的内容不必重发，发送“我的”可查看编号。",
                quiet=quiet,
            )
        self._refused.discard(key)
        window.append(now)

    def one_at_a_time(self, identity: Identity) -> asyncio.Lock:
        """Hold while storing a member's post: their next post waits for it."""
        key = (identity.platform, identity.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock
