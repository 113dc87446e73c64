"""When a message counts as seen: together with what it caused, in the same transaction.

A QQ client re-delivers messages after a reconnect (and after the bot restarts). A message must
therefore count as handled exactly when its effects are committed: marked earlier, a crash in
between loses it for good (the re-delivery is dropped); marked later, a re-delivery applies it
twice. So the re-delivery mark (a :class:`~bot.core.models.SeenEvent` row) is written *inside*
the transaction that commits the message's effects:

- :meth:`bot.core.entry.EntryService.admitted` checks the mark (no write) and, for a new
  message, makes a pending :class:`SeenMark` the current one (a context variable, so it follows
  the handler into ``asyncio.to_thread`` workers and SQLAlchemy's greenlets);
- the first transaction of the handler that writes anything takes the mark along: listeners on
  SQLAlchemy's ``Session`` note writes (``do_orm_execute``, ``after_flush``, pending objects)
  and insert the mark in ``before_commit``; a hot path can :func:`join` explicitly (the intake
  does, first thing in a post's transaction);
- a handler that wrote nothing (a query, a refusal) is marked after it returns; one that failed
  (:func:`abandon`, or an exception out of the block) is not, and a re-delivery is handled again;
- :func:`deferred` keeps the mark out of the transactions inside it (a command over several
  numbers commits one per number: it is marked at the end, so a re-delivery after a crash
  midway runs it again); each number's transaction carries a mark of its own (:func:`item`),
  so the numbers done before the crash are not done twice.

If the mark is found already there when it is inserted (another delivery of the same message
committed first, e.g. in another process), :class:`AlreadySeen` is raised from the insert or
the commit: the transaction is rolled back and the delivery is dropped silently.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime


class MarkState(Enum):
    PENDING = "pending"  # not written
    JOINED = "joined"  # written in a transaction not yet committed
    DONE = "done"  # committed (by this handler, or found committed by another)


@dataclass(frozen=True)
class EventKey:
    """One incoming message: bot account, chat (``group:<id>`` / ``private:<user>``), id."""

    self_id: str
    chat: str
    message_id: str


def chat_key(group_id: str | None, user_id: str) -> str:
    """The chat part of a message's key: QQ numbers messages per chat."""
    return f"group:{group_id}" if group_id is not None else f"private:{user_id}"


@dataclass(eq=False)
class SeenMark:
    """The pending re-delivery mark of the message being handled."""

    key: EventKey
    seen_at: datetime
    insert: Callable[[Session, SeenMark], bool]
    """Writes the mark in the session's transaction; False when it was there already."""
    state: MarkState = MarkState.PENDING
    deferred: int = 0
    duplicate: bool = False
    """Found committed by another delivery: this one must not take effect."""
    abandoned: bool = False
    """The handler failed before committing anything: leave the message unmarked."""


class AlreadySeen(Exception):
    """Another delivery of this message was committed first: roll back, drop this one."""


_current: ContextVar[SeenMark | None] = ContextVar("cppcc_seen_mark", default=None)
_WROTE = "cppcc_seen_wrote"
_JOINED = "cppcc_seen_joined"


def current() -> SeenMark | None:
    return _current.get()


@contextmanager
def carrying(mark: SeenMark) -> Iterator[SeenMark]:
    """Make ``mark`` the current message's mark inside the block."""
    token = _current.set(mark)
    try:
        yield mark
    finally:
        _current.reset(token)


@contextmanager
def deferred() -> Iterator[None]:
    """Keep the current mark out of the transactions committed inside the block."""
    mark = _current.get()
    if mark is None:
        yield
        return
    mark.deferred += 1
    try:
        yield
    finally:
        mark.deferred -= 1


#: Characters of an item's name kept in its mark (the message id column holds 64).
ITEM_NAME_LENGTH = 24


@contextmanager
def item(name: str) -> Iterator[None]:
    """One item of a command over several numbers (inside :func:`deferred`): the transaction
    that writes it carries a mark of its own, the message's key with ``#name`` appended. After
    a crash midway, a re-delivery runs the command again and an item already done fails with
    :class:`AlreadySeen` from that transaction (rolled back) instead of being applied twice,
    also where doing it again would not be refused (交办 on an assigned proposal is 交办调整)."""
    mark = _current.get()
    if mark is None:
        yield
        return
    key = EventKey(
        mark.key.self_id, mark.key.chat, f"{mark.key.message_id}#{name[:ITEM_NAME_LENGTH]}"
    )
    token = _current.set(SeenMark(key, mark.seen_at, mark.insert))
    try:
        yield
    finally:
        _current.reset(token)


def abandon() -> None:
    """The handler failed (and said so): unless a transaction already committed the mark, the
    message stays unmarked, so that a re-delivery is handled again."""
    mark = _current.get()
    if mark is not None and mark.state is MarkState.PENDING:
        mark.abandoned = True


def join(session: Session) -> None:
    """Write the current message's mark in ``session``'s transaction (nothing to do without a
    pending mark). Raises :class:`AlreadySeen` when another delivery committed it first."""
    mark = _current.get()
    if mark is not None and mark.state is MarkState.PENDING:
        _insert(session, mark)


def _insert(session: Session, mark: SeenMark) -> None:
    mark.state = MarkState.JOINED
    session.info[_JOINED] = mark
    if not mark.insert(session, mark):
        session.info.pop(_JOINED, None)
        mark.state = MarkState.DONE
        mark.duplicate = True
        raise AlreadySeen(f"{mark.key} was handled by another delivery")


# ---------------------------------------------------------------- session listeners


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if _current.get() is not None and (state.is_insert or state.is_update or state.is_delete):
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    if _current.get() is not None:
        session.info[_WROTE] = True


@event.listens_for(Session, "before_commit")
def _join_on_commit(session: Session) -> None:
    mark = _current.get()
    if mark is None or mark.state is not MarkState.PENDING or mark.deferred:
        return
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        _insert(session, mark)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    mark = session.info.pop(_JOINED, None)
    if mark is not None:
        mark.state = MarkState.DONE


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    mark = session.info.pop(_JOINED, None)
    if mark is not None and mark.state is MarkState.JOINED:
        mark.state = MarkState.PENDING


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
