from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.text import (
    DEFAULT_MIN_SCORE,
    CategoryLexicon,
    Match,
    SimilarityIndex,
    extract_keywords,
    has_concrete_suggestion,
    tokenize,
)
from bot.core.text import similarity as sim
from bot.core.text.segmenter import engine_signature
from tests.core.text import text_samples as s

if TYPE_CHECKING:
    from pathlib import Path

BASE = {
    1: (s.SEWAGE_TITLE, s.SEWAGE),
    2: (s.FOOD_TITLE, s.FOOD),
    3: (s.LIFT_TITLE, s.LIFT),
    4: (s.CLINIC_TITLE, s.CLINIC),
    5: (s.WATER_TITLE, s.WATER),
    6: (s.BUSINESS_TITLE, s.BUSINESS),
    7: (s.SAND_TITLE, s.SAND),
    8: (s.VILLAGE_DOCTOR_TITLE, s.VILLAGE_DOCTOR),
    9: (s.HOMEWORK_TITLE, s.HOMEWORK),
    10: (s.ELDERLY_TITLE, s.ELDERLY),
    11: (s.GARBAGE_TITLE, s.GARBAGE),
    12: (s.HERITAGE_TITLE, s.HERITAGE),
    13: (s.PETITION_TITLE, s.PETITION),
}


def build(skip: int | None = None, year: int = 2026) -> SimilarityIndex:
    index = SimilarityIndex()
    for doc_id, (title, body) in BASE.items():
        if doc_id != skip:
            index.add(doc_id, body, year=year, title=title)
    return index


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    return build()


# ---- calibration of DEFAULT_MIN_SCORE -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "original"),
    [
        (s.SEWAGE_REWORDED_TITLE, s.SEWAGE_REWORDED, 1),
        (s.SEWAGE_SHORT_TITLE, s.SEWAGE_SHORT, 1),
        (s.FOOD_REWORDED_TITLE, s.FOOD_REWORDED, 2),
        (s.LIFT_REWORDED_TITLE, s.LIFT_REWORDED, 3),
        (s.CLINIC_REWORDED_TITLE, s.CLINIC_REWORDED, 4),
        (s.BUSINESS_REWORDED_TITLE, s.BUSINESS_REWORDED, 6),
    ],
)
def test_another_wording_of_the_same_matter_matches(
    index: SimilarityIndex, title: str, body: str, original: int
) -> None:
    matches = index.query(body, title=title, years=[2026])
    assert matches
    assert matches[0].doc_id == original
    assert matches[0].score >= DEFAULT_MIN_SCORE + 0.05  # with a margin
    assert all(m.doc_id == original for m in matches)  # nothing else reaches the threshold


@pytest.mark.parametrize(
    ("query_id", "neighbour_id"),
    [
        (7, 1),  # river sand mining vs rural sewage (both water)
        (5, 1),  # drinking water vs sewage
        (11, 1),  # rural garbage vs rural sewage (both 人居环境)
        (9, 2),  # homework burden vs school food safety (both schools)
        (8, 4),  # village doctors vs county medical alliance (both health)
        (10, 3),  # community elderly care vs lifts in old estates (both the elderly)
    ],
)
def test_same_broad_area_is_not_the_same_matter(query_id: int, neighbour_id: int) -> None:
    index = build(skip=query_id)
    title, body = BASE[query_id]
    assert index.query(body, title=title, years=[2026]) == []
    scores = index.query(body, title=title, years=[2026], k=20, min_score=0.0)
    neighbour = next((m.score for m in scores if m.doc_id == neighbour_id), 0.0)
    assert neighbour < DEFAULT_MIN_SCORE - 0.1  # with a margin


@pytest.mark.parametrize(
    ("title", "body", "neighbour_id"),
    [
        (
            "关于推进城镇污水处理厂提标改造的建议",
            "县城污水处理厂建成于2008年，出水执行一级B标准，处理能力已经饱和，雨季满负荷运行。"
            "建议实施提标扩容改造，出水达到一级A标准，同步完善城区污水管网。",
            1,
        ),
        (
            "关于加强老年助餐服务的建议",
            "社区老年食堂数量少，运营靠补贴，菜品单一，送餐服务覆盖不到高龄独居老人。建议加大老年"
            "助餐点建设补贴，引入餐饮企业连锁运营，对高龄独居老人提供送餐上门服务。",
            10,
        ),
    ],
)
def test_neighbouring_matters_stay_below_the_threshold(
    index: SimilarityIndex, title: str, body: str, neighbour_id: int
) -> None:
    scores = index.query(body, title=title, years=[2026], k=20, min_score=0.0)
    assert scores[0].doc_id == neighbour_id  # the closest, yet not "the same matter"
    assert 0.05 < scores[0].score < DEFAULT_MIN_SCORE


def test_unrelated_matters_score_near_zero(index: SimilarityIndex) -> None:
    scores = index.query(s.HERITAGE, title=s.HERITAGE_TITLE, years=[2026], k=20, min_score=0.0)
    assert all(m.score < 0.1 for m in scores if m.doc_id != 12)


# ---- behaviour -----------------------------------------------------------------------------


def test_a_document_matches_itself_fully(index: SimilarityIndex) -> None:
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=[2026], k=1) == [Match(2, 1.0)]


def test_exclude_skips_the_document_itself(index: SimilarityIndex) -> None:
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=[2026], exclude=[2]) == []


def test_years_filter_and_all_years() -> None:
    index = SimilarityIndex()
    index.add(1, s.SEWAGE, year=2025, title=s.SEWAGE_TITLE)
    index.add(2, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)  # submitted again a year later
    query = {"title": s.SEWAGE_REWORDED_TITLE, "text": s.SEWAGE_REWORDED}
    assert [m.doc_id for m in index.query(years=[2026], **query)] == [2]
    assert [m.doc_id for m in index.query(years={2025}, **query)] == [1]
    assert {m.doc_id for m in index.query(years=None, **query)} == {1, 2}
    assert index.query(years=[2019], **query) == []
    assert index.query(years=[], **query) == []


def test_results_are_best_first_and_limited_to_k() -> None:
    index = SimilarityIndex()
    index.add(1, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    index.add(2, s.SEWAGE_REWORDED, year=2026, title=s.SEWAGE_REWORDED_TITLE)
    index.add(3, s.SEWAGE_SHORT, year=2026, title=s.SEWAGE_SHORT_TITLE)
    matches = index.query(s.SEWAGE, title=s.SEWAGE_TITLE, years=[2026], k=3, min_score=0.0)
    assert matches[0] == Match(1, 1.0)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(index.query(s.SEWAGE, title=s.SEWAGE_TITLE, years=[2026], k=2, min_score=0)) == 2
    assert index.query(s.SEWAGE, title=s.SEWAGE_TITLE, years=[2026], k=0) == []


def test_readding_replaces_and_remove_forgets() -> None:
    index = SimilarityIndex()
    index.add(1, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    index.add(2, s.FOOD, year=2026, title=s.FOOD_TITLE)
    assert len(index) == 2
    index.add(1, s.LIFT, year=2026, title=s.LIFT_TITLE)  # proposal 1 was edited
    assert len(index) == 2
    assert index.query(s.SEWAGE, title=s.SEWAGE_TITLE, years=[2026]) == []
    assert index.query(s.LIFT, title=s.LIFT_TITLE, years=[2026])[0].doc_id == 1
    index.add(1, s.LIFT, year=2025, title=s.LIFT_TITLE)  # moved to another year
    assert index.query(s.LIFT, title=s.LIFT_TITLE, years=[2026]) == []
    index.remove(1)
    index.remove(1)  # twice: no error
    index.remove(99)
    assert len(index) == 1
    assert 1 not in index
    assert 2 in index
    assert index.query(s.LIFT, title=s.LIFT_TITLE, years=None) == []
    index.clear()
    assert len(index) == 0
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=None) == []


def test_kinds_are_separate_id_spaces() -> None:
    index = SimilarityIndex()
    index.add(5, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    index.add(5, s.FOOD, year=2026, title=s.FOOD_TITLE, kind="opinion")
    assert len(index) == 2
    assert index.count() == 1
    assert index.count("opinion") == 1
    assert ("opinion", 5) in index
    assert index.doc_ids("opinion") == {5}
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=[2026]) == []
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=[2026], kind="opinion") == [Match(5, 1.0)]
    index.remove(5, kind="opinion")
    assert index.doc_ids() == {5}
    assert index.query(s.FOOD, title=s.FOOD_TITLE, years=[2026], kind="topic") == []


def test_title_words_weigh_more_than_body_words() -> None:
    body = "乡镇卫生院门诊量下降，学校食堂从业人员健康证过期。"
    index = SimilarityIndex()
    index.add(1, body, year=2026, title="关于提升乡镇卫生院服务能力的建议")
    index.add(2, body, year=2026, title="关于加强学校食堂管理的建议")
    matches = index.query("学校食堂管理不规范", title="学校食堂", years=[2026], k=2, min_score=0)
    assert [m.doc_id for m in matches] == [2, 1]


def test_degenerate_queries(index: SimilarityIndex) -> None:
    assert index.query("", years=[2026]) == []
    assert index.query("的了吗，。！", years=[2026]) == []
    assert index.query("完全无关的火星探测器着陆", years=[2026]) == []
    assert SimilarityIndex().query(s.FOOD, years=[2026]) == []


def test_idf_rises_for_rare_terms(index: SimilarityIndex) -> None:
    assert index.idf("乡镇") < index.idf("校园食品安全")
    assert index.idf("乡镇", "opinion") > 0


def test_finds_the_match_among_many_documents_despite_pruning() -> None:
    """Thousands of same-area documents sharing common words must not crowd out the match."""
    index = SimilarityIndex()
    towns = ["白沙镇", "青山乡", "石桥镇", "龙河乡", "桃花镇"]
    for doc_id in range(1, 1201):
        town = towns[doc_id % len(towns)]
        index.add(
            doc_id,
            f"{town}乡镇卫生院和学校食堂、农村道路、群众看病、乡镇财政第{doc_id}号情况，"
            "群众反映强烈，乡镇干部协调，资金不足。",
            year=2026,
            title=f"关于{town}第{doc_id}项民生问题的建议",
        )
    index.add(5000, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    matches = index.query(s.SEWAGE_REWORDED, title=s.SEWAGE_REWORDED_TITLE, years=[2026])
    assert matches[0].doc_id == 5000


def test_unchanged_readd_is_skipped_and_changed_one_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    index = SimilarityIndex()
    index.add(1, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    calls: list[str] = []
    original = sim.term_weights
    monkeypatch.setattr(sim, "term_weights", lambda *a: calls.append("x") or original(*a))
    index.add(1, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    assert calls == []
    index.add(1, s.SEWAGE, year=2026, title="新标题")
    assert calls == ["x"]


def test_snapshot_round_trip(tmp_path: Path) -> None:
    index = build()
    index.add(3, s.FOOD, year=2025, title=s.FOOD_TITLE, kind="opinion")
    path = tmp_path / "cache" / "similarity.snapshot"
    index.save(path)
    loaded = SimilarityIndex.load(path)
    assert len(loaded) == len(index)
    assert loaded.doc_ids() == index.doc_ids()
    for title, body in [(s.SEWAGE_REWORDED_TITLE, s.SEWAGE_REWORDED), (s.LIFT_TITLE, s.LIFT)]:
        assert loaded.query(body, title=title, years=None, k=5, min_score=0.0) == index.query(
            body, title=title, years=None, k=5, min_score=0.0
        )
    assert loaded.query(s.FOOD, title=s.FOOD_TITLE, years=[2025], kind="opinion") == [Match(3, 1.0)]
    # the loaded index keeps working as a normal one
    loaded.remove(1)
    loaded.add(20, s.SEWAGE, year=2026, title=s.SEWAGE_TITLE)
    assert loaded.query(s.SEWAGE, title=s.SEWAGE_TITLE, years=[2026], k=1) == [Match(20, 1.0)]


def test_snapshot_accepts_str_enum_kinds(tmp_path: Path) -> None:
    class Kind(StrEnum):
        OPINION = "opinion"

    index = SimilarityIndex()
    index.add(1, s.FOOD, year=2026, title=s.FOOD_TITLE, kind=Kind.OPINION)
    index.save(tmp_path / "snapshot")
    loaded = SimilarityIndex.load(tmp_path / "snapshot")
    assert loaded.query(s.FOOD, title=s.FOOD_TITLE, years=[2026], kind=Kind.OPINION) == [
        Match(1, 1.0)
    ]
    assert loaded.doc_ids("opinion") == {1}


def test_refresh_keeps_scores(index: SimilarityIndex) -> None:
    before = index.query(s.SEWAGE_REWORDED, title=s.SEWAGE_REWORDED_TITLE, years=None, k=5)
    index.refresh()
    after = index.query(s.SEWAGE_REWORDED, title=s.SEWAGE_REWORDED_TITLE, years=None, k=5)
    assert after == before


def test_snapshot_problems_give_an_empty_index(tmp_path: Path) -> None:
    assert len(SimilarityIndex.load(tmp_path / "missing")) == 0
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"not a snapshot")
    assert len(SimilarityIndex.load(garbage)) == 0
    index = build()
    stale = tmp_path / "stale"
    index.save(stale)
    import marshal

    payload = marshal.loads(stale.read_bytes())
    payload["signature"] = "another dictionary"
    stale.write_bytes(marshal.dumps(payload))
    assert len(SimilarityIndex.load(stale)) == 0
    payload["signature"] = engine_signature()
    payload["docs"] = [("proposal", 1, 2026, b"", b"\xff\xff\xff\xff", b"\x01")]
    stale.write_bytes(marshal.dumps(payload))
    assert len(SimilarityIndex.load(stale)) == 0


# ---- robustness ------------------------------------------------------------------------------

FRAGMENTS = [
    "关于",
    "建议",
    "：",
    "一是",
    "（一）",
    "1.",
    "①",
    "污水",
    "生活污水",
    "12345热线",
    "ＡＰＰ",
    "营商环境",
    "。",
    "，",
    "\n",
    " ",
    "#提案",
    "【提案】",
    "@李四",
    "2026",
    "３.５%",
    "应",
    "要",
    "加大",
    "重视",
    "😀",
    "\u200b",
    "\x00",
    "\ufeff",
    "ä",
    "ｱ",
    "한국어",
    "𠀀",
    "的",
    "了",
]
chinese_texts = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), chinese_texts)


@pytest.fixture(scope="module")
def lexicon() -> CategoryLexicon:
    return CategoryLexicon.load_default()


@given(text=any_text, title=any_text, years=st.lists(st.integers(1900, 2100), max_size=3))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_text_never_raises(
    index: SimilarityIndex, lexicon: CategoryLexicon, text: str, title: str, years: list[int]
) -> None:
    tokens = tokenize(text)
    assert all(isinstance(t, str) and t for t in tokens)
    result = lexicon.classify(text, title=title)
    assert result.category in lexicon.names
    assert isinstance(has_concrete_suggestion(text), bool)
    assert len(extract_keywords(text, k=5, title=title, index=index)) <= 5
    matches = index.query(text, title=title, years=[*years, 2026], k=3, min_score=0.0)
    assert len(matches) <= 3
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    index.add(10_000, text, year=2026, title=title)
    index.remove(10_000)
    assert 10_000 not in index
