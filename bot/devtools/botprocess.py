"""Run the real bot (`python -m bot`) as a child process, for end-to-end tests, demos, benchmarks."""

from __future__ import annotations

import asyncio
import glob
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from pathlib import Path


def find_libfaketime() -> str | None:
    """Debian's libfaketime (package `faketime`), multi-threaded flavour; None if missing.

    The bot is started with it preloaded rather than under the `faketime` command, which runs
    its program as a child and does not pass Ctrl-C (SIGINT) on: the bot would never stop.
    """
    patterns = ("/usr/lib/*/faketime/libfaketimeMT.so.1", "/usr/lib/faketime/libfaketimeMT.so.1")
    for pattern in (*patterns, "/usr/local/lib/faketime/libfaketimeMT.so.1"):
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


#: libfaketime, to run the bot with a faked wall clock (see BotProcess.fake_start).
LIBFAKETIME = find_libfaketime()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    """The bot in a child process with its own port, token, database and working folder."""

    workdir: Path
    database_url: str
    token: str = "e2e-token"
    superusers: tuple[str, ...] = ("10001",)
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    #: Start the bot's clock at this UTC instant ("2026-12-02 00:59:30"); it then runs in real
    #: time. Needs Debian's `faketime` (libfaketime); see :data:`LIBFAKETIME`.
    fake_start: str | None = None
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/onebot/v11/ws"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "bot.log"

    def log(self) -> str:
        return (
            self.log_path.read_text(encoding="utf-8", errors="replace")
            if self.log_path.exists()
            else ""
        )

    def environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k.upper()
            not in {"ENVIRONMENT", "DRIVER", "HOST", "PORT", "DATABASE_URL", "SUPERUSERS"}
        }
        env.update(
            {
                "CPPCC_ENV_FILE": "",
                "HOST": "127.0.0.1",
                "PORT": str(self.port),
                "ONEBOT_ACCESS_TOKEN": self.token,
                "SUPERUSERS": "[" + ",".join(f'"{s}"' for s in self.superusers) + "]",
                "DATABASE_URL": self.database_url,
                "LOG_LEVEL": env.get("E2E_LOG_LEVEL", "INFO"),
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
                ),
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.fake_start is not None:
            if LIBFAKETIME is None:
                raise RuntimeError("libfaketime is missing (Debian: apt-get install faketime)")
            # "@…": start there, then run in real time. The instant is read in TZ: UTC. (The
            # bot's own zone is its own setting, BOT_TIMEZONE, not TZ.) The monotonic clock is
            # faked too: it starts elsewhere and also runs in real time, which asyncio, uvicorn
            # and websockets take in their stride; FAKETIME_DONT_FAKE_MONOTONIC=1 would make
            # time.sleep() fail with EINVAL (libfaketime 0.9.10).
            preload = filter(None, [LIBFAKETIME, os.environ.get("LD_PRELOAD")])
            env.update(
                {"LD_PRELOAD": " ".join(preload), "FAKETIME": f"@{self.fake_start}", "TZ": "UTC"}
            )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60.0) -> None:
        """Start the bot and wait until it listens."""
        self.spawn()
        self.wait_listening(timeout)

    def spawn(self) -> None:
        """Start the bot process and return at once (it may not listen yet)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            log_file.write(f"\n===== start {self.starts + 1} =====\n".encode())
            log_file.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,  # no stray .env is read from here
                env=self.environment(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1

    def wait_listening(self, timeout: float = 60.0) -> None:
        """Wait until the spawned bot listens on its port."""
        assert self.proc is not None, "spawn() first"
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(
                        f"bot did not listen on {self.port}:\n{self.log()}"
                    ) from None
                time.sleep(0.1)

    async def astart(self, timeout: float = 60.0) -> None:
        await asyncio.to_thread(self.start, timeout)

    def current_log(self) -> str:
        """The log of the latest start only."""
        return self.log().rsplit(f"===== start {self.starts} =====", 1)[-1]

    async def wait_for_log(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """The first match of the regular expression `pattern` in the latest start's log."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.current_log())
            if found is not None:
                return found
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"bot exited before logging {pattern!r}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {pattern!r} in the bot's log:\n{self.current_log()}")
            await asyncio.sleep(0.1)

    def stop(self, timeout: float = 15.0) -> int | None:
        """A clean shutdown (SIGINT, as Ctrl-C)."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def kill(self) -> None:
        """Kill -9: no shutdown hooks run (to test crash recovery)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    async def astop(self) -> int | None:
        return await asyncio.to_thread(self.stop)
