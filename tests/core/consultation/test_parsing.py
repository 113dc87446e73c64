"""What staff type after 列入计划 and 议题 活动 / 成果 (pure)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.consultation.forms import DEFAULT_FORMS, FormList, cn_ordinal
from bot.core.consultation.parsing import (
    parse_activity,
    parse_content,
    parse_date,
    parse_plan,
    parse_result,
)
from bot.core.errors import InvalidInput

TODAY = date(2026, 3, 2)


def test_plan_keywords_in_any_order() -> None:
    spec = parse_plan(
        "常委会协商 时限：2027-06-30 责任人 张三 牵头领导 王副主席 责任部门 县农业农村局"
    )
    assert (spec.form, spec.leader, spec.unit, spec.person, spec.deadline) == (
        "常委会议协商",
        "王副主席",
        "县农业农村局",
        "张三",
        "2027-06-30",
    )
    titled = parse_plan("调研 牵头 李副主席 责任 县民政局 时限 6个月 题目 农村养老服务")
    assert (titled.form, titled.title, titled.deadline) == ("调研", "农村养老服务", "6个月")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请写明协商形式。"),
        (
            "专题协商 李副主席 牵头 王 责任 局 时限 6个月",
            "协商形式后面请用“牵头”“责任”“时限”分开各项。",
        ),
        ("专题协商 牵头 王 牵头 李 责任 局 时限 6个月", "同一项写了两次，请每项只写一次。"),
        ("专题协商 牵头 " + "王" * 41 + " 责任 局 时限 6个月", "“牵头领导”超过40个字"),
        ("专题协商 责任 局", "请写明牵头、时限。"),
    ],
)
def test_plan_refusals(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_plan(text)
    assert refused.value.message.startswith(message)


def test_forms_and_ordinals() -> None:
    assert DEFAULT_FORMS.resolve("约谈") == "主席约谈"
    assert DEFAULT_FORMS.resolve("专题协商") == "专题协商"
    assert [cn_ordinal(n) for n in (1, 9, 10, 11, 20, 35)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "三十五",
    ]


def test_activity() -> None:
    spec = parse_activity("座谈 2026年3月20日 参加人员：县政协委员8人 内容 听取意见", TODAY)
    assert (spec.subtype, spec.on_date, spec.participants, spec.content) == (
        "座谈",
        date(2026, 3, 20),
        "县政协委员8人",
        "听取意见",
    )
    bare = parse_activity("走访农户20户", TODAY)
    assert (bare.subtype, bare.on_date, bare.content) == ("活动", TODAY, "走访农户20户")
    with pytest.raises(InvalidInput, match="请写明活动的形式"):
        parse_activity("", TODAY)


def test_dates() -> None:
    assert parse_date("3月5日", TODAY) == date(2026, 3, 5)
    assert parse_date("２０２７／１／２", TODAY) == date(2027, 1, 2)
    assert parse_date("下周", TODAY) is None
    with pytest.raises(InvalidInput, match="不存在"):
        parse_date("2026-13-01", TODAY)


def test_result_and_content() -> None:
    assert parse_result("调研报告：关于农村养老的调研报告") == (
        "调研报告",
        "关于农村养老的调研报告",
    )
    assert parse_result("关于养老的成果") == ("成果", "关于养老的成果")
    assert parse_content("", "议题 办结 3", required=False) == ""
    with pytest.raises(InvalidInput, match="超过3000字"):
        parse_content("字" * 3001, "议题 落实 3 内容")


def test_the_shipped_forms_file_is_the_default() -> None:
    assert FormList.load(Path(__file__).resolve().parents[3] / "data") == DEFAULT_FORMS


def test_a_county_lists_its_own_forms(tmp_path: Path) -> None:
    (tmp_path / "consultation_forms.txt").write_text(
        "# 本县\n专题协商\n民主监督协商：监督协商，监督\n", encoding="utf-8"
    )
    forms = FormList.load(tmp_path)
    assert forms.names == ("专题协商", "民主监督协商")
    assert parse_plan("监督 牵头 王 责任 局 时限 6个月", forms).form == "民主监督协商"
    assert forms.order("调研") == 2  # a form no longer listed comes last
    with pytest.raises(InvalidInput, match="可以写：专题协商、民主监督协商。"):
        parse_plan("调研 牵头 王 责任 局 时限 6个月", forms)
    assert FormList.load(tmp_path / "missing") == DEFAULT_FORMS
