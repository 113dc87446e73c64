"""The core's log lines in NoneBot's log.

bot/core logs through the standard library (``logging.getLogger(__name__)``: it knows nothing of
NoneBot), and NoneBot logs through loguru. Without a bridge the core's INFO lines (the similarity
index, the migrations, the outbox) went nowhere: the standard library drops records below
WARNING when no handler is configured. :func:`bridge_std_logging` hands the ``bot`` loggers'
records to loguru at the level the bot was started with, as nonebot-plugin-apscheduler does for
APScheduler's logger.
"""

from __future__ import annotations

import logging

from nonebot.log import LoguruHandler, logger

#: The standard-library loggers whose records go to NoneBot's log (their children included).
BRIDGED = ("bot",)


def level_number(level: str | int) -> int:
    """A loguru level name (TRACE, SUCCESS... included) or number as a standard-library level."""
    if isinstance(level, int):
        return level
    try:
        return logger.level(level.upper()).no
    except ValueError:
        return logging.INFO


def bridge_std_logging(level: str | int = "INFO") -> None:
    """Send the records of the :data:`BRIDGED` loggers at ``level`` and above to loguru.

    Calling it again replaces the bridge (one handler, never two: no line is logged twice).
    The records still propagate, so pytest's log capture sees them too.
    """
    for name in BRIDGED:
        std_logger = logging.getLogger(name)
        std_logger.setLevel(level_number(level))
        for handler in list(std_logger.handlers):
            if isinstance(handler, LoguruHandler):
                std_logger.removeHandler(handler)
        std_logger.addHandler(LoguruHandler())
