"""Change hooks: what follows a record's changes (the similarity index; later the board's caches).

A subscriber registers once at start (``services.records.on_change(hook)``, in the spirit of
nonebot-bison's ``register_add_target_hook``) and is then called after every change that
committed, once per record the change touched: the record itself, and any record created in the
same transaction (the opinion lead a rejected proposal becomes, a new post). Nothing else keeps
such followers in step, so a caller that is not a chat command (the coming web board) leaves
none of them stale. A failing hook is logged; the change stands (it is committed).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlmodel.ext.asyncio.session import AsyncSession

    from bot.core.models import Record

logger = logging.getLogger(__name__)

_CREATED = "records.created"
"""The session.info key under which a transaction notes the records it created."""


@dataclass(frozen=True)
class RecordChange:
    """A committed change: the record as it is now, and what happened to it."""

    record: Record
    action: str
    """The timeline action (``accept``, ``withdraw`` …; ``submit`` for a new record)."""
    from_status: str | None = None
    """The status before the change; None when the record is new."""

    @property
    def created(self) -> bool:
        return self.from_status is None


ChangeHook = Callable[[RecordChange], Awaitable[None]]


class ChangeHooks:
    """The subscribers to record changes, called in the order they registered."""

    def __init__(self) -> None:
        self._hooks: list[ChangeHook] = []

    def register(self, hook: ChangeHook) -> ChangeHook:
        """Call `hook` after every committed change (usable as a decorator)."""
        if hook not in self._hooks:
            self._hooks.append(hook)
        return hook

    def unregister(self, hook: ChangeHook) -> None:
        if hook in self._hooks:
            self._hooks.remove(hook)

    async def fire(self, changes: Iterable[RecordChange]) -> None:
        """Tell every subscriber of every change; a failing subscriber is logged, not raised."""
        for change in changes:
            for hook in list(self._hooks):
                try:
                    await hook(change)
                except Exception:
                    logger.exception(
                        "a change hook failed for record %s (%s)", change.record.id, change.action
                    )


def note_created(session: Session | AsyncSession, record: Record) -> None:
    """Remember that the caller's transaction created `record` (told to the hooks after commit)."""
    session.info.setdefault(_CREATED, []).append(record)


def take_created(session: Session | AsyncSession) -> list[RecordChange]:
    """The records the session's transaction created, as changes (and forget them)."""
    created: list[Record] = session.info.pop(_CREATED, [])
    return [RecordChange(record, "submit") for record in created]
