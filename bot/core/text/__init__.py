"""Framework-free text engine: segmentation, categories, keywords, similarity, suggestions.

Call :func:`init_text_engine` once at start-up, off the event loop::

    await asyncio.to_thread(init_text_engine, data_dir, data_dir / "cache")
"""

from bot.core.text.categories import (
    CategoryFileError,
    CategoryLexicon,
    Classification,
)
from bot.core.text.keywords import extract_keywords
from bot.core.text.segmenter import (
    DEFAULT_DATA_DIR,
    TextEngineError,
    init_text_engine,
    text_engine_ready,
    tokenize,
)
from bot.core.text.similarity import DEFAULT_MIN_SCORE, Match, SimilarityIndex
from bot.core.text.suggestion import has_concrete_suggestion

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_MIN_SCORE",
    "CategoryFileError",
    "CategoryLexicon",
    "Classification",
    "Match",
    "SimilarityIndex",
    "TextEngineError",
    "extract_keywords",
    "has_concrete_suggestion",
    "init_text_engine",
    "text_engine_ready",
    "tokenize",
]
