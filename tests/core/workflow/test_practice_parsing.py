"""Parsing the handling-practice commands: 沟通, 提案质量, 重点 … 督办, 督办, 回头看, 已沟通."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import InvalidInput
from bot.core.models import ConsultationMethod, LookbackOutcome, QualityGrade
from bot.core.workflow.practice_parsing import (
    KeySpec,
    parse_consult,
    parse_key,
    parse_lookback,
    parse_quality,
    parse_supervision,
    parse_year,
    split_consulted,
)

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "method", "held_on", "content"),
    [
        ("面商 听取了意见", ConsultationMethod.MEETING, TODAY, "听取了意见"),
        ("电话 3月5日 交换意见", ConsultationMethod.PHONE, date(2026, 3, 5), "交换意见"),
        (
            "座谈 2026-03-18，座谈会上听取",
            ConsultationMethod.FORUM,
            date(2026, 3, 18),
            "座谈会上听取",
        ),
        ("调研 昨天 到现场", ConsultationMethod.SURVEY, date(2026, 3, 19), "到现场"),
        ("面商 12月28日 年底见面", ConsultationMethod.MEETING, date(2025, 12, 28), "年底见面"),
    ],
)
def test_consult(text: str, method: ConsultationMethod, held_on: date, content: str) -> None:
    spec = parse_consult(text, TODAY)
    assert (spec.method, spec.held_on, spec.content) == (method, held_on, content)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("见了一面", "请写明沟通方式"),
        ("面商", "请写上沟通的内容"),
        ("面商 3月5日", "请写上沟通的内容"),
        ("面商 2026-02-30 内容", "日期“2026-02-30”不存在"),
        ("面商 2026-04-01 内容", "沟通日期不能晚于今天"),
    ],
)
def test_consult_refusals(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_consult(text, TODAY)
    assert says in info.value.message


def test_quality() -> None:
    assert parse_quality("优秀 问题抓得准") == (QualityGrade.EXCELLENT, "问题抓得准")
    assert parse_quality("一般") == (QualityGrade.FAIR, "")
    with pytest.raises(InvalidInput, match="优秀、良好或一般"):
        parse_quality("很好")


def test_key() -> None:
    assert parse_key("") == KeySpec()
    assert parse_key("取消") == KeySpec(on=False)
    assert parse_key("督办 李副主席") == KeySpec(leader="李副主席")
    assert parse_key("督办 李副主席 牵头 县发改局") == KeySpec(leader="李副主席", unit="县发改局")
    for text, says in [
        ("加急", "不认识“加急”"),
        ("督办", "请写上督办领导"),
        ("督办 李副主席 牵头", "“牵头”后面要写单位名称"),
    ]:
        with pytest.raises(InvalidInput) as info:
            parse_key(text)
        assert says in info.value.message


def test_supervision_and_lookback() -> None:
    assert parse_supervision("视察 到现场察看") == ("视察", "到现场察看")
    assert parse_supervision("请抓紧办理") == ("督办", "请抓紧办理")
    with pytest.raises(InvalidInput, match="督办的内容"):
        parse_supervision("催办")
    assert parse_lookback("已解决 污水站已建成") == (LookbackOutcome.RESOLVED, "污水站已建成")
    assert parse_lookback("仍在办理，明年完工") == (LookbackOutcome.ONGOING, "明年完工")
    with pytest.raises(InvalidInput, match="请写上具体情况"):
        parse_lookback("未落实")
    with pytest.raises(InvalidInput, match="已解决、仍在办理或未落实"):
        parse_lookback("办好了")


def test_consulted_and_year() -> None:
    assert split_consulted("已沟通 很及时") == (True, "很及时")
    assert split_consulted("没有沟通") == (False, "")
    assert split_consulted("答复很好") == (None, "答复很好")
    assert parse_year("", 2026, "u") == 2026
    assert parse_year("2025年", 2026, "u") == 2025
    with pytest.raises(InvalidInput, match="不是年份"):
        parse_year("去年", 2026, "u")
