"""ChannelService.parse_kind: the words after `本群 设为`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import ChannelKind

if TYPE_CHECKING:
    from bot.core.services import Services


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["全体群"], (ChannelKind.WHOLE, None)),
        (["机关群"], (ChannelKind.STAFF, None)),
        (["承办单位群"], (ChannelKind.UNIT, None)),
        (["界别群", "农业界"], (ChannelKind.SECTOR, "农业界")),
        (["界别群", "民革"], (ChannelKind.SECTOR, "中国国民党革命委员会")),
        (["界别群农业界"], (ChannelKind.SECTOR, "农业界")),
    ],
)
def test_parse_kind(services: Services, words: list[str], expected: tuple) -> None:
    assert services.channels.parse_kind(words) == expected


@pytest.mark.parametrize(
    ("words", "fragment"),
    [
        ([], "要把本群设为哪种群"),
        (["聊天群"], "不认识“聊天群”"),
        (["界别群"], "界别群需要写明界别"),
    ],
)
def test_parse_kind_refusals_say_what_to_type(
    services: Services, words: list[str], fragment: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        services.channels.parse_kind(words)
    assert fragment in info.value.message
    assert "本群 设为" in info.value.message
