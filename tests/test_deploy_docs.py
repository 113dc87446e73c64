"""docs/部署指南.md and deploy/cppcc-bot.service: the unit runs `python -m bot` the way the
tests stop it (SIGINT, as Ctrl-C), writes only its data folder, and the guide's client settings
are valid JSON pointing at the bot's reverse WebSocket path."""

from __future__ import annotations

import configparser
import json
import re

from bot.settings import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "部署指南.md"
UNIT = PROJECT_ROOT / "deploy" / "cppcc-bot.service"
WS_PATH = "/onebot/v11/ws"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_unit_runs_the_bot_and_stops_it_like_ctrl_c() -> None:
    service = unit()["Service"]
    workdir = service["WorkingDirectory"]
    assert service["ExecStart"] == f"{workdir}/.venv/bin/python -m bot"
    assert service["KillSignal"] == "SIGINT"
    assert service["ReadWritePaths"] == f"{workdir}/data"
    assert service["Restart"] == "on-failure"
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


def test_the_guide_names_the_unit_and_the_commands_that_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "deploy/cppcc-bot.service" in text
    for command in ("python -m bot db backup", "python -m bot db upgrade", "members import"):
        assert command in text


def test_the_client_settings_in_the_guide_are_json_for_the_bot_path() -> None:
    blocks = re.findall(r"```json\n(.*?)\n```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    settings = [json.loads(block) for block in blocks]
    napcat = next(s for s in settings if "network" in s)["network"]["websocketClients"][0]
    assert napcat["url"].endswith(WS_PATH)
    assert napcat["messagePostFormat"] == "array"
    lagrange = next(s for s in settings if "Implementations" in s)["Implementations"][0]
    assert lagrange["Type"] == "ReverseWebSocket"
    assert lagrange["Suffix"] == WS_PATH
    assert lagrange["Port"] == 8080  # the default PORT
