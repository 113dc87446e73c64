"""Handling units (承办单位) and their contacts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, func, or_, select

from bot.core import batch
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import Unit, UnitContact
from bot.core.people.members import parse_card

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.sectors import SectorService

#: How a contact whose name nobody knows yet is shown (never a bare QQ number).
UNNAMED = "未登记姓名"
_CARD_PARTS = re.compile(r"[-－—–_|｜/／\\,，、;；:：()（）【】\[\]\s]+")
_AREA_PREFIXES = ("县", "市", "区", "旗")


def has_name(contact: UnitContact) -> bool:
    """Whether the contact's name is known (a QQ number stored as the name is not a name)."""
    return bool(contact.name.strip()) and contact.name != contact.user_id


def unnamed_label(user_id: str) -> str:
    return f"{UNNAMED}（QQ {user_id}）"


def contact_label(contact: UnitContact) -> str:
    """`王五`, or `未登记姓名（QQ 3301000006）` while nobody knows the name."""
    return contact.name if has_name(contact) else unnamed_label(contact.user_id)


def without_unit_names(card: str, unit_names: Sequence[str]) -> str:
    """A group card minus the parts that name a unit: `县民政局-王五` -> `王五` (a unit contact's
    card usually starts with the department). "" when nothing else is left."""
    names = set()
    for name in unit_names:
        names.add(name)
        if name.startswith(_AREA_PREFIXES) and len(name) > 2:
            names.add(name[1:])
    kept = [part for part in _CARD_PARTS.split(card) if part and part not in names]
    return "-".join(kept)


@dataclass(frozen=True)
class UnitView:
    unit: Unit
    contacts: list[UnitContact]


def _norm(name: str) -> str:
    return "".join(name.split())


class UnitService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        #: Contacts whose name nobody knows (read at start, added to as contacts are set):
        #: their next message names them, and nobody else's message costs a query.
        self.awaiting_name: set[str] = set()

    async def load(self) -> None:
        """At start: the contacts whose name is not known yet."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(UnitContact).where(
                    or_(func.trim(UnitContact.name) == "", UnitContact.name == UnitContact.user_id)
                )
            )
            self.awaiting_name = {c.user_id for c in rows if not has_name(c)}

    async def add(self, name: str) -> tuple[Unit, bool]:
        name = _norm(name)
        if not name or len(name) > 64:
            raise InvalidInput("单位名称不能为空，也不能超过64个字。例如：单位 添加 县教育局")
        async with self.db.session() as session:
            unit = (await session.exec(select(Unit).where(Unit.name == name))).first()
            if unit is not None:
                if not unit.active:
                    unit.active = True
                    session.add(unit)
                    await session.commit()
                return unit, False
            unit = Unit(name=name, created_at=self.clock.now())
            session.add(unit)
            await session.commit()
            await session.refresh(unit)
            return unit, True

    async def all(self) -> list[Unit]:
        async with self.db.session() as session:
            return list(
                (await session.exec(select(Unit).where(Unit.active).order_by(Unit.name))).all()
            )

    async def list_with_contacts(self) -> list[UnitView]:
        async with self.db.session() as session:
            units = (await session.exec(select(Unit).where(Unit.active).order_by(Unit.name))).all()
            contacts = (await session.exec(select(UnitContact))).all()
        by_unit: dict[int, list[UnitContact]] = {}
        for contact in contacts:
            by_unit.setdefault(contact.unit_id, []).append(contact)
        return [UnitView(u, by_unit.get(u.id or 0, [])) for u in units]

    async def resolve(self, name: str) -> Unit:
        """The unit called `name` (or an alias); unknown names get a "did you mean" refusal."""
        key = _norm(name)
        units = await self.all()
        for unit in units:
            if unit.name == key or key in filter(None, unit.aliases.split(",")):
                return unit
        names = [u.name for u in units]
        close = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
        close += [n for n in names if (key in n or n in key) and n not in close]
        if close:
            raise NotFound(
                f"没有“{key}”这个单位。您是不是要找：{'、'.join(close[:3])}？"
                f"如确是新单位，请先发送：单位 添加 {key}"
            )
        raise NotFound(
            f"没有“{key}”这个单位。请先发送：单位 添加 {key}（单位 列表 可查看已有单位）"
        )

    async def get(self, unit_id: int) -> Unit:
        async with self.db.session() as session:
            unit = await session.get(Unit, unit_id)
        if unit is None:
            raise NotFound(f"没有编号为 {unit_id} 的单位。")
        return unit

    async def set_contact(self, unit: Unit, user_id: str, name: str, platform: str = "qq") -> bool:
        """Add a contact person to the unit; False when they already were one."""
        async with self.db.session() as session:
            existing = await _find_contact(session, unit, platform, user_id)
            if existing is not None:
                if name and existing.name != name:
                    existing.name = name[:64]
                    session.add(existing)
                    await session.commit()
                return False
            session.add(
                UnitContact(
                    unit_id=unit.id or 0,
                    platform=platform,
                    user_id=user_id,
                    name=name[:64],
                    created_at=self.clock.now(),
                )
            )
            await session.commit()
        if not name.strip() or name == user_id:
            self.awaiting_name.add(user_id)
        return True

    async def known_name(self, user_id: str, platform: str = "qq") -> str:
        """The name another of the person's contact rows already has ("" when none)."""
        async with self.db.session() as session:
            rows = await session.exec(
                select(UnitContact).where(
                    UnitContact.platform == platform, UnitContact.user_id == user_id
                )
            )
            return next((c.name for c in rows.all() if has_name(c)), "")

    async def name_from_card(self, card: str, sectors: SectorService) -> str:
        """A contact's name in a group card, without the unit part (`县民政局-王五` -> `王五`)."""
        rest = without_unit_names(card, [u.name for u in await self.all()])
        return parse_card(rest, sectors).name if rest else ""

    async def learn_name(
        self,
        user_id: str,
        name: str = "",
        platform: str = "qq",
        *,
        card: str = "",
        sectors: SectorService | None = None,
    ) -> int:
        """Give the person's contact rows that have no name yet `name` (or the name in `card`,
        read with `sectors`); how many were named (0 at once for everyone else).

        Called when a contact whose name was unknown speaks (their group card, their nickname).
        """
        async with self.db.session() as session:
            rows = [
                c
                for c in (
                    await session.exec(
                        select(UnitContact).where(
                            UnitContact.platform == platform, UnitContact.user_id == user_id
                        )
                    )
                ).all()
                if not has_name(c)
            ]
            if not rows:
                self.awaiting_name.discard(user_id)
                return 0
            if not name and card and sectors is not None:
                name = await self.name_from_card(card, sectors)
            name = name.strip()[:64]
            if not name or name == user_id:
                return 0
            for contact in rows:
                contact.name = name
                session.add(contact)
            await session.commit()
        self.awaiting_name.discard(user_id)
        return len(rows)

    async def remove_contact(self, unit: Unit, user_id: str, platform: str = "qq") -> None:
        async with self.db.session() as session:
            existing = await _find_contact(session, unit, platform, user_id)
            if existing is None:
                raise NotFound("此人不是该单位的联系人。")
            await session.delete(existing)
            await session.commit()

    async def contacts(
        self, unit_id: int, *, session: AsyncSession | None = None
    ) -> list[UnitContact]:
        """The unit's contacts (read in the caller's transaction when `session` is given)."""
        query = (
            select(UnitContact).where(UnitContact.unit_id == unit_id).order_by(col(UnitContact.id))
        )
        memo = batch.memo(session)
        if memo is not None and ("unit_contacts", unit_id) in memo:
            return list(memo["unit_contacts", unit_id])  # a batch reads them once
        if session is not None:
            found = list((await session.exec(query)).all())
            if memo is not None:
                memo["unit_contacts", unit_id] = found
            return found
        async with self.db.session() as own:
            return list((await own.exec(query)).all())


async def _find_contact(
    session: AsyncSession, unit: Unit, platform: str, user_id: str
) -> UnitContact | None:
    query = select(UnitContact).where(
        UnitContact.unit_id == unit.id,
        UnitContact.platform == platform,
        UnitContact.user_id == user_id,
    )
    return (await session.exec(query)).first()
