"""The start-up log of the real bot shows, at INFO: the database in use (password hidden), the
migrations applied (or "up to date" on the next start), the similarity index's state and, once
built in the background, its size, and the jobs registered. The core logs through the
standard library: these lines only show because bot/nb/logs.py bridges it to NoneBot's log."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from bot.core.db import alembic_config

if TYPE_CHECKING:
    from bot.devtools.botprocess import BotProcess


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def info_line(log: str, pattern: str) -> str:
    """The INFO line of `log` matching `pattern` (a regular expression)."""
    found = re.search(rf"^.*\[INFO\].*{pattern}.*$", log, re.MULTILINE)
    assert found is not None, f"no INFO line matching {pattern!r} in:\n{log}"
    return found.group(0)


async def test_start_up_log_shows_database_migrations_index_and_jobs(
    bot_process: BotProcess,
) -> None:
    await bot_process.wait_for_log(r"similarity index ready: \d+ records", timeout=60)
    log = bot_process.current_log()
    url = make_url(bot_process.database_url)
    shown = url.render_as_string(hide_password=True)
    assert shown in info_line(log, re.escape(f"database: {shown}"))
    if url.password:  # (PostgreSQL) hidden wherever the URL is shown
        assert url.render_as_string(hide_password=False) not in log
        assert f":{url.password}@" not in log
    info_line(log, re.escape(f"database migrations applied: base -> {head_revision()}"))
    info_line(log, "similarity index: building in the background, from the (snapshot|database)")
    info_line(log, r"similarity index ready: 0 records")
    jobs = info_line(log, "schedule: registered jobs: ")
    for job in ("digest:daily", "digest:weekly", "digest:monthly", "reminders:sweep"):
        assert job in jobs
    assert "housekeeping:prune-seen" in jobs

    # the next start finds the schema up to date
    await bot_process.astop()
    await bot_process.astart()
    await bot_process.wait_for_log(r"similarity index ready: \d+ records", timeout=60)
    again = bot_process.current_log()
    info_line(again, re.escape(f"database migrations: up to date (revision {head_revision()})"))
    assert "database migrations applied" not in again
