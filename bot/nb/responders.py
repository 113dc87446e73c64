"""Which bot account answers in a group that several of the office's accounts are in.

Every QQ client in a group reports each message, so with two accounts connected every post would
be handled twice (two replies, the second saying it was already submitted). One account serves a
group: the first connected account that delivers an event from it. The others stay silent there
until that account disconnects; then the next account to deliver an event from the group takes
over. Framework-free; the adapter (bot/nb/adapter.py) asks it for every group message.

It also remembers which accounts were seen in each group (every account that delivered an event
from it): a group message that fails for good through one account is retried through another
one in the group (bot/plugins/outbox).
"""

from __future__ import annotations

from collections.abc import Container


class GroupResponders:
    def __init__(self) -> None:
        self._by_group: dict[str, str] = {}
        self._seen: dict[str, set[str]] = {}

    def claim(self, group_id: str, account: str, connected: Container[str]) -> bool:
        """Whether ``account`` answers in ``group_id`` (it becomes the group's account when no
        connected account serves it yet)."""
        self._seen.setdefault(group_id, set()).add(account)
        owner = self._by_group.get(group_id)
        if owner == account:
            return True
        if owner is None or owner not in connected:
            self._by_group[group_id] = account
            return True
        return False

    def responder(self, group_id: str) -> str | None:
        return self._by_group.get(group_id)

    def accounts_in(self, group_id: str) -> set[str]:
        """The accounts seen in ``group_id`` (connected or not: the caller checks)."""
        return set(self._seen.get(group_id, ()))

    def release(self, account: str) -> None:
        """``account`` disconnected: its groups go to whichever account speaks there next."""
        for group_id in [g for g, owner in self._by_group.items() if owner == account]:
            del self._by_group[group_id]

    def clear(self) -> None:
        self._by_group.clear()
        self._seen.clear()
