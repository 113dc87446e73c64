"""BOARD_PUBLIC, BOARD_TOKEN, BOARD_URL: read like every setting, handed to the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

NO_FILE = Path("/nonexistent/.env")


def test_defaults_public_no_token_no_address() -> None:
    config = load_settings(NO_FILE, {}).core_config()
    assert (config.board_public, config.board_token, config.board_url) == (True, "", "")


def test_from_the_environment() -> None:
    environ = {
        "BOARD_PUBLIC": "false",
        "BOARD_TOKEN": " t0ken ",
        "BOARD_URL": "https://zx.example.gov.cn/",
    }
    config = load_settings(NO_FILE, environ).core_config()
    assert (config.board_public, config.board_token, config.board_url) == (
        False,
        "t0ken",
        "https://zx.example.gov.cn",  # without the trailing slash: paths are added to it
    )


def test_an_address_without_http_is_refused() -> None:
    with pytest.raises(SettingsError, match="BOARD_URL"):
        load_settings(NO_FILE, {"BOARD_URL": "zx.example.gov.cn"})
