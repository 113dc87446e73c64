"""Settings: read from `.env` and the environment (the environment wins).

NoneBot only lets the environment override keys it already knows, so the bot reads its own
settings here and hands NoneBot the resolved values (see FIELD-NOTES.md, "Config").
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import BaseModel, Field, ValidationError, field_validator

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bot.core.services import CoreConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class SettingsError(ValueError):
    """A setting is missing or wrong; the message is meant for the person starting the bot."""


class Settings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    onebot_access_token: str = ""
    # HTTP event reporting: refused unless this secret is set (then X-Signature must match).
    onebot_secret: str = ""
    superusers: list[str] = Field(default_factory=list)
    database_url: str = ""
    # The bot's time zone (display, schedules, quiet hours, working days, numbering year). Not
    # `TZ`: that is the system's (often UTC on servers) and says nothing about the office.
    bot_timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    data_dir: Path = DEFAULT_DATA_DIR
    environment: str = "prod"
    # Outbox: seconds between two messages from one bot account (QQ risk control), and jitter.
    outbox_interval: float = Field(default=1.5, ge=0)
    outbox_jitter: float = Field(default=0.3, ge=0)
    # Outbox: seconds between looks for messages queued by someone else (another process, a
    # database edit); messages the bot queues itself wake the sender at once.
    outbox_poll: float = Field(default=10.0, gt=0)
    # Minutes between two sweeps for deadline reminders, evaluation and co-sign reminders.
    reminder_sweep_minutes: int = Field(default=5, ge=1, le=60)
    # Seconds between two looks for discussions that timed out or end within the hour.
    discussion_sweep_seconds: int = Field(default=60, ge=1, le=3600)
    # Minutes between two announcements to staff of what the public left on the board.
    public_announce_minutes: int = Field(default=10, ge=1, le=1440)
    # Two instances on one database: seconds a lease (the schedules, one account's outbox)
    # lasts without renewal, and seconds between renewals; 0 turns leases off (one instance).
    lease_seconds: float = Field(default=45.0, ge=0, le=3600)
    lease_renew_seconds: float = Field(default=15.0, gt=0, le=1800)
    # This instance's name in the lease table; empty: "<host name>:<PORT>" (a restarted
    # instance is the same holder and takes its leases back at once; two instances differ).
    instance_name: str = Field(default="", max_length=100)
    # Posts a member may make per minute before the bot politely refuses.
    intake_rate_per_minute: int = Field(default=6, ge=1)
    # Default answer deadline in months after 交办.
    answer_months: int = Field(default=3, ge=1, le=6)
    # The web progress board (办理进度公开): open to anyone, or only with the staff token.
    board_public: bool = True
    # The staff token: staff pages and downloads need it (every page when BOARD_PUBLIC=false).
    board_token: str = ""
    # The board's address as people reach it (e.g. behind a reverse proxy), for the `网页` command.
    board_url: str = ""
    # 办理协商: working days after 交办 before a lead unit that has recorded no contact with the
    # proposer (沟通) is reminded; 0 turns the reminder off.
    consult_remind_workdays: int = Field(default=15, ge=0, le=120)
    # 回头看: the day ("MM-DD") the units are asked about last year's B answers, moved to the
    # next working day; empty: the first working day of the year.
    lookback_date: str = ""
    # 履职 统计: the office's yearly minimum of duty points; members below it are listed (0: no
    # minimum; members with no proposal or no opinion lead are listed anyway).
    duty_minimum_points: int = Field(default=0, ge=0, le=10000)
    # What to tell the person starting the bot about its settings (logged at start): e.g. a
    # `TZ=` line in .env, the old name of BOT_TIMEZONE. Not a setting itself.
    notices: list[str] = Field(default_factory=list, exclude=True)

    @field_validator("superusers", mode="before")
    @classmethod
    def _parse_superusers(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return []
            if text.startswith("["):
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"SUPERUSERS 不是合法的 JSON 列表: {text}") from exc
            else:
                value = [part for part in re.split(r"[,，;；\s]+", text) if part]
        if isinstance(value, list | tuple | set):
            return [str(item).strip() for item in value if str(item).strip()]
        return value

    @field_validator(
        "host",
        "onebot_access_token",
        "onebot_secret",
        "database_url",
        "instance_name",
        "board_token",
        "board_url",
        mode="before",
    )
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        # An empty host would make the server listen on every interface: use the default.
        # NoneBot takes an IP address only: "localhost" is said as the address it means.
        if not value or value.lower() == "localhost":
            return "127.0.0.1"
        return value

    @field_validator("board_url")
    @classmethod
    def _board_url(cls, value: str) -> str:
        if value and not re.match(r"https?://[^\s/]+", value):
            raise ValueError("须以 http:// 或 https:// 开头，例如 https://zx.example.gov.cn/")
        return value.rstrip("/")

    @field_validator("bot_timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("不是有效的时区名，例如 Asia/Shanghai") from exc
        return value

    @field_validator("lookback_date", mode="before")
    @classmethod
    def _lookback_date(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            return "" if value is None or isinstance(value, str) else value
        match = re.fullmatch(r"\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?\s*", value)
        if match is None:
            raise ValueError("应写成 月-日，例如 01-05；留空表示每年第一个工作日")
        month, day = int(match[1]), int(match[2])
        try:
            date(2024, month, day)  # a leap year: 02-29 is allowed (moved on in other years)
        except ValueError:
            raise ValueError("没有这一天，例如应写 01-05") from None
        return f"{month:02d}-{day:02d}"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'cppcc.db'}"

    def core_config(self) -> CoreConfig:
        """What the services (and, through them, the plugins) are given: the one reading of
        the settings a process makes (``python -m bot`` reads them once, at its start)."""
        from dataclasses import fields

        from bot.core.services import CoreConfig  # the core loads only when it is needed

        # a setting named as a CoreConfig field is handed on as it is (data_dir, answer_months,
        # outbox_poll, reminder_sweep_minutes...); these three are resolved first
        resolved = {
            "database_url": self.resolved_database_url(),
            "superusers": tuple(self.superusers),
            "timezone": self.bot_timezone,
            "instance_name": self.instance_name or f"{socket.gethostname()[:80]}:{self.port}",
        }
        same = {
            f.name: getattr(self, f.name)
            for f in fields(CoreConfig)
            if f.name in type(self).model_fields and f.name not in resolved
        }
        return CoreConfig(**resolved, **same)

    @property
    def is_loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def check_safe_to_listen(self) -> None:
        """Refuse to listen on a public interface without an access token, or on a name that is
        not an IP address (NoneBot would fail on it with a validation traceback)."""
        if not self.is_loopback and not self.onebot_access_token:
            raise SettingsError(
                f"HOST={self.host} 不是本机回环地址，但没有设置 ONEBOT_ACCESS_TOKEN。"
                "任何人都可以冒充 QQ 客户端连接机器人。请在 .env 中设置 ONEBOT_ACCESS_TOKEN"
                "（并在 NapCat/Lagrange 中填写相同的 token），或把 HOST 改为 127.0.0.1。\n"
                f"HOST={self.host} is not a loopback address and ONEBOT_ACCESS_TOKEN is empty: "
                "set a token or listen on 127.0.0.1."
            )
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            raise SettingsError(
                f"HOST={self.host} 不是 IP 地址。请写本机 127.0.0.1，或所有网卡 0.0.0.0，"
                "或本机某个网卡的 IP。\n"
                f"HOST={self.host} is not an IP address: use 127.0.0.1, 0.0.0.0 or an interface's IP."
            ) from None


_KEYS = {name.upper(): name for name in Settings.model_fields if name != "notices"}
#: The old name of BOT_TIMEZONE: read from the project's .env file only (with a notice), never
#: from the process environment, where TZ is the system's (UTC on many servers).
OLD_TIMEZONE_KEY = "TZ"
# Settings whose empty value means something ("no token", "the default database", "nobody").
_EMPTY_ALLOWED = {"onebot_access_token", "onebot_secret", "database_url", "superusers"}


def _old_timezone(from_file: Mapping[str, str | None], values: dict[str, Any]) -> list[str]:
    """A `TZ=` line in the .env file (the old name of BOT_TIMEZONE) still sets the zone when
    BOT_TIMEZONE is not set, with a notice; the process environment's TZ is never read."""
    old = next((v.strip() for k, v in from_file.items() if k.upper() == OLD_TIMEZONE_KEY and v), "")
    if not old:
        return []
    if "bot_timezone" in values:
        return [
            f".env 中的 TZ={old} 已不再使用，以 BOT_TIMEZONE={values['bot_timezone']} 为准；"
            "请删除 TZ 这一行。 / TZ in .env is ignored: BOT_TIMEZONE is set."
        ]
    values["bot_timezone"] = old
    return [
        f".env 中的 TZ={old} 是旧的设置名，仍然有效；请改为 BOT_TIMEZONE={old}"
        "（TZ 与系统的时区变量同名）。 / TZ in .env is the old name of BOT_TIMEZONE: rename it."
    ]


def load_settings(
    env_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Merge `.env` (if present) and the environment; the environment wins."""
    environ = os.environ if environ is None else environ
    if env_file is None:
        # CPPCC_ENV_FILE points at another settings file ("" = none), e.g. for tests.
        override = environ.get("CPPCC_ENV_FILE")
        if override is None:
            env_file = PROJECT_ROOT / ".env"
        elif override:
            env_file = Path(override)
    values: dict[str, Any] = {}
    sources: list[Mapping[str, str | None]] = []
    from_file: Mapping[str, str | None] = {}
    if env_file is not None and env_file.is_file():
        from_file = dotenv_values(env_file)
        sources.append(from_file)
    sources.append(environ)
    for source in sources:
        for key, value in source.items():
            name = _KEYS.get(key.upper())
            if name is None or value is None:
                continue
            if not value.strip() and name not in _EMPTY_ALLOWED:
                continue  # `PORT=` means "the default", not an invalid port
            values[name] = value
    values["notices"] = _old_timezone(from_file, values)
    try:
        return Settings(**values)
    except ValidationError as exc:  # reworded for the person starting the bot
        lines = [
            f"  {'.'.join(str(p) for p in error['loc']).upper()}={error.get('input')!r}："
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
        raise SettingsError(
            "配置有误，请检查 .env 或环境变量 / invalid settings:\n" + "\n".join(lines)
        ) from exc
