"""Who may open a board page (bot/core/board/access.py)."""

from __future__ import annotations

from bot.core.board.access import Access, decide


def test_public_pages_open_to_anyone_staff_pages_need_the_token() -> None:
    assert decide(public=True, token="t", presented=None, staff=False) is Access.OPEN
    assert decide(public=True, token="t", presented=None, staff=True) is Access.NEED_TOKEN
    assert decide(public=True, token="t", presented="x", staff=True) is Access.NEED_TOKEN
    assert decide(public=True, token="t", presented="t", staff=True) is Access.OPEN


def test_not_public_every_page_needs_the_token() -> None:
    assert decide(public=False, token="t", presented=None, staff=False) is Access.NEED_TOKEN
    assert decide(public=False, token="t", presented="t", staff=False) is Access.OPEN


def test_no_token_set_refuses_what_needs_one() -> None:
    assert decide(public=True, token="", presented="", staff=True) is Access.NO_TOKEN_SET
    assert decide(public=False, token="", presented=None, staff=False) is Access.NO_TOKEN_SET
