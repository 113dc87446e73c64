"""bot.app: how the NoneBot application is put together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import app

if TYPE_CHECKING:
    import pytest


def test_plugins_load_one_by_one_in_name_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # nonebot.load_all_plugins iterates a set: the order of start-up hooks and of commands in
    # 帮助 then changed with PYTHONHASHSEED. The project loads its plugins in a fixed order.
    loaded: list[str] = []
    monkeypatch.setattr(app.nonebot, "load_plugin", loaded.append)
    app.load_project_plugins()
    expected = sorted(p.name for p in app.PLUGINS_DIR.iterdir() if (p / "__init__.py").is_file())
    assert loaded == [f"bot.plugins.{name}" for name in expected]
    assert {"runtime", "schedule", "router", "intake"} <= set(expected)
