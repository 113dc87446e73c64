"""docs/配置参考.md is generated from bot.settings.Settings: current, covering every field, and
.env.example names every field too."""

from __future__ import annotations

import re

from bot.devtools import config_doc
from bot.settings import PROJECT_ROOT


def test_every_setting_has_a_description() -> None:
    missing = config_doc.undocumented()
    assert not missing, f"settings without a description in bot/devtools/config_doc.py: {missing}"


def test_the_reference_is_current() -> None:
    current = config_doc.TARGET.read_text(encoding="utf-8")
    assert current == config_doc.render(), (
        "docs/配置参考.md is out of date: run `python -m bot.devtools.config_doc`"
    )


def test_the_reference_has_a_row_per_field() -> None:
    text = config_doc.TARGET.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.M))
    fields = {config_doc.env_name(name) for name in config_doc.setting_fields()}
    assert not fields - rows, f"fields without a row: {sorted(fields - rows)}"
    assert not rows - fields, f"rows for no field: {sorted(rows - fields)}"


def test_env_example_names_every_setting() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^\s*#?\s*([A-Z_]+)=", example, flags=re.M))
    fields = {config_doc.env_name(name) for name in config_doc.setting_fields()}
    missing = sorted(fields - named)
    assert not missing, f".env.example does not name: {missing}"


def test_check_mode_agrees() -> None:
    assert config_doc.main(["--check"]) == 0
