"""One account answers per group: the first connected one to deliver an event from it."""

from __future__ import annotations

from bot.nb.responders import GroupResponders


def test_first_account_serves_the_group_until_it_disconnects() -> None:
    responders = GroupResponders()
    connected = {"74001", "74002"}
    assert responders.claim("g1", "74002", connected)
    assert not responders.claim("g1", "74001", connected)
    assert responders.claim("g1", "74002", connected)
    assert responders.claim("g2", "74001", connected)  # another group: its own choice
    connected.discard("74002")
    responders.release("74002")
    assert responders.responder("g1") is None
    assert responders.claim("g1", "74001", connected)
    assert responders.responder("g1") == "74001"


def test_an_owner_that_is_gone_without_release_is_replaced() -> None:
    responders = GroupResponders()
    assert responders.claim("g1", "74001", {"74001"})
    assert responders.claim("g1", "74002", {"74002"})
    assert not responders.claim("g1", "74001", {"74001", "74002"})
