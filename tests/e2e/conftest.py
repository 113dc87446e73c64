"""End-to-end: the real `python -m bot` process, and a OneBot V11 simulator over a WebSocket."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest

from bot.devtools.botprocess import BotProcess
from bot.devtools.onebot_sim import OneBotSimulator
from tests import dbutil

if TYPE_CHECKING:
    from pathlib import Path

SUPERUSER = 10001
_self_ids = itertools.count(70_001)


#: An outbox that sends without spacing and looks for new rows often (the rate limit is
#: tested on its own, in test_outbox_e2e.py).
FAST_OUTBOX = {"OUTBOX_INTERVAL": "0", "OUTBOX_JITTER": "0", "OUTBOX_POLL": "0.2"}


async def fresh_bot(
    tmp_path: Path, extra_env: dict[str, str] | None = None
) -> AsyncIterator[BotProcess]:
    """A fresh bot on a free port with its own empty database, stopped and dropped after."""
    url = await dbutil.create_database(tmp_path)
    process = BotProcess(
        workdir=tmp_path / "bot",
        database_url=url,
        superusers=(str(SUPERUSER),),
        extra_env=dict(extra_env or {}),
    )
    await process.astart()
    yield process
    await process.astop()
    await dbutil.drop_database(url)


@pytest.fixture
async def bot_process(tmp_path: Path) -> AsyncIterator[BotProcess]:
    """A fresh bot on a free port with its own empty database."""
    async for process in fresh_bot(tmp_path):
        yield process


@pytest.fixture
async def fast_bot_process(tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The same, with an outbox that sends at once (FAST_OUTBOX)."""
    async for process in fresh_bot(tmp_path, FAST_OUTBOX):
        yield process


SimFactory = Callable[..., Awaitable[OneBotSimulator]]


@pytest.fixture
async def connect_sim(bot_process: BotProcess) -> AsyncIterator[SimFactory]:
    """Connect simulators to the bot; all are closed at the end."""
    sims: list[OneBotSimulator] = []

    async def connect(
        *, token: str | None = None, self_id: int | None = None, **options: Any
    ) -> OneBotSimulator:
        sim = OneBotSimulator(
            bot_process.ws_url,
            self_id=self_id or next(_self_ids),
            access_token=bot_process.token if token is None else token,
            heartbeat_interval=None,
            **options,
        )
        sims.append(sim)
        await sim.connect()
        return sim

    yield connect
    for sim in sims:
        await sim.close()


@pytest.fixture
async def sim(connect_sim: SimFactory) -> OneBotSimulator:
    return await connect_sim()


BotFactory = Callable[..., Awaitable[BotProcess]]


@pytest.fixture
async def new_bot(tmp_path) -> AsyncIterator[BotFactory]:  # type: ignore[no-untyped-def]
    """Start bots of one's own, each on its own empty database: ``await new_bot(superusers=(),
    extra_env={...}, fake_start=...)`` (keyword arguments of BotProcess). All stop at the end."""
    started: list[BotProcess] = []

    async def start(**kwargs: object) -> BotProcess:
        url = await dbutil.create_database(tmp_path)
        kwargs.setdefault("superusers", (str(SUPERUSER),))
        workdir = tmp_path / f"bot{len(started) + 1}"
        process = BotProcess(workdir=workdir, database_url=url, **kwargs)  # type: ignore[arg-type]
        started.append(process)
        await process.astart()
        return process

    yield start
    for process in started:
        await process.astop()
        await dbutil.drop_database(process.database_url)


def simulator_for(process: BotProcess, self_id: int | None = None) -> OneBotSimulator:
    """A simulator for `process` (not connected yet: ``async with simulator_for(p) as sim``)."""
    return OneBotSimulator(
        process.ws_url,
        self_id=self_id or next(_self_ids),
        access_token=process.token,
        heartbeat_interval=None,
    )
