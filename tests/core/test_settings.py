"""Settings: `.env` and the environment (the environment wins), and the listen safety check."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import nonebot_kwargs
from bot.settings import DEFAULT_DATA_DIR, Settings, SettingsError, load_settings

NO_FILE = Path("/nonexistent/.env")


def write_env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings(NO_FILE, {})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8080
    assert settings.onebot_access_token == ""
    assert settings.superusers == []
    assert settings.bot_timezone == "Asia/Shanghai"
    assert (
        settings.resolved_database_url() == f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'cppcc.db'}"
    )


def test_env_file_is_read(tmp_path: Path) -> None:
    env = write_env(
        tmp_path,
        "HOST=0.0.0.0\nPORT=9000\nONEBOT_ACCESS_TOKEN=s3cret\n"
        'SUPERUSERS=["123456", 654321]\nDATABASE_URL=sqlite+aiosqlite:///x.db\n'
        "log_level=debug\nUNRELATED=1\n",
    )
    settings = load_settings(env, {})
    assert settings.host == "0.0.0.0"
    assert settings.port == 9000
    assert settings.onebot_access_token == "s3cret"
    assert settings.superusers == ["123456", "654321"]
    assert settings.resolved_database_url() == "sqlite+aiosqlite:///x.db"
    assert settings.log_level == "DEBUG"


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    env = write_env(tmp_path, 'PORT=9000\nSUPERUSERS=["1"]\nONEBOT_ACCESS_TOKEN=from-file\n')
    settings = load_settings(
        env, {"PORT": "9100", "SUPERUSERS": "11111,22222", "ONEBOT_ACCESS_TOKEN": ""}
    )
    assert settings.port == 9100
    assert settings.superusers == ["11111", "22222"]
    # an empty token in the environment clears the file's token (the environment wins)
    assert settings.onebot_access_token == ""


def test_empty_value_means_default(tmp_path: Path) -> None:
    env = write_env(tmp_path, "PORT=9000\nBOT_TIMEZONE=\n")
    settings = load_settings(env, {"PORT": "", "HOST": ""})
    assert settings.port == 9000  # an empty environment variable does not clobber the file
    assert settings.bot_timezone == "Asia/Shanghai"
    assert settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ('["1001", "1002"]', ["1001", "1002"]),
        ("[1001, 1002]", ["1001", "1002"]),
        ("1001,1002", ["1001", "1002"]),
        ("1001，1002", ["1001", "1002"]),
        ("1001 1002", ["1001", "1002"]),
    ],
)
def test_superusers_forms(raw: str, expected: list[str]) -> None:
    assert load_settings(NO_FILE, {"SUPERUSERS": raw}).superusers == expected


def test_cppcc_env_file_selects_or_disables_the_file(tmp_path: Path) -> None:
    env = write_env(tmp_path, "PORT=9200\n")
    assert load_settings(None, {"CPPCC_ENV_FILE": str(env)}).port == 9200
    assert load_settings(None, {"CPPCC_ENV_FILE": ""}).port == 8080


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"SUPERUSERS": "[1, 2"}, "SUPERUSERS"),
        ({"BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
        ({"OUTBOX_INTERVAL": "-1"}, "OUTBOX_INTERVAL"),
    ],
)
def test_bad_values_give_a_readable_error(environ: dict[str, str], key: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(NO_FILE, environ)
    message = str(info.value)
    assert "配置有误" in message
    assert f"{key}=" in message


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"])
def test_loopback_hosts_need_no_token(host: str) -> None:
    settings = Settings(host=host)
    assert settings.is_loopback
    settings.check_safe_to_listen()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "bot.example.org"])
def test_public_host_without_token_is_refused(host: str) -> None:
    settings = Settings(host=host)
    assert not settings.is_loopback
    with pytest.raises(SettingsError) as info:
        settings.check_safe_to_listen()
    assert "ONEBOT_ACCESS_TOKEN" in str(info.value)
    assert "127.0.0.1" in str(info.value)


def test_public_host_with_token_is_allowed() -> None:
    Settings(host="0.0.0.0", onebot_access_token="s3cret").check_safe_to_listen()


def test_blank_token_counts_as_no_token() -> None:
    settings = load_settings(NO_FILE, {"HOST": "0.0.0.0", "ONEBOT_ACCESS_TOKEN": "   "})
    with pytest.raises(SettingsError):
        settings.check_safe_to_listen()


def test_empty_host_is_not_all_interfaces() -> None:
    # An empty host would bind every interface; it means the loopback default instead.
    settings = Settings(host="")
    assert settings.host == "127.0.0.1"
    assert settings.is_loopback


@pytest.mark.parametrize("host", ["localhost", "LocalHost", " localhost "])
def test_localhost_is_resolved_to_an_address_nonebot_accepts(host: str) -> None:
    # NoneBot's HOST is an IP address field: "localhost" reached it and failed validation.
    settings = load_settings(NO_FILE, {"HOST": host})
    assert settings.host == "127.0.0.1"
    settings.check_safe_to_listen()
    assert nonebot_kwargs(settings)["host"] == "127.0.0.1"


def test_a_host_name_is_refused_clearly_even_with_a_token() -> None:
    settings = Settings(host="bot.example.org", onebot_access_token="s3cret")
    with pytest.raises(SettingsError) as info:
        settings.check_safe_to_listen()
    message = str(info.value)
    assert "HOST=bot.example.org" in message
    assert "0.0.0.0" in message
