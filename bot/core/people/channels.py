"""Channel bindings: which group is the whole-body, a sector, the staff or a unit group."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import select

from bot.core.changes import CHANNELS, ChangeWatch
from bot.core.errors import InvalidInput, NotFound
from bot.core.models import ChannelBinding, ChannelKind

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.clock import Clock
    from bot.core.db import Database
    from bot.core.people.sectors import SectorService

KIND_WORDS: dict[str, ChannelKind] = {
    "全体群": ChannelKind.WHOLE,
    "全体": ChannelKind.WHOLE,
    "全委群": ChannelKind.WHOLE,
    "界别群": ChannelKind.SECTOR,
    "界别": ChannelKind.SECTOR,
    "机关群": ChannelKind.STAFF,
    "机关": ChannelKind.STAFF,
    "承办单位群": ChannelKind.UNIT,
    "单位群": ChannelKind.UNIT,
}


class ChannelService:
    """Bindings are read on every group message, so they are cached in memory; a change made
    through another process sharing the database is seen within ``changes.interval`` seconds
    (see :mod:`bot.core.changes`)."""

    def __init__(
        self, db: Database, clock: Clock, sectors: SectorService, changes: ChangeWatch
    ) -> None:
        self.db = db
        self.clock = clock
        self.sectors = sectors
        self.changes = changes
        self._cache: dict[tuple[str, str], ChannelBinding] = {}
        self._loaded_at: int | None = None  # the changes generation the cache was read at

    async def load(self) -> None:
        generation = self.changes.generation(CHANNELS)
        async with self.db.session() as session:
            rows = (await session.exec(select(ChannelBinding))).all()
        self._cache = {(b.platform, b.group_id): b for b in rows}
        self._loaded_at = generation

    async def _current(self) -> None:
        await self.changes.refresh()
        if self._loaded_at != self.changes.generation(CHANNELS):
            await self.load()

    async def get(self, group_id: str, platform: str = "qq") -> ChannelBinding | None:
        await self._current()
        return self._cache.get((platform, group_id))

    def parse_kind(self, words: list[str]) -> tuple[ChannelKind, str | None]:
        """`全体群` / `界别群 农业界` / `机关群` / `承办单位群` -> (kind, sector)."""
        usage = "请发送：本群 设为 全体群｜界别群 <界别>｜机关群｜承办单位群"
        if not words:
            raise InvalidInput(f"要把本群设为哪种群？{usage}")
        kind = KIND_WORDS.get(words[0])
        if kind is None:
            # `界别群农业界` typed without the space
            for word in sorted(KIND_WORDS, key=len, reverse=True):
                if words[0].startswith(word) and KIND_WORDS[word] is ChannelKind.SECTOR:
                    kind, words = ChannelKind.SECTOR, [word, words[0][len(word) :], *words[1:]]
                    break
        if kind is None:
            raise InvalidInput(f"不认识“{words[0]}”。{usage}")
        sector = None
        if kind is ChannelKind.SECTOR:
            if len(words) < 2:
                raise InvalidInput("界别群需要写明界别，例如：本群 设为 界别群 农业界")
            sector = self.sectors.resolve(words[1])
            if sector is None:
                raise InvalidInput(
                    f"没有“{words[1]}”这个界别。可用的界别：{'、'.join(self.sectors.names())}"
                )
        return kind, sector

    async def bind(
        self,
        group_id: str,
        kind: ChannelKind,
        *,
        sector: str | None,
        bound_by: str,
        group_name: str = "",
        platform: str = "qq",
    ) -> ChannelBinding:
        async with self.db.session() as session:
            binding = await _find_binding(session, platform, group_id)
            if binding is None:
                binding = ChannelBinding(
                    platform=platform, group_id=group_id, kind=kind, bound_by=bound_by
                )
            binding.kind = kind
            binding.sector = sector
            binding.bound_by = bound_by
            binding.bound_at = self.clock.now()
            if group_name:
                binding.group_name = group_name[:128]
            session.add(binding)
            await self.changes.abump(session, CHANNELS)
            await session.commit()
            await session.refresh(binding)
        self._cache[(platform, group_id)] = binding
        return binding

    async def unbind(self, group_id: str, platform: str = "qq") -> ChannelBinding:
        async with self.db.session() as session:
            binding = await _find_binding(session, platform, group_id)
            if binding is None:
                raise NotFound("本群尚未绑定，无需取消。")
            await session.delete(binding)
            await self.changes.abump(session, CHANNELS)
            await session.commit()
        self._cache.pop((platform, group_id), None)
        return binding

    async def by_kind(
        self, kind: ChannelKind, sector: str | None = None, *, fresh: bool = True
    ) -> list[ChannelBinding]:
        """The groups bound as `kind`. ``fresh=False`` inside a caller's open transaction: the
        cache as it is, with no other database round trip (see :meth:`cached_by_kind`)."""
        if fresh:
            await self._current()
        return self.cached_by_kind(kind, sector)

    def cached_by_kind(self, kind: ChannelKind, sector: str | None = None) -> list[ChannelBinding]:
        """The groups bound as `kind`, from the cache as it is (never staler than the change
        check interval, which every incoming message keeps). For code inside an open write
        transaction: on SQLite that transaction holds the write lock, and the periodic version
        read (a worker thread) could wait for it behind writers that hold every worker thread,
        until the busy timeout fails them all."""
        return [
            b
            for b in self._cache.values()
            if b.kind == kind and (sector is None or b.sector == sector)
        ]


def describe(binding: ChannelBinding) -> str:
    label = ChannelKind(binding.kind).label
    return f"{label}（{binding.sector}）" if binding.sector else label


async def _find_binding(
    session: AsyncSession, platform: str, group_id: str
) -> ChannelBinding | None:
    query = select(ChannelBinding).where(
        ChannelBinding.platform == platform, ChannelBinding.group_id == group_id
    )
    return (await session.exec(query)).first()
