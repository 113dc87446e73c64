"""Handling units (承办单位) and their contacts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.clock import Clock
from bot.core.db import Database
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import Unit, UnitContact


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
            existing = (
                await session.exec(
                    select(UnitContact).where(
                        UnitContact.unit_id == unit.id,
                        UnitContact.platform == platform,
                        UnitContact.user_id == user_id,
                    )
                )
            ).first()
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
            return True

    async def remove_contact(self, unit: Unit, user_id: str, platform: str = "qq") -> None:
        async with self.db.session() as session:
            existing = (
                await session.exec(
                    select(UnitContact).where(
                        UnitContact.unit_id == unit.id,
                        UnitContact.platform == platform,
                        UnitContact.user_id == user_id,
                    )
                )
            ).first()
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
        if session is not None:
            return list((await session.exec(query)).all())
        async with self.db.session() as own:
            return list((await own.exec(query)).all())
