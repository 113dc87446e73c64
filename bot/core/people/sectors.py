"""Sectors (界别): seeded from data/sectors.txt, looked up by name or alias."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.models import Sector

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.db import Database


@dataclass(frozen=True)
class SectorEntry:
    name: str
    aliases: tuple[str, ...]


def read_sector_file(path: Path) -> list[SectorEntry]:
    """One sector a line: `name` or `name: alias1, alias2`; `#` starts a comment."""
    entries: list[SectorEntry] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, rest = line.replace("：", ":").partition(":")
        aliases = tuple(a.strip() for a in rest.replace("，", ",").split(",") if a.strip())
        entries.append(SectorEntry(name.strip(), aliases))
    return entries


class SectorService:
    def __init__(self, db: Database, data_dir: Path) -> None:
        self.db = db
        self.data_dir = data_dir
        self._by_key: dict[str, str] = {}

    async def seed(self) -> int:
        """Add the sectors from the data file that the database lacks; returns how many.

        Another process starting at the same moment may seed them too: a sector it added
        first is skipped, not an error."""
        path = self.data_dir / "sectors.txt"
        entries = read_sector_file(path) if path.exists() else []
        added = 0
        insert = self.db.insert_or_ignore(Sector.__table__)  # type: ignore[arg-type]
        async with self.db.session() as session:
            existing = set((await session.exec(select(Sector.name))).all())
            for order, entry in enumerate(entries):
                if entry.name in existing:
                    continue
                row = {
                    "name": entry.name,
                    "aliases": ",".join(entry.aliases),
                    "sort_order": order,
                    "active": True,
                }
                result = await session.exec(insert, params=row)  # type: ignore[call-overload]
                added += result.rowcount or 0
            await session.commit()
        await self.reload()
        return added

    async def reload(self) -> None:
        async with self.db.session() as session:
            sectors = (await session.exec(select(Sector).where(Sector.active))).all()
        index: dict[str, str] = {}
        for sector in sectors:
            index[_key(sector.name)] = sector.name
            for alias in filter(None, sector.aliases.split(",")):
                index.setdefault(_key(alias), sector.name)
        self._by_key = index

    def resolve(self, text: str) -> str | None:
        """The sector's canonical name for a name or alias, or None."""
        key = _key(text)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key]
        if not key.endswith("界") and key + "界" in self._by_key:
            return self._by_key[key + "界"]
        return None

    def names(self) -> list[str]:
        return sorted(set(self._by_key.values()))

    def prefix_of(self, text: str) -> tuple[str, str] | None:
        """(sector, rest) when `text` starts with a sector's full name or a `…界` name and more
        follows, e.g. `农业界张三` -> ("农业界", "张三"). Short aliases (`民革`) are not used here:
        too many names would start with one."""
        best: tuple[str, str] | None = None
        for key, name in self._by_key.items():
            if (
                len(key) >= 2
                and (key == name or key.endswith("界"))
                and len(text) > len(key)
                and text.startswith(key)
                and (best is None or len(key) > len(best[0]))
            ):
                best = (key, name)
        return (best[1], text[len(best[0]) :]) if best else None

    def find_in(self, text: str) -> str | None:
        """A sector named somewhere inside `text` (longest match), e.g. in a group card."""
        best: tuple[int, str] | None = None
        for key, name in self._by_key.items():
            if len(key) >= 2 and key in text and (best is None or len(key) > best[0]):
                best = (len(key), name)
        return best[1] if best else None


def _key(text: str) -> str:
    return "".join(text.split()).strip()
