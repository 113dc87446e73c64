"""Which accounts were seen in a group (bot/nb/responders.py): one answers, all are known."""

from __future__ import annotations

from bot.nb.responders import GroupResponders


def test_every_account_that_delivers_from_a_group_is_known_there() -> None:
    responders = GroupResponders()
    connected = {"1", "2"}
    assert responders.claim("900", "1", connected)
    assert not responders.claim("900", "2", connected)  # 1 answers there
    assert responders.accounts_in("900") == {"1", "2"}
    assert responders.accounts_in("901") == set()
    responders.release("1")  # disconnected: 2 answers next, both still known
    assert responders.claim("900", "2", {"2"})
    assert responders.accounts_in("900") == {"1", "2"}
    responders.clear()
    assert responders.accounts_in("900") == set()
