from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jieba
import pytest

from bot.core.text import DEFAULT_DATA_DIR, init_text_engine, text_engine_ready, tokenize
from bot.core.text.segmenter import (
    TextEngineError,
    _config_lines,
    _load_userdict,
    document_prior,
    stopwords,
    subwords,
)

REPO = Path(__file__).resolve().parents[3]


def userdict_words() -> list[str]:
    return [line.split()[0] for _, line in _config_lines(DEFAULT_DATA_DIR / "jieba_userdict.txt")]


def test_engine_is_ready_and_init_is_idempotent(tmp_path: Path) -> None:
    assert text_engine_ready()
    before = jieba.dt.tmp_dir
    init_text_engine(DEFAULT_DATA_DIR, tmp_path)  # second call: no-op
    assert jieba.dt.tmp_dir == before


def test_userdict_is_rich_and_every_entry_stays_one_word() -> None:
    words = userdict_words()
    assert len(words) >= 150
    assert len(set(words)) == len(words)
    for must in [
        "社情民意",
        "界别",
        "乡村振兴",
        "营商环境",
        "农村人居环境",
        "双减",
        "提案",
        "政协委员",
        "专委会",
        "协商议题",
        "人居环境整治",
        "生活污水",
        "垃圾分类",
        "医共体",
        "养老服务",
        "托育",
        "高标准农田",
        "河长制",
        "12345热线",
    ]:
        assert must in words
    broken = [w for w in words if jieba.lcut(w) != [w]]
    assert broken == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("落实双减政策，做好课后服务", ["双减", "课后服务"]),
        ("推进农村人居环境整治提升", ["农村人居环境整治"]),
        ("群众拨打12345热线反映问题", ["12345热线"]),
        ("加快县域医共体建设", ["县域医共体"]),
        ("政协委员提出社情民意信息", ["政协委员", "社情民意信息"]),
        ("实行河长制以来河道明显变清", ["河长制", "河道"]),
    ],
)
def test_project_terms_are_kept_whole(sentence: str, expected: list[str]) -> None:
    tokens = tokenize(sentence)
    for word in expected:
        assert word in tokens


def test_tokenize_drops_boilerplate_punctuation_numbers_and_function_words() -> None:
    tokens = tokenize("关于进一步加强我县农村生活污水治理的建议：2026年全县覆盖率仅35.5%！")
    assert "生活污水" in tokens
    assert "农村" in tokens
    assert "治理" in tokens
    for dropped in [
        "关于",
        "进一步",
        "加强",
        "我县",
        "建议",
        "的",
        "：",
        "2026",
        "35.5",
        "%",
        "！",
    ]:
        assert dropped not in tokens


def test_tokenize_normalises_width_and_case_and_keeps_meaningful_single_chars() -> None:
    tokens = tokenize("ＡＰＰ报修后，村里的水和电还是不通")
    assert "app" in tokens
    assert "水" in tokens
    assert "电" in tokens
    assert "还是" not in tokens


def test_tokenize_empty_and_symbol_only() -> None:
    assert tokenize("") == []
    assert tokenize("。。。！！？？ 123 456 ……") == []


def test_stopwords_cover_proposal_boilerplate() -> None:
    words = stopwords()
    for word in [
        "关于",
        "建议",
        "问题",
        "加强",
        "进一步",
        "推进",
        "我县",
        "我市",
        "一是",
        "相关部门",
    ]:
        assert word in words


def test_subwords_split_compounds_into_dictionary_words() -> None:
    parts = subwords("农村人居环境整治")
    assert "人居环境" in parts
    assert "农村" in parts
    assert subwords("污水") == ()


def test_document_prior_ranks_common_words_above_specialised_terms() -> None:
    assert document_prior("发展") > document_prior("污水") > 0
    assert document_prior("某个从未见过的词语") == pytest.approx(5e-4)


def test_malformed_userdict_line_is_reported_with_its_number(tmp_path: Path) -> None:
    bad = tmp_path / "dict.txt"
    bad.write_text("# 注释\n\n农村 污水 治理 设施\n", encoding="utf-8")
    with pytest.raises(TextEngineError, match="第 3 行"):
        _load_userdict(bad)
    bad.write_text("某词 12 x1\n", encoding="utf-8")
    with pytest.raises(TextEngineError, match="第 1 行"):
        _load_userdict(bad)


def test_default_data_dir_is_the_repository_data_folder() -> None:
    assert DEFAULT_DATA_DIR == REPO / "data"
    assert (DEFAULT_DATA_DIR / "jieba_userdict.txt").is_file()
    assert (DEFAULT_DATA_DIR / "stopwords.txt").is_file()


def test_tokenize_before_init_initialises_lazily_and_threads_agree(tmp_path: Path) -> None:
    """In a fresh interpreter: concurrent first calls initialise jieba once, with the defaults
    (pointed at a copy of data/ here, so that the jieba cache is not written into the repo)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("jieba_userdict.txt", "stopwords.txt"):
        shutil.copy(DEFAULT_DATA_DIR / name, data / name)
    script = textwrap.dedent(
        f"""
        import threading
        from pathlib import Path
        import jieba
        from bot.core.text import segmenter
        segmenter.DEFAULT_DATA_DIR = Path({str(data)!r})
        results = []
        def work():
            results.append(segmenter.tokenize("落实双减政策，推进农村生活污水治理"))
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        assert segmenter.text_engine_ready()
        assert len(results) == 4 and all(r == results[0] for r in results), results
        assert "双减" in results[0] and "生活污水" in results[0], results[0]
        print(jieba.dt.tmp_dir)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(data / "cache")
    assert (data / "cache" / "jieba.cache").is_file()
