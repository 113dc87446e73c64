"""BOT_TIMEZONE governs display, schedules, quiet hours, working days / "today" and the year.

2 December 2026, 15:00 UTC is 09:00 in Chicago (CST, UTC-6) and 23:00 in Beijing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

import pytest

from bot.app import nonebot_kwargs
from bot.core.clock import FakeClock, format_local, local_date
from bot.core.models import DigestKind
from bot.core.records.service import RecordService
from bot.core.schedule.digests import local_at
from bot.core.schedule.quiet_hours import is_quiet
from bot.core.schedule.reminders import next_allowed
from bot.core.workflow import states
from bot.settings import SettingsError, load_settings
from tests.core.test_settings import NO_FILE

if TYPE_CHECKING:
    from pathlib import Path

    from bot.core.services import Services

pytestmark = pytest.mark.usefixtures("chicago")

NINE_IN_CHICAGO = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def test_display_and_dates_follow_the_zone() -> None:
    assert format_local(NINE_IN_CHICAGO) == "2026-12-02 09:00"
    # 03:00 UTC on 3 December is still the evening of 2 December in Chicago
    assert str(local_date(datetime(2026, 12, 3, 3, 0, tzinfo=UTC))) == "2026-12-02"


def test_quiet_hours_follow_the_zone() -> None:
    assert not is_quiet(NINE_IN_CHICAGO)  # 23:00 in Beijing, 09:00 here
    assert is_quiet(datetime(2026, 12, 3, 3, 30, tzinfo=UTC))  # 21:30 in Chicago


async def test_today_and_the_numbering_year_follow_the_zone(
    services: Services, clock: FakeClock
) -> None:
    new_year_in_beijing = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)  # 21:00, 31 Dec in Chicago
    assert RecordService(services.db, FakeClock(new_year_in_beijing), states).current_year() == 2026
    clock.set(datetime(2026, 12, 3, 3, 0, tzinfo=UTC))
    assert str(services.proposals.today()) == "2026-12-02"


async def test_digests_are_due_at_nine_in_the_zone(services: Services, clock: FakeClock) -> None:
    schedule = (await services.digests.schedules())[DigestKind.DAILY]
    assert local_at(NINE_IN_CHICAGO.date(), time(9, 0)) == NINE_IN_CHICAGO
    clock.set(datetime(2026, 12, 2, 14, 59, tzinfo=UTC))
    assert services.digests.due_period(DigestKind.DAILY, schedule) is None
    clock.set(NINE_IN_CHICAGO)
    period = services.digests.due_period(DigestKind.DAILY, schedule)
    assert period is not None
    assert period.scheduled_at == NINE_IN_CHICAGO


def test_reminders_wait_for_eight_in_the_zone(services: Services) -> None:
    late_evening = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 22:00 on Tuesday 1 Dec in Chicago
    expected = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # 08:00 on Wednesday in Chicago
    assert next_allowed(late_evening, services.calendar) == expected


def test_the_setting_is_bot_timezone_not_tz() -> None:
    settings = load_settings(NO_FILE, {"TZ": "UTC", "BOT_TIMEZONE": "America/Chicago"})
    assert settings.bot_timezone == "America/Chicago"
    assert nonebot_kwargs(settings)["apscheduler_config"]["apscheduler.timezone"] == (
        "America/Chicago"
    )
    # the system's TZ (often UTC on a server) does not move the bot's zone
    assert load_settings(NO_FILE, {"TZ": "America/Chicago"}).bot_timezone == "Asia/Shanghai"


def _env_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tz_line_in_the_env_file_still_sets_the_zone_with_a_notice(tmp_path: Path) -> None:
    env_file = _env_file(tmp_path, "PORT=8080\nTZ=America/Chicago\n")
    # the server's own TZ (UTC) is not what the .env line meant: the file's line counts
    settings = load_settings(env_file, {"TZ": "UTC"})
    assert settings.bot_timezone == "America/Chicago"
    (notice,) = settings.notices
    assert "BOT_TIMEZONE=America/Chicago" in notice
    assert settings.core_config().timezone == "America/Chicago"


def test_bot_timezone_wins_over_a_tz_line(tmp_path: Path) -> None:
    env_file = _env_file(tmp_path, "TZ=UTC\nBOT_TIMEZONE=America/Chicago\n")
    settings = load_settings(env_file, {})
    assert settings.bot_timezone == "America/Chicago"
    assert "TZ=UTC 已不再使用" in settings.notices[0]
    from_environment = load_settings(
        _env_file(tmp_path, "TZ=UTC\n"), {"BOT_TIMEZONE": "Asia/Tokyo"}
    )
    assert from_environment.bot_timezone == "Asia/Tokyo"


def test_the_process_environment_tz_is_never_read(tmp_path: Path) -> None:
    settings = load_settings(_env_file(tmp_path, "PORT=8080\n"), {"TZ": "America/Chicago"})
    assert settings.bot_timezone == "Asia/Shanghai"
    assert settings.notices == []


def test_a_bad_zone_in_the_tz_line_is_refused_like_bot_timezone(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BOT_TIMEZONE"):
        load_settings(_env_file(tmp_path, "TZ=Mars/Base\n"), {})
