"""The similarity index's snapshot file: the term vectors, so that a start-up at national scale
need not tokenise every record again (tokenisation costs ~2-3 ms a proposal).

A ``marshal`` dict: ``format`` (:data:`SNAPSHOT_FORMAT`), ``signature`` (the dictionary and stop
words in use: ``engine_signature``; another one makes the snapshot useless), ``terms`` (the
vocabulary) and ``docs`` (:data:`~bot.core.text.vectors.StoredDoc` tuples). Written atomically.
It is a cache, not a record: the truth stays in the database.
"""

from __future__ import annotations

import logging
import marshal
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.text.segmenter import engine_signature

if TYPE_CHECKING:
    from bot.core.text.vectors import StoredDoc

logger = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1


def write_snapshot(path: Path | str, terms: list[str], docs: list[StoredDoc]) -> None:
    """Write a snapshot to ``path`` (atomically: a reader sees the old file or the new one)."""
    path = Path(path)
    payload = {
        "format": SNAPSHOT_FORMAT,
        "signature": engine_signature(),
        "terms": terms,
        "docs": docs,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(marshal.dumps(payload))
    os.replace(partial, path)


def read_snapshot(path: Path | str) -> tuple[list[str], list[StoredDoc]] | None:
    """The terms and documents of a snapshot; None if the file is missing, unreadable or was
    made with another dictionary (then every record is added again)."""
    path = Path(path)
    try:
        payload = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as exc:
        logger.warning("similarity snapshot %s unreadable (%s); rebuilding", path, exc)
        return None
    if not isinstance(payload, dict) or payload.get("format") != SNAPSHOT_FORMAT:
        logger.warning("similarity snapshot %s has an unknown format; rebuilding", path)
        return None
    if payload.get("signature") != engine_signature():
        logger.info("similarity snapshot %s made with another dictionary; rebuilding", path)
        return None
    try:
        return payload["terms"], payload["docs"]
    except KeyError as exc:
        logger.warning("similarity snapshot %s is damaged (%s); rebuilding", path, exc)
        return None
