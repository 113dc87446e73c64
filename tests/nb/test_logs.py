"""The log bridge: the core's standard-library log lines reach NoneBot's loguru log."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from nonebot.log import LoguruHandler, logger

from bot.nb.logs import bridge_std_logging, level_number

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def loguru_lines() -> Iterator[list[tuple[str, str]]]:
    """(level, message) of what loguru receives meanwhile; the bridge undone after."""
    lines: list[tuple[str, str]] = []
    sink = logger.add(
        lambda message: lines.append((message.record["level"].name, message.record["message"])),
        level=0,
    )
    bot_logger = logging.getLogger("bot")
    level, handlers = bot_logger.level, list(bot_logger.handlers)
    try:
        yield lines
    finally:
        logger.remove(sink)
        bot_logger.setLevel(level)
        bot_logger.handlers[:] = handlers


def test_core_info_lines_reach_loguru(loguru_lines: list[tuple[str, str]]) -> None:
    bridge_std_logging("INFO")
    logging.getLogger("bot.core.intake.service").info("similarity index ready: %d records", 12)
    logging.getLogger("bot.core.db").debug("below the level")
    assert ("INFO", "similarity index ready: 12 records") in loguru_lines
    assert not any("below the level" in line[1] for line in loguru_lines)


def test_the_level_follows_the_setting(loguru_lines: list[tuple[str, str]]) -> None:
    bridge_std_logging("DEBUG")
    logging.getLogger("bot.core.db").debug("a debug line")
    bridge_std_logging("WARNING")
    logging.getLogger("bot.core.db").info("an info line")
    logging.getLogger("bot.core.db").warning("a warning line")
    assert [line[1] for line in loguru_lines] == ["a debug line", "a warning line"]


def test_bridging_twice_logs_each_line_once(loguru_lines: list[tuple[str, str]]) -> None:
    bridge_std_logging("INFO")
    bridge_std_logging("INFO")
    logging.getLogger("bot.core.changes").info("once")
    assert [line[1] for line in loguru_lines] == ["once"]
    bridged = [h for h in logging.getLogger("bot").handlers if isinstance(h, LoguruHandler)]
    assert len(bridged) == 1


def test_exceptions_keep_their_traceback(loguru_lines: list[tuple[str, str]]) -> None:
    seen: list[object] = []
    sink = logger.add(lambda message: seen.append(message.record["exception"]), level=0)
    try:
        bridge_std_logging("INFO")
        try:
            raise ValueError("broken snapshot")
        except ValueError:
            logging.getLogger("bot.core.text.similarity").exception("could not load")
    finally:
        logger.remove(sink)
    assert ("ERROR", "could not load") in loguru_lines
    assert seen
    assert seen[0] is not None
    assert seen[0].type is ValueError


@pytest.mark.parametrize(
    ("level", "number"),
    [("INFO", 20), ("debug", 10), ("TRACE", 5), ("SUCCESS", 25), (30, 30), ("NOPE", 20)],
)
def test_loguru_level_names(level: str | int, number: int) -> None:
    assert level_number(level) == number
