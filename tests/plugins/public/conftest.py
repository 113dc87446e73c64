"""The public pages' fixtures: the data (tests/public_data.py) and an HTTP client on NoneBot's
own FastAPI app (as `python -m bot` serves it), keeping cookies like a browser."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.public_data import PublicData, build

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from bot.core.clock import FakeClock
    from bot.core.services import Services


@pytest.fixture
async def data(services: Services, clock: FakeClock) -> PublicData:
    return await build(services, clock)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    import nonebot

    transport = httpx.ASGITransport(app=nonebot.get_app(), client=("203.0.113.7", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://board.test") as c:
        yield c


def csrf_of(html: str, form_id: str) -> str:
    """The CSRF token printed in the form with id `form_id`."""
    form = html[html.index(f'id="{form_id}"') :]
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None, form_id
    return found.group(1)


async def token(client: httpx.AsyncClient, page: str, form_id: str) -> str:
    response = await client.get(page)
    assert response.status_code == 200, response.text
    return csrf_of(response.text, form_id)
