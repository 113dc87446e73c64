"""Members (委员) and staff: the roster, registration from group cards, roles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.errors import InvalidInput, NotFound
from bot.core.identity import Identity
from bot.core.models import Member, UnitContact
from bot.core.sectors import SectorService

_CARD_SPLIT = re.compile(r"[-－—_·•|｜/／\s]+")
_BRACKETS = re.compile(r"^(?P<a>[^（(【\[]+)[（(【\[](?P<b>[^）)】\]]+)[）)】\]]\s*$")


@dataclass(frozen=True)
class CardInfo:
    name: str
    sector: str | None


def parse_card(card: str, sectors: SectorService) -> CardInfo:
    """Read a name and a sector from a group card like `农业界-张三` or `张三（农业界）`."""
    text = card.strip()
    if not text:
        return CardInfo("", None)
    match = _BRACKETS.match(text)
    parts = [match["a"].strip(), match["b"].strip()] if match else _CARD_SPLIT.split(text)
    parts = [p for p in parts if p]
    sector = None
    rest: list[str] = []
    for part in parts:
        found = sectors.resolve(part) if sector is None else None
        if found:
            sector = found
        else:
            rest.append(part)
    name = rest[0] if rest else text
    return CardInfo(name[:64], sector)


@dataclass(frozen=True)
class MemberUpdate:
    sector: str | None = None
    title: str | None = None
    committee: str | None = None
    name: str | None = None


class MemberService:
    def __init__(
        self, db: Database, clock: Clock, sectors: SectorService, superusers: Sequence[str]
    ) -> None:
        self.db = db
        self.clock = clock
        self.sectors = sectors
        self.superusers = frozenset(superusers)

    async def get(self, user_id: str, platform: str = "qq") -> Member | None:
        async with self.db.session() as session:
            return (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()

    async def get_many(self, user_ids: Sequence[str], platform: str = "qq") -> dict[str, Member]:
        if not user_ids:
            return {}
        async with self.db.session() as session:
            rows = await session.exec(
                select(Member).where(
                    Member.platform == platform, col(Member.user_id).in_(list(user_ids))
                )
            )
            return {m.user_id: m for m in rows.all()}

    async def identify(
        self, user_id: str, display_name: str = "", platform: str = "qq"
    ) -> Identity:
        async with self.db.session() as session:
            member = (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()
            unit_ids = (
                await session.exec(
                    select(UnitContact.unit_id).where(
                        UnitContact.platform == platform, UnitContact.user_id == user_id
                    )
                )
            ).all()
        return Identity(
            platform=platform,
            user_id=user_id,
            display_name=display_name,
            member=member,
            is_superuser=user_id in self.superusers,
            unit_ids=frozenset(unit_ids),
        )

    async def register_from_card(
        self,
        user_id: str,
        card: str,
        nickname: str = "",
        *,
        sector_hint: str | None = None,
        platform: str = "qq",
    ) -> tuple[Member, bool]:
        """Make sure a sender in a bound group is on the roster; returns (member, created).

        A member already on the roster keeps their data, but learns their sector from a sector
        group (`sector_hint`) or their card when none is recorded yet.
        """
        info = parse_card(card or nickname, self.sectors)
        sector = sector_hint or info.sector
        async with self.db.session() as session:
            member = (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()
            if member is not None:
                if member.sector is None and sector and member.is_member:
                    member.sector = sector
                    member.updated_at = self.clock.now()
                    session.add(member)
                    await session.commit()
                return member, False
            now = self.clock.now()
            member = Member(
                platform=platform,
                user_id=user_id,
                name=(info.name or nickname or user_id)[:64],
                sector=sector,
                source="group_card",
                created_at=now,
                updated_at=now,
            )
            session.add(member)
            await session.commit()
            await session.refresh(member)
            return member, True

    async def update(
        self, user_id: str, update: MemberUpdate, *, display_name: str = "", platform: str = "qq"
    ) -> Member:
        """Set a member's sector, title, committee; creates the roster row when missing."""
        sector = None
        if update.sector is not None:
            sector = self.sectors.resolve(update.sector)
            if sector is None:
                raise InvalidInput(
                    f"没有“{update.sector}”这个界别。可用的界别：{'、'.join(self.sectors.names())}"
                )
        async with self.db.session() as session:
            member = (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()
            now = self.clock.now()
            if member is None:
                member = Member(
                    platform=platform,
                    user_id=user_id,
                    name=(update.name or display_name or user_id)[:64],
                    source="command",
                    created_at=now,
                )
            if sector is not None:
                member.sector = sector
            if update.title is not None:
                member.title = update.title[:64]
            if update.committee is not None:
                member.committee = update.committee[:64]
            if update.name:
                member.name = update.name[:64]
            member.is_member = True
            member.active = True
            member.updated_at = now
            session.add(member)
            await session.commit()
            await session.refresh(member)
            return member

    async def set_staff(
        self, user_id: str, is_staff: bool, *, display_name: str = "", platform: str = "qq"
    ) -> Member:
        async with self.db.session() as session:
            member = (
                await session.exec(
                    select(Member).where(Member.platform == platform, Member.user_id == user_id)
                )
            ).first()
            now = self.clock.now()
            if member is None:
                if not is_staff:
                    raise NotFound("此人不是机关工作人员，无需移除。")
                member = Member(
                    platform=platform,
                    user_id=user_id,
                    name=(display_name or user_id)[:64],
                    is_member=False,
                    source="command",
                    created_at=now,
                )
            member.is_staff = is_staff
            member.active = True
            member.updated_at = now
            session.add(member)
            await session.commit()
            await session.refresh(member)
            return member

    async def list_members(self, sector: str | None = None, platform: str = "qq") -> list[Member]:
        async with self.db.session() as session:
            query = select(Member).where(
                Member.platform == platform, Member.active, Member.is_member
            )
            if sector:
                query = query.where(Member.sector == sector)
            rows = await session.exec(query.order_by(Member.sector, Member.name))
            return list(rows.all())

    async def list_staff(self, platform: str = "qq") -> list[Member]:
        async with self.db.session() as session:
            rows = await session.exec(
                select(Member)
                .where(Member.platform == platform, Member.active, Member.is_staff)
                .order_by(Member.name)
            )
            return list(rows.all())
