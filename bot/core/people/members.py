"""Members (委员) and staff: the roster, registration from group cards, roles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.errors import InvalidInput, NotFound
from bot.core.models import Member, UnitContact
from bot.core.people.identity import Identity

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.sectors import SectorService

# Strong separators between the parts of a group card: dashes, bars, slashes, commas, brackets,
# white space. `·` is weaker: it also joins the parts of minority names (买买提·艾力).
_CARD_SPLIT = re.compile(r"[-－—–_|｜/／\\,，、;；:：()（）【】\[\]［］〔〕「」『』<>《》〈〉\s]+")
_CARD_DOT = re.compile(r"[·•・]+")
# Emoji and symbols: pictographs (So), modifiers (Sk), math symbols and tildes (Sm), format
# characters such as the zero-width joiner (Cf), enclosing keycaps (Me), private use (Co).
_DROP_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Me", "Co", "Cs"}
_VARIATION_SELECTORS = {"\ufe0e", "\ufe0f"}
# Words people put on their cards that are not their names.
_TITLES = {"委员", "政协委员", "常委", "主席", "副主席", "秘书长", "副秘书长"}
# Staff and unit contacts put their organisation on their card: `机关-陈干事`, `县教育局-刘明`.
_ORG_WORDS = {
    "机关",
    "政协机关",
    "政协",
    "办公室",
    "秘书处",
    "人大",
    "县委",
    "市委",
    "政府",
    "党委",
}
# An organisation's name ends like this; the weak endings also end given names (李文科), so
# they count only on longer words (县人民医院, 县财政所 ...).
_ORG_ENDINGS = (
    "局", "委", "办", "中心", "公司", "集团", "政府", "办公室", "委员会", "机关", "医院", "银行",
    "街道", "社区", "学校", "小学", "中学", "大学", "协会", "商会", "联合会",
)  # fmt: skip
_ORG_WEAK_ENDINGS = ("院", "所", "部", "处", "科", "站", "队", "厅", "镇", "乡", "馆", "厂")


@dataclass(frozen=True)
class CardInfo:
    name: str
    sector: str | None


def _without_symbols(text: str) -> str:
    return "".join(
        " " if ch in _VARIATION_SELECTORS or unicodedata.category(ch) in _DROP_CATEGORIES else ch
        for ch in text
    )


def parse_card(card: str, sectors: SectorService) -> CardInfo:
    """Read a name and a sector from a group card like `农业界-张三` or `张三（农业界）`.

    Emoji and decorations are dropped; the name is "" when none is left (e.g. a card of emoji).
    """
    tokens = [t for t in _CARD_SPLIT.split(_without_symbols(card)) if t]
    sector: str | None = None
    names: list[str] = []
    for token in tokens:
        if sector is None:
            found = sectors.resolve(token)
            if found:
                sector = found
                continue
            parts = [p for p in _CARD_DOT.split(token) if p]
            hits = [sectors.resolve(p) for p in parts] if len(parts) > 1 else []
            if any(hits):
                index = next(i for i, hit in enumerate(hits) if hit)
                sector = hits[index]
                names.extend(p for i, p in enumerate(parts) if i != index)
                continue
            prefixed = sectors.prefix_of(token)
            if prefixed is not None:
                sector, rest = prefixed
                names.append(rest)
                continue
        names.append(token.strip("·•・"))
    names = [n for n in names if n]
    people = [n for n in names if not _is_organisation(n)]
    names = people or names
    name = next((n for n in names if n not in _TITLES), names[0] if names else "")
    return CardInfo(name[:64], sector)


def _is_organisation(token: str) -> bool:
    """`机关`, `县教育局`, `县人民医院`: the organisation part of a card, not a name."""
    if token in _ORG_WORDS:
        return True
    if len(token) >= 3 and token.endswith(_ORG_ENDINGS):
        return True
    return len(token) >= 4 and token.endswith(_ORG_WEAK_ENDINGS)


def roster_order(member: Member) -> tuple[bool, str, str, str]:
    """Members by sector (those without one last), then name."""
    return (member.sector is None, member.sector or "", member.name, member.user_id)


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
        # configured (SUPERUSERS) and claimed (认领, bot/core/people/claims.py)
        self.superusers = frozenset(superusers)

    def add_superuser(self, user_id: str) -> None:
        """One more superuser (a claim): added to the configured ones, never replacing them."""
        self.superusers = self.superusers | {user_id}

    def name_from_card(self, display_name: str) -> str:
        """A person's name from a display name, which is often a group card (`农业界-张三`)."""
        return parse_card(display_name, self.sectors).name or display_name.strip()

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
        member, unit_ids = await self.db.run_sync(identity_rows, user_id, platform)
        return self.make_identity(user_id, display_name, member, unit_ids, platform)

    def make_identity(
        self,
        user_id: str,
        display_name: str,
        member: Member | None,
        unit_ids: Sequence[int],
        platform: str = "qq",
    ) -> Identity:
        """An Identity from the rows :func:`identity_rows` read."""
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
        info = parse_card(card, self.sectors)
        from_nickname = parse_card(nickname, self.sectors)
        name = info.name or from_nickname.name or nickname.strip() or user_id
        sector = sector_hint or info.sector or from_nickname.sector
        member = await self._learn_sector(user_id, sector, platform)
        if member is not None:
            return member, False
        now = self.clock.now()
        member = Member(
            platform=platform,
            user_id=user_id,
            name=name[:64],
            sector=sector,
            source="group_card",
            created_at=now,
            updated_at=now,
        )
        async with self.db.session() as session:
            session.add(member)
            try:
                await session.commit()
            except IntegrityError:
                # Two messages from a new sender at once: the other one registered them.
                await session.rollback()
                member = None
            else:
                await session.refresh(member)
        if member is None:
            member = await self._learn_sector(user_id, sector, platform)
            assert member is not None
            return member, False
        return member, True

    async def _learn_sector(self, user_id: str, sector: str | None, platform: str) -> Member | None:
        """The stored member, who learns `sector` if they have none yet; None if not stored."""
        async with self.db.session() as session:
            member = await _find_member(session, platform, user_id)
            if member is not None and member.sector is None and sector and member.is_member:
                member.sector = sector
                member.updated_at = self.clock.now()
                session.add(member)
                await session.commit()
            return member

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
            member = await _find_member(session, platform, user_id)
            now = self.clock.now()
            if member is None:
                member = Member(
                    platform=platform,
                    user_id=user_id,
                    name=(update.name or self.name_from_card(display_name) or user_id)[:64],
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
            return await _save(session, member, now)

    async def set_staff(
        self, user_id: str, is_staff: bool, *, display_name: str = "", platform: str = "qq"
    ) -> Member:
        async with self.db.session() as session:
            member = await _find_member(session, platform, user_id)
            now = self.clock.now()
            if not is_staff and (member is None or not member.is_staff):
                who = member.name if member is not None else self.name_from_card(display_name)
                raise NotFound(f"{who or user_id} 不是机关工作人员，无需移除。")
            if member is None:
                member = Member(
                    platform=platform,
                    user_id=user_id,
                    name=(self.name_from_card(display_name) or user_id)[:64],
                    is_member=False,
                    source="command",
                    created_at=now,
                )
            member.is_staff = is_staff
            if is_staff:
                member.active = True
            return await _save(session, member, now)

    async def list_members(self, sector: str | None = None, platform: str = "qq") -> list[Member]:
        async with self.db.session() as session:
            query = select(Member).where(
                Member.platform == platform, Member.active, Member.is_member
            )
            if sector:
                query = query.where(Member.sector == sector)
            rows = (await session.exec(query)).all()
        # Sorted here, not in SQL: NULL placement and collations differ between databases.
        return sorted(rows, key=roster_order)

    async def list_staff(self, platform: str = "qq") -> list[Member]:
        async with self.db.session() as session:
            rows = await session.exec(
                select(Member).where(Member.platform == platform, Member.active, Member.is_staff)
            )
            return sorted(rows.all(), key=lambda m: (m.name, m.user_id))


def identity_rows(session: Session, user_id: str, platform: str) -> tuple[Member | None, list[int]]:
    """The roster entry and unit contacts of one account (asked for every command: one
    synchronous round trip, see ``Database.run_sync``)."""
    params = {"platform": platform, "user_id": user_id}
    member = session.exec(_MEMBER_BY_ACCOUNT, params=params).first()
    unit_ids = session.exec(_UNITS_BY_ACCOUNT, params=params).all()
    return member, list(unit_ids)


# Built once: asked for every message, and building a statement costs more than running it.
_MEMBER_BY_ACCOUNT = select(Member).where(
    Member.platform == bindparam("platform"), Member.user_id == bindparam("user_id")
)
_UNITS_BY_ACCOUNT = select(UnitContact.unit_id).where(
    UnitContact.platform == bindparam("platform"), UnitContact.user_id == bindparam("user_id")
)


async def _find_member(session: AsyncSession, platform: str, user_id: str) -> Member | None:
    query = select(Member).where(Member.platform == platform, Member.user_id == user_id)
    return (await session.exec(query)).first()


async def _save(session: AsyncSession, member: Member, now: datetime) -> Member:
    member.updated_at = now
    session.add(member)
    await session.commit()
    await session.refresh(member)
    return member
