"""What staff type after the workflow commands."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import AnswerCategory, EvaluationResult
from bot.core.workflow.parsing import (
    MAX_BULK,
    AssignSpec,
    leading_numbers,
    parse_answer,
    parse_assign,
    parse_evaluation,
    parse_merge,
    single_number,
)

YEAR = 2026


def numbers(text: str) -> tuple[list[str], str]:
    parsed = leading_numbers(text, current_year=YEAR, usage="立案 17")
    return parsed.refs, parsed.rest_text


@pytest.mark.parametrize(
    ("text", "refs", "rest"),
    [
        ("17", ["17"], ""),
        ("17 18 21", ["17", "18", "21"], ""),
        ("17、18，21", ["17", "18", "21"], ""),
        ("17-21", ["17", "18", "19", "20", "21"], ""),
        ("17~19 社会建设", ["17", "18", "19"], "社会建设"),
        ("17至18", ["17", "18"], ""),
        ("第17号 第18号", ["第17号", "第18号"], ""),
        ("2025-17 3", ["2025-17", "3"], ""),  # a year and number, not a range
        ("17 17 18", ["17", "18"], ""),  # duplicates once
        ("１７　１８", ["１７", "１８"], ""),  # full-width digits and space
        ("17 主办 县教育局 会办 县财政局,县住建局", ["17"], "主办 县教育局 会办 县财政局,县住建局"),
        # trailing punctuation after any number, range or list (issue 9 item 9)
        ("17。", ["17"], ""),
        ("17 17。", ["17"], ""),
        ("17、18。", ["17", "18"], ""),
        ("17，18，", ["17", "18"], ""),
        ("17-19。", ["17", "18", "19"], ""),
        ("17~19! 社会建设", ["17", "18", "19"], "社会建设"),
        ("第17号。 社会建设", ["第17号"], "社会建设"),
        ("2025-17.", ["2025-17"], ""),
    ],
)
def test_leading_numbers(text: str, refs: list[str], rest: str) -> None:
    assert numbers(text) == (refs, rest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请写上编号。用法：立案 17"),
        ("社会建设 17", "“社会建设”不是编号。用法：立案 17"),
        ("1-9999", f"“1-9999”包含9999个编号，一次最多{MAX_BULK}个。请分几次发送。"),
    ],
)
def test_leading_numbers_refusals(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        numbers(text)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("text", "ref", "rest"),
    [
        ("17 不属于受理范围", "17", "不属于受理范围"),
        ("17已完成调研，正在制定方案", "17", "已完成调研，正在制定方案"),
        ("第17号：已完成", "第17号", "已完成"),
        ("2025-17 B 已列入计划", "2025-17", "B 已列入计划"),
        ("17", "17", ""),
        ("17。", "17", ""),
        ("17. 已完成调研", "17", "已完成调研"),
        ("17。已完成调研", "17", "已完成调研"),
        ("第17号！B 已列入计划", "第17号", "B 已列入计划"),
        ("2025-17？", "2025-17", ""),
    ],
)
def test_single_number(text: str, ref: str, rest: str) -> None:
    assert single_number(text, current_year=YEAR, usage="进展 17 内容") == (ref, rest)


def test_single_number_refusal() -> None:
    with pytest.raises(InvalidInput) as info:
        single_number("已完成调研", current_year=YEAR, usage="进展 17 内容")
    assert info.value.message == "“已完成调研”不是编号。用法：进展 17 内容"


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("主办 县教育局", AssignSpec("县教育局")),
        ("县教育局", AssignSpec("县教育局")),
        (
            "主办 县教育局 会办 县财政局,县住建局 时限 2027-03-01",
            AssignSpec("县教育局", ["县财政局", "县住建局"], "2027-03-01"),
        ),
        (
            "主办：县教育局 会办：县财政局、县住建局 时限：30 个工作日",
            AssignSpec("县教育局", ["县财政局", "县住建局"], "30个工作日"),
        ),
        (
            "时限 8个月 主办 县教育局 理由 涉及跨年度预算，需人大审议",
            AssignSpec("县教育局", [], "8个月", "涉及跨年度预算，需人大审议"),
        ),
        ("会办 县财政局", AssignSpec(None, ["县财政局"])),
        ("时限 1个月", AssignSpec(None, [], "1个月")),
    ],
)
def test_parse_assign(text: str, spec: AssignSpec) -> None:
    assert parse_assign(text) == spec


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("主办 县教育局 县财政局", "主办单位只能有一个（写了：县教育局、县财政局）"),
        ("主办 县教育局 会办", "“会办”后面要写单位名称"),
        ("主办 县教育局 时限", "“时限”后面要写期限"),
        ("主办 县教育局 时限 8个月 理由", "“理由”后面要写延长时限的理由"),
        ("主办 县教育局 会办 县财政局 会办 县住建局", "“会办”写了两次"),
    ],
)
def test_parse_assign_refusals(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_assign(text)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("17 到 9", ("17", "9")),
        ("17到9", ("17", "9")),
        ("17 18 并入 9", ("17 18", "9")),
        ("17 → 9", ("17", "9")),
    ],
)
def test_parse_merge(text: str, parts: tuple[str, str]) -> None:
    assert parse_merge(text) == parts


@pytest.mark.parametrize("text", ["17", "到 9", "17 到"])
def test_parse_merge_refusal(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_merge(text)
    assert "用法：并案 17 到 9" in info.value.message


@pytest.mark.parametrize(
    ("text", "category", "content"),
    [
        ("A", AnswerCategory.A, ""),
        ("b 已列入明年计划", AnswerCategory.B, "已列入明年计划"),
        ("B类：已列入明年计划", AnswerCategory.B, "已列入明年计划"),
        ("C因财力所限，留作参考", AnswerCategory.C, "因财力所限，留作参考"),
        ("Ａ 已解决", AnswerCategory.A, "已解决"),
    ],
)
def test_parse_answer(text: str, category: AnswerCategory, content: str) -> None:
    assert parse_answer(text) == (category, content)


@pytest.mark.parametrize("text", ["", "D", "Bad news", "已解决"])
def test_parse_answer_refusal(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_answer(text)
    assert "请写明答复类别 A、B 或 C。用法：答复 17 A|B|C" in info.value.message


@pytest.mark.parametrize(
    ("text", "result", "opinion"),
    [
        ("满意", EvaluationResult.SATISFIED, ""),
        ("基本满意 还需跟踪", EvaluationResult.BASICALLY_SATISFIED, "还需跟踪"),
        ("不满意，没有回应第二条建议", EvaluationResult.UNSATISFIED, "没有回应第二条建议"),
    ],
)
def test_parse_evaluation(text: str, result: EvaluationResult, opinion: str) -> None:
    assert parse_evaluation(text) == (result, opinion)


@pytest.mark.parametrize("text", ["", "很好", "一般"])
def test_parse_evaluation_refusal(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_evaluation(text)
    assert info.value.message == (
        "请写明“满意”“基本满意”或“不满意”。用法：评价 17 满意｜基本满意｜不满意 [意见]"
    )
