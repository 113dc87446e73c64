"""Fixtures for the OneBot simulator tests.

* ``nonebot_app``: a real NoneBot (``echo_bot.py``) in a subprocess on a free port.
* ``make_sim``: builds connected simulators with distinct self ids, closed at teardown.
* ``fake_bot``: an in-process WebSocket server that plays the bot side by hand, to test
  the simulator's API answers without NoneBot.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve

from bot.devtools.onebot_sim import OneBotSimulator

if TYPE_CHECKING:
    from websockets.http11 import Request, Response

ECHO_BOT = Path(__file__).with_name("echo_bot.py")
TOKEN = "sim-test-token"
_self_ids = itertools.count(880_001)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class NoneBotApp:
    url: str
    token: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def nonebot_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoneBotApp]:
    """Run ``echo_bot.py`` in a subprocess and wait until its port accepts connections."""
    workdir = tmp_path_factory.mktemp("echo_bot")  # no stray .env files are read here
    port = free_port()
    log_path = workdir / "bot.log"
    env = {k: v for k, v in os.environ.items() if k.upper() not in {"ENVIRONMENT", "DRIVER"}}
    repo_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo_root, env.get("PYTHONPATH")]))
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, str(ECHO_BOT), "127.0.0.1", str(port), TOKEN],
            cwd=workdir,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    app = NoneBotApp(f"ws://127.0.0.1:{port}/onebot/v11/ws", TOKEN, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"echo bot exited with {proc.returncode}:\n{app.log()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"echo bot did not listen on {port}:\n{app.log()}")
                time.sleep(0.1)
        yield app
    finally:
        proc.kill()
        proc.wait(timeout=10)


MakeSim = Callable[..., Awaitable[OneBotSimulator]]


@pytest.fixture
async def make_sim(nonebot_app: NoneBotApp) -> AsyncIterator[MakeSim]:
    """Factory of simulators connected to the NoneBot app (each with its own self id)."""
    sims: list[OneBotSimulator] = []

    async def factory(**kwargs: Any) -> OneBotSimulator:
        kwargs.setdefault("self_id", next(_self_ids))
        kwargs.setdefault("access_token", nonebot_app.token)
        sim = OneBotSimulator(nonebot_app.url, **kwargs)
        sims.append(sim)
        await sim.connect()
        return sim

    yield factory
    for sim in sims:
        await sim.close()


class FakeBot:
    """The bot side of a OneBot reverse WebSocket, driven by hand from a test."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.server: Server | None = None
        self.url = ""
        self.headers: list[dict[str, str]] = []
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._conn: ServerConnection | None = None
        self._connected = asyncio.Event()
        self._responses: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._seq = itertools.count(1)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        self.headers.append(dict(request.headers.raw_items()))
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return connection.respond(403, "Authorization Header is invalid")
        return None

    async def _handler(self, conn: ServerConnection) -> None:
        self._conn = conn
        self._connected.set()
        with contextlib.suppress(Exception):
            async for raw in conn:
                data = json.loads(raw)
                echo = data.get("echo")
                if echo is not None and echo in self._responses:
                    self._responses.pop(echo).set_result(data)
                else:
                    self.events.put_nowait(data)

    async def start(self) -> None:
        self.server = await serve(
            self._handler, "127.0.0.1", 0, process_request=self._process_request
        )
        port = next(iter(self.server.sockets)).getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/onebot/v11/ws"

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def call(self, action: str, **params: Any) -> dict[str, Any]:
        """Send an API call and return the whole response (status, retcode, data, echo)."""
        await asyncio.wait_for(self._connected.wait(), 5)
        assert self._conn is not None
        echo = str(next(self._seq))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._responses[echo] = future
        await self._conn.send(json.dumps({"action": action, "params": params, "echo": echo}))
        return await asyncio.wait_for(future, 5)

    async def next_event(self, **match: Any) -> dict[str, Any]:
        """The next event whose fields equal ``match`` (earlier non-matching ones dropped)."""
        while True:
            event = await asyncio.wait_for(self.events.get(), 5)
            if all(event.get(k) == v for k, v in match.items()):
                return event


@pytest.fixture
async def fake_bot() -> AsyncIterator[FakeBot]:
    bot = FakeBot(TOKEN)
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
async def fake_sim(fake_bot: FakeBot) -> AsyncIterator[OneBotSimulator]:
    """A simulator connected to ``fake_bot`` (heartbeat off, to keep the event queue quiet)."""
    sim = OneBotSimulator(fake_bot.url, access_token=TOKEN, heartbeat_interval=None)
    await sim.connect()
    yield sim
    await sim.close()
