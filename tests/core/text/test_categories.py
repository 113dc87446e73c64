from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.core.text import CategoryFileError, CategoryLexicon, Classification
from bot.core.text.segmenter import DEFAULT_DATA_DIR
from tests.core.text import text_samples as s

if TYPE_CHECKING:
    from pathlib import Path

FIVE_IN_ONE = ("经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "其他")


@pytest.fixture(scope="module")
def lexicon() -> CategoryLexicon:
    return CategoryLexicon.load(DEFAULT_DATA_DIR / "categories.toml")


def test_default_file_has_five_in_one_plus_other_with_rich_keywords(
    lexicon: CategoryLexicon,
) -> None:
    assert lexicon.names == FIVE_IN_ONE
    assert lexicon.fallback == "其他"
    for name in FIVE_IN_ONE:
        assert len(lexicon.keywords(name)) >= 30, name
    assert {"教育", "医疗", "养老", "就业", "社保", "托育"} <= set(lexicon.keywords("社会建设"))


def test_load_default_prefers_the_county_file(tmp_path: Path) -> None:
    assert CategoryLexicon.load_default(tmp_path).names == FIVE_IN_ONE
    (tmp_path / "categories.toml").write_text(
        '[[category]]\nname = "三农"\nkeywords = ["农业:3"]\n', encoding="utf-8"
    )
    assert CategoryLexicon.load_default(tmp_path).names == ("三农", "其他")


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (s.SEWAGE_TITLE, s.SEWAGE, "生态文明建设"),
        (s.GARBAGE_TITLE, s.GARBAGE, "生态文明建设"),
        (s.FOOD_TITLE, s.FOOD, "社会建设"),
        (s.LIFT_TITLE, s.LIFT, "社会建设"),
        (s.CLINIC_TITLE, s.CLINIC, "社会建设"),
        (s.ELDERLY_TITLE, s.ELDERLY, "社会建设"),
        (s.BUSINESS_TITLE, s.BUSINESS, "经济建设"),
        (s.HERITAGE_TITLE, s.HERITAGE, "文化建设"),
        (s.PETITION_TITLE, s.PETITION, "政治建设"),
        (
            "关于做好退役军人服务保障工作的建议",
            "退役军人服务站人员不足，双拥工作有待加强。",
            "其他",
        ),
    ],
)
def test_classifies_realistic_proposals(
    lexicon: CategoryLexicon, title: str, body: str, expected: str
) -> None:
    result = lexicon.classify(body, title=title)
    assert result.category == expected
    assert result.score > 0
    assert result.matched


def test_nothing_matched_falls_back(lexicon: CategoryLexicon) -> None:
    assert lexicon.classify("今天天气不错，大家辛苦了") == Classification("其他", 0.0, [])
    assert lexicon.classify("") == Classification("其他", 0.0, [])


def test_score_below_min_score_falls_back(lexicon: CategoryLexicon) -> None:
    # "经济" has weight 1, below the default file's min_score = 2
    assert lexicon.classify("谈谈经济").category == "其他"


def test_title_outweighs_body(lexicon: CategoryLexicon) -> None:
    body = "学校周边的河道污染严重，学校希望治理。"
    assert lexicon.classify(body, title="关于学校周边河道污染治理的建议").category == "生态文明建设"
    assert lexicon.classify(body, title="关于学校周边安全的建议").category != "生态文明建设"


def test_longest_keyword_wins_inside_a_compound(lexicon: CategoryLexicon) -> None:
    result = lexicon.classify("农村人居环境整治要久久为功")
    assert result.category == "生态文明建设"
    assert "人居环境整治" in result.matched or "农村人居环境" in result.matched
    assert "人居环境" not in result.matched


def test_matched_keywords_are_strongest_first(lexicon: CategoryLexicon) -> None:
    result = lexicon.classify(s.SEWAGE, title=s.SEWAGE_TITLE)
    assert result.matched[0] == "生活污水"


def test_county_can_replace_the_categories(tmp_path: Path) -> None:
    path = tmp_path / "categories.toml"
    path.write_text(
        """
# 本县分类
fallback = "其他"

[[category]]
name = "三农"
keywords = ["农业:3", "农村", "高标准农田：3", "乡村振兴:2"]

[[category]]
name = "城建环保"
keywords = ["污水:3", "垃圾:2", "老旧小区:3", "加装电梯:3"]

[[category]]
name = "教科文卫"
keywords = ["教育:3", "学校:2", "医院:3", "医共体:3", "食品安全:2"]
""",
        encoding="utf-8",
    )
    lexicon = CategoryLexicon.load(path)
    assert lexicon.names == ("三农", "城建环保", "教科文卫", "其他")
    assert lexicon.keywords("其他") == {}
    assert lexicon.keywords("三农")["高标准农田"] == 3.0
    assert lexicon.classify(s.LIFT, title=s.LIFT_TITLE).category == "城建环保"
    assert lexicon.classify(s.CLINIC, title=s.CLINIC_TITLE).category == "教科文卫"
    assert lexicon.classify("关于高标准农田建设的建议").category == "三农"
    assert lexicon.classify("关于优化营商环境的建议").category == "其他"
    assert lexicon.resolve(" 城建环保 ") == "城建环保"
    assert lexicon.resolve("不存在") is None
    with pytest.raises(KeyError):
        lexicon.keywords("不存在")


def test_ties_go_to_the_category_listed_first() -> None:
    lexicon = CategoryLexicon([("甲类", {"水利": 2.0}), ("乙类", {"水利": 2.0})])
    assert lexicon.classify("水利").category == "甲类"


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "categories.toml"
    path.write_text(content, encoding="utf-8")
    return path


GOOD_HEAD = 'fallback = "其他"\n\n[[category]]\nname = "社会建设"\n'


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (GOOD_HEAD + 'keywords = [“教育”, "医疗"]\n', ["第 5 行", "格式错误", "中文标点"]),
        (GOOD_HEAD + 'keywords = ["教育:abc"]\n', ["第 5 行", "社会建设", "教育:abc", "数字"]),
        (GOOD_HEAD + 'keywords = ["教育:0"]\n', ["第 5 行", "正数"]),
        (GOOD_HEAD + 'keywords = ["学"]\n', ["第 5 行", "“学”", "至少两个字"]),
        (GOOD_HEAD + 'keywords = ["教育",\n  "教育:2"]\n', ["第 6 行", "重复"]),
        (GOOD_HEAD + 'keywords = "教育"\n', ["第 5 行", "方括号列表"]),
        (GOOD_HEAD + "keywords = [3]\n", ["双引号"]),
        (GOOD_HEAD + 'keyword = ["教育"]\n', ["第 5 行", "keyword", "只能写 name 和 keywords"]),
        ('fallback = "其他"\nmin_score = -1\n', ["第 2 行", "min_score"]),
        ('fallback = "其他"\n', ["没有任何类别", "[[category]]"]),
        ('fallbak = "其他"\n[[category]]\nname = "甲"\n', ["第 1 行", "fallbak"]),
        ('[[category]]\nkeywords = ["教育"]\n', ["第 1 个 [[category]]", "name"]),
        (
            '[[category]]\nname = "甲"\n\n[[category]]\nname = "甲"\n',
            ["第 2 个 [[category]]（第 4 行起）", "重复"],
        ),
    ],
)
def test_bad_files_are_reported_in_chinese_with_line_and_key(
    tmp_path: Path, content: str, fragments: list[str]
) -> None:
    with pytest.raises(CategoryFileError) as caught:
        CategoryLexicon.load(write(tmp_path, content))
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(CategoryFileError, match="找不到"):
        CategoryLexicon.load(tmp_path / "nope.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes('[[category]]\nname = "教育"\n'.encode("gbk"))
    with pytest.raises(CategoryFileError, match="UTF-8"):
        CategoryLexicon.load(path)
