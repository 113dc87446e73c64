"""Plugin metadata: every plugin here speaks OneBot V11 only."""

from __future__ import annotations

from nonebot.plugin import PluginMetadata


def plugin_meta(name: str, description: str, usage: str) -> PluginMetadata:
    """`__plugin_meta__` of one of this bot's plugins."""
    return PluginMetadata(
        name=name, description=description, usage=usage, supported_adapters={"~onebot.v11"}
    )
