from __future__ import annotations

from bot.core.text import SimilarityIndex, extract_keywords, tokenize
from bot.core.text.segmenter import stopwords
from tests.core.text import text_samples as s


def test_keywords_of_a_real_proposal_name_its_matter() -> None:
    keywords = extract_keywords(s.SEWAGE, title=s.SEWAGE_TITLE)
    assert len(keywords) == 8
    assert keywords[0] == "生活污水"
    assert "污水管网" in keywords
    assert not set(keywords) & stopwords()


def test_keywords_differ_between_matters() -> None:
    lift = extract_keywords(s.LIFT, k=4, title=s.LIFT_TITLE)
    food = extract_keywords(s.FOOD, k=4, title=s.FOOD_TITLE)
    assert {"加装电梯", "老旧小区"} <= set(lift)
    assert "校园食品安全" in food
    assert not set(lift) & set(food)


def test_keywords_come_from_the_text_in_a_stable_order() -> None:
    tokens = set(tokenize(s.BUSINESS_TITLE + s.BUSINESS))
    first = extract_keywords(s.BUSINESS, k=6, title=s.BUSINESS_TITLE)
    assert set(first) <= tokens
    assert first == extract_keywords(s.BUSINESS, k=6, title=s.BUSINESS_TITLE)


def test_a_word_inside_a_better_keyword_is_not_repeated() -> None:
    keywords = extract_keywords("生活污水 生活污水 生活污水 污水 化粪池", k=5)
    assert keywords[0] == "生活污水"
    assert "污水" not in keywords
    assert "化粪池" in keywords


def test_k_limits_and_degenerate_inputs() -> None:
    assert extract_keywords(s.CLINIC, k=3, title=s.CLINIC_TITLE)[:1] == ["县域医共体"]
    assert len(extract_keywords(s.CLINIC, k=3)) == 3
    assert extract_keywords(s.CLINIC, k=0) == []
    assert extract_keywords("") == []
    assert extract_keywords("关于进一步加强的建议！！！") == []


def test_index_document_frequencies_demote_words_every_document_shares() -> None:
    index = SimilarityIndex()
    for doc_id in range(40):
        index.add(doc_id, f"乡镇卫生院服务群众第{doc_id}项", year=2026)
    text = "乡镇卫生院门诊量下降，医共体专家下沉不够。"
    plain = extract_keywords(text, k=3)
    informed = extract_keywords(text, k=3, index=index)
    assert "卫生院" in plain
    assert "卫生院" not in informed
    assert "医共体" in informed
