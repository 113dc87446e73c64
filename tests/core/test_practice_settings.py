"""CONSULT_REMIND_WORKDAYS, LOOKBACK_DATE and DUTY_MINIMUM_POINTS: read, checked, handed to the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

NO_FILE = Path("/nonexistent/.env")


def test_defaults_reach_the_core_config() -> None:
    config = load_settings(NO_FILE, {}).core_config()
    assert (config.consult_remind_workdays, config.lookback_date) == (15, "")


@pytest.mark.parametrize(
    ("typed", "kept"), [("01-05", "01-05"), ("1-5", "01-05"), ("2月29日", "02-29")]
)
def test_lookback_date_is_normalised(typed: str, kept: str) -> None:
    settings = load_settings(NO_FILE, {"LOOKBACK_DATE": typed, "CONSULT_REMIND_WORKDAYS": "0"})
    config = settings.core_config()
    assert (config.lookback_date, config.consult_remind_workdays) == (kept, 0)


@pytest.mark.parametrize("typed", ["13-01", "02-30", "明年"])
def test_bad_lookback_date_is_refused(typed: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(NO_FILE, {"LOOKBACK_DATE": typed})
    assert "LOOKBACK_DATE" in str(info.value)


def test_duty_minimum_points_reaches_the_core_config() -> None:
    assert load_settings(NO_FILE, {}).core_config().duty_minimum_points == 0
    config = load_settings(NO_FILE, {"DUTY_MINIMUM_POINTS": "60"}).core_config()
    assert config.duty_minimum_points == 60


@pytest.mark.parametrize("typed", ["-5", "很多"])
def test_bad_duty_minimum_is_refused(typed: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(NO_FILE, {"DUTY_MINIMUM_POINTS": typed})
    assert "DUTY_MINIMUM_POINTS" in str(info.value)
