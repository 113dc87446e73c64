"""Claiming a fresh install: the first superuser, without editing any file.

With no superuser configured (SUPERUSERS) and none claimed yet, each start makes a one-time
six-digit code, which the bot prints in its log. The first person who sends it privately
(`认领 123456`) becomes superuser, recorded in ``superuser_claim`` (one row at most), in addition
to any superusers configured later. Once anyone is superuser no code is made, and `认领` is
refused. Wrong codes are limited per person and for everyone together, so that the code cannot
be guessed.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections import deque
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.core.errors import DomainError, InvalidInput, PermissionDenied
from bot.core.models import SuperuserClaim

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.members import MemberService

CODE_DIGITS = 6
#: Wrong codes one person may send per WINDOW, and everyone together.
MAX_WRONG_PER_PERSON = 5
MAX_WRONG_IN_ALL = 20
WINDOW = timedelta(minutes=10)

NOT_AVAILABLE = (
    "认领已不可用：这个机器人已经有超级管理员。需要管理权限的，请联系超级管理员，"
    "由他发送：管理员 添加 @您"
)


class TooManyTries(DomainError):
    pass


class ClaimService:
    def __init__(self, db: Database, clock: Clock, members: MemberService) -> None:
        self.db = db
        self.clock = clock
        self.members = members
        self._code: str | None = None
        self._wrong: dict[str, deque[datetime]] = {}
        self._wrong_all: deque[datetime] = deque()

    async def load(self) -> list[str]:
        """Make the claimed superuser (if any) a superuser of this process; returns them."""
        async with self.db.session() as session:
            rows = (await session.exec(select(SuperuserClaim))).all()
        for row in rows:
            self.members.add_superuser(row.user_id)
        return [row.user_id for row in rows]

    def open(self) -> str | None:
        """At start: a fresh one-time code when there is no superuser at all, else None."""
        self._wrong.clear()
        self._wrong_all.clear()
        if self.members.superusers:
            self._code = None
        else:
            self._code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        return self._code

    @property
    def is_open(self) -> bool:
        return self._code is not None and not self.members.superusers

    async def claim(self, user_id: str, text: str, platform: str = "qq") -> None:
        """`认领 123456`: make `user_id` the superuser, or raise with what to do instead."""
        if not self.is_open:
            raise PermissionDenied(NOT_AVAILABLE)
        code = unicodedata.normalize("NFKC", text).strip().rstrip("。.!！")
        if not code:
            raise InvalidInput("请写上机器人启动日志里的 6 位认领码，例如：认领 123456")
        now = self.clock.now()
        self._check_limits(user_id, now)
        assert self._code is not None
        if not secrets.compare_digest(code.encode(), self._code.encode()):
            self._wrong.setdefault(user_id, deque()).append(now)
            self._wrong_all.append(now)
            left = MAX_WRONG_PER_PERSON - len(self._wrong[user_id])
            raise InvalidInput(
                "认领码不对。请核对机器人启动日志里“认领 ……”那一行的 6 位数字，再发送："
                f"认领 123456（10 分钟内还可以再试 {left} 次）"
            )
        if not await self.db.run_sync(self._insert, platform, user_id, now):
            await self.load()  # another process took it first
            self._code = None
            raise PermissionDenied(NOT_AVAILABLE)
        self._code = None
        self.members.add_superuser(user_id)

    def _check_limits(self, user_id: str, now: datetime) -> None:
        since = now - WINDOW
        mine = self._wrong.setdefault(user_id, deque())
        for tries in (mine, self._wrong_all):
            while tries and tries[0] <= since:
                tries.popleft()
        if len(mine) >= MAX_WRONG_PER_PERSON or len(self._wrong_all) >= MAX_WRONG_IN_ALL:
            raise TooManyTries(
                "认领码错误次数太多，请 10 分钟后再试。认领码在机器人启动日志里“认领 ……”那一行。"
            )

    def _insert(self, session: Session, platform: str, user_id: str, now: datetime) -> bool:
        row = {"slot": 1, "platform": platform, "user_id": user_id, "claimed_at": now}
        table = SuperuserClaim.__table__  # type: ignore[attr-defined]
        inserted = session.exec(self.db.insert_or_ignore(table), params=row)  # type: ignore[call-overload]
        session.commit()
        return bool(inserted.rowcount)
