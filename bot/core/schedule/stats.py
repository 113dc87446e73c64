"""Moved to bot/core/stats (one package computes every figure); this name stays for callers
written against it."""

from bot.core import stats as _stats
from bot.core.stats import *  # noqa: F403

__all__ = _stats.__all__
