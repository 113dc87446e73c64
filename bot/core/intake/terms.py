"""Records' stored term weights (``record_terms``): written with a post (its weights are ready),
read when the similarity index is built, and written back for records that had none or whose
text or dictionary changed (so the next build cuts nothing). See bot/core/text/stored.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from bot.core.models import Record, RecordTerms
from bot.core.text.segmenter import engine_signature
from bot.core.text.stored import decode_weights, encode_weights, text_digest

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from bot.core.db import Database

#: Ids per statement when replacing stored weights.
READ_BATCH = 900
StoredRow = tuple[int, str, int, str, str, str, tuple[str, str] | None]
"""(id, kind, year, title, body, content hash, (digest, encoded weights) or None)."""
TermsItem = tuple[int, str, str, str, dict[str, float]]
"""(record id, kind, title, body, weights): what is written back."""


def terms_row(
    record_id: int, kind: str, title: str, body: str, weights: dict[str, float]
) -> dict[str, Any]:
    """The ``record_terms`` row of a record's weights (under the current dictionary)."""
    return {
        "record_id": record_id,
        "signature": engine_signature(),
        "digest": text_digest(kind, title, body),
        "terms": encode_weights(weights),
    }


def index_rows(
    session: Session, since_year: int, not_indexed: Collection[str], after: int, limit: int
) -> tuple[list[StoredRow], int | None]:
    """The records the similarity index holds (from ``since_year``, not in a ``not_indexed``
    status), ``limit`` of them from id ``after`` on, with their weights stored under the
    dictionary in use (or None); and the id to go on after (None: that was the last)."""
    terms = outerjoin_terms()
    rows = session.exec(
        select(
            Record.id,
            Record.kind,
            Record.year,
            Record.title,
            Record.body,
            Record.content_hash,
            terms.c.digest,
            terms.c.terms,
        )
        .outerjoin(terms, terms.c.record_id == Record.id)
        .where(
            Record.year >= since_year,
            col(Record.status).not_in(list(not_indexed)),
            col(Record.id) > after,
        )
        .order_by(col(Record.id))
        .limit(limit)
    ).all()
    found = [
        (r[0] or 0, r[1], r[2], r[3], r[4], r[5], None if r[6] is None else (r[6], r[7]))
        for r in rows
    ]
    return found, (found[-1][0] if len(found) == limit else None)


def outerjoin_terms() -> Any:
    """record_terms rows made with the dictionary in use (others are as good as missing)."""
    return (
        select(RecordTerms.record_id, RecordTerms.digest, RecordTerms.terms)
        .where(RecordTerms.signature == engine_signature())
        .subquery()
    )


def stored_weights(stored: tuple[str, str] | None, digest: str) -> dict[str, float] | None:
    """The weights stored for the text whose ``text_digest`` is ``digest``, or None (missing,
    stored for another text, damaged)."""
    if stored is None or stored[0] != digest:
        return None
    return decode_weights(stored[1])


def write_terms(session: Session, db: Database, items: Sequence[TermsItem]) -> None:
    """Store (replace) the weights of records, in the caller's synchronous transaction, and
    commit. Another process writing the same record's at the same moment wins quietly: its
    weights are the same."""
    if not items:
        return
    ids = [item[0] for item in items]
    for start in range(0, len(ids), READ_BATCH):
        session.exec(
            delete(RecordTerms).where(
                col(RecordTerms.record_id).in_(ids[start : start + READ_BATCH])
            )
        )  # type: ignore[call-overload]
    statement = db.insert_or_ignore(RecordTerms.__table__)  # type: ignore[arg-type]
    rows = [terms_row(*item) for item in items]
    session.exec(statement, params=rows)  # type: ignore[call-overload]
    session.commit()
