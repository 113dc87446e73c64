"""Stored term weights (record_terms): a post stores its weights, the similarity index's build
reads them and cuts nothing, gives the very index that cutting every record gives, and writes
back the weights of records that had none (or whose text or dictionary changed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import delete, update
from sqlmodel import select

from bot.core.intake import index as index_module
from bot.core.intake import terms as terms_module
from bot.core.models import Record, RecordTerms
from bot.core.text import SimilarityIndex
from bot.core.text.stored import decode_weights
from bot.core.text.weights import term_weights
from tests.core.text import text_samples
from tests.intake_helpers import LIFT, LIFT_TITLE, SEWAGE, SEWAGE_TITLE, register, submit

if TYPE_CHECKING:
    from bot.core.services import Services

DOCS = [
    (getattr(text_samples, name), getattr(text_samples, name.removesuffix("_TITLE")))
    for name in dir(text_samples)
    if name.endswith("_TITLE")
]


async def _post_samples(services: Services) -> list[Record]:
    zhang = await register(services, "20001", "张三")
    posts = [*((title, body, "#提案") for title, body in DOCS[:12])]
    posts += [(SEWAGE_TITLE, SEWAGE, "#社情民意"), (LIFT_TITLE, LIFT, "#议题")]
    records = []
    for title, body, tag in posts:
        records.append(await submit(services, zhang, title, body, tag))
        services.intake.throttle.reset()  # (six posts a minute)
    return records


def _cut_everything(records: list[Record]) -> SimilarityIndex:
    """The index as it was built before the weights were stored: every record cut again."""
    index = SimilarityIndex()
    for record in records:
        index.add(
            record.id or 0, record.body, year=record.year, kind=record.kind, title=record.title
        )
    index.refresh()
    return index


def _same(built: SimilarityIndex, reference: SimilarityIndex) -> None:
    """The same vocabulary, vectors, postings and norms (so the same answers to every query)."""
    with built._lock, reference._lock:
        assert built._export() == reference._export()
        assert built._slot_of == reference._slot_of
        assert (built._norm[: len(built._key)] == reference._norm[: len(reference._key)]).all()
    for title, body in DOCS[:12]:
        kwargs = {"years": None, "title": title, "min_score": 0.0, "k": 5}
        assert built.query(body, **kwargs) == reference.query(body, **kwargs)


async def _stored(services: Services) -> dict[int, RecordTerms]:
    async with services.db.session() as session:
        return {row.record_id: row for row in (await session.exec(select(RecordTerms))).all()}


@pytest.fixture(autouse=True)
def no_snapshot(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds from the database alone (a snapshot would hold these records already)."""
    monkeypatch.setattr(services.similarity, "snapshot", None)


def _no_cutting(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, title: str = "") -> dict[str, float]:
        raise AssertionError(f"cut again: {title}")

    monkeypatch.setattr(index_module, "term_weights", refuse)


async def test_a_post_stores_its_weights(services: Services) -> None:
    records = await _post_samples(services)
    stored = await _stored(services)
    assert set(stored) == {r.id for r in records}
    for record in records:
        weights = decode_weights(stored[record.id or 0].terms)
        assert weights == term_weights(record.body, record.title)
        assert list(weights or {}) == list(term_weights(record.body, record.title))


async def test_the_build_reads_them_and_cuts_nothing(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = await _post_samples(services)
    services.similarity.reset()
    _no_cutting(monkeypatch)
    assert await services.similarity.rebuild_index() == len(records)
    async with services.db.session() as session:
        rows = (await session.exec(select(Record).order_by(Record.id))).all()
    _same(services.similarity.index, _cut_everything(list(rows)))


async def test_records_without_weights_get_them_on_the_next_build(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = await _post_samples(services)
    async with services.db.session() as session:
        await session.exec(delete(RecordTerms))  # as after the upgrade to 0008
        await session.commit()
    services.similarity.reset()
    await services.similarity.rebuild_index()
    assert set(await _stored(services)) == {r.id for r in records}
    # the next build cuts nothing and gives the same index
    services.similarity.reset()
    _no_cutting(monkeypatch)
    await services.similarity.rebuild_index()
    _same(services.similarity.index, _cut_everything(records))


async def test_weights_of_another_text_or_dictionary_are_not_used(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = await _post_samples(services)
    edited, other = records[0], records[1]
    async with services.db.session() as session:
        await session.exec(
            update(Record).where(Record.id == edited.id).values(title="关于完善城区停车设施的建议")
        )
        await session.exec(
            update(RecordTerms).where(RecordTerms.record_id == other.id).values(signature="old")
        )
        await session.commit()
    services.similarity.reset()
    await services.similarity.rebuild_index()
    stored = await _stored(services)
    assert decode_weights(stored[edited.id or 0].terms) == term_weights(
        edited.body, "关于完善城区停车设施的建议"
    )
    assert stored[other.id or 0].signature == terms_module.engine_signature()
    async with services.db.session() as session:
        rows = (await session.exec(select(Record).order_by(Record.id))).all()
    _same(services.similarity.index, _cut_everything(list(rows)))


async def test_weights_that_cannot_be_stored_do_not_stop_the_index(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    records = await _post_samples(services)
    async with services.db.session() as session:
        await session.exec(delete(RecordTerms))
        await session.commit()

    def locked(*_args: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(index_module, "write_terms", locked)
    services.similarity.reset()
    assert await services.similarity.rebuild_index() == len(records)
    assert services.similarity.ready
    assert await _stored(services) == {}  # computed again by the next build
