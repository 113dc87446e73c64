"""Initialise jieba once per test session, with its cache under pytest's temp dir."""

from __future__ import annotations

import pytest

from bot.core.text import DEFAULT_DATA_DIR, init_text_engine


@pytest.fixture(scope="session", autouse=True)
def text_engine(tmp_path_factory: pytest.TempPathFactory) -> None:
    init_text_engine(DEFAULT_DATA_DIR, tmp_path_factory.mktemp("jieba-cache"))
