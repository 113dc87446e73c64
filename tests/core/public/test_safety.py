"""The public forms' safety layer, directly: the CSRF token, the fields, the hashed keys, the
matters a tip may not raise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.public import forms, safety
from bot.core.public.safety import Refusal

SECRET = "k" * 64
VISITOR = "0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_a_token_is_good_for_its_visitor_and_form_only() -> None:
    token = safety.issue_token(SECRET, VISITOR, "comment", NOW)
    safety.check_token(SECRET, VISITOR, "comment", token, NOW + timedelta(minutes=5))
    with pytest.raises(Refusal, match="安全校验码无效"):
        safety.check_token(SECRET, "f" * 32, "comment", token, NOW)
    with pytest.raises(Refusal, match="安全校验码无效"):
        safety.check_token(SECRET, VISITOR, "tip", token, NOW)
    with pytest.raises(Refusal, match="安全校验码无效"):
        safety.check_token("other" * 10, VISITOR, "comment", token, NOW)
    stamp, mac = token.split(".")
    with pytest.raises(Refusal, match="安全校验码无效"):
        safety.check_token(SECRET, VISITOR, "comment", f"{int(stamp) + 1}.{mac}", NOW)


def test_a_token_expires() -> None:
    token = safety.issue_token(SECRET, VISITOR, "comment", NOW)
    late = NOW + timedelta(minutes=safety.TOKEN_MINUTES + 1)
    with pytest.raises(Refusal, match="已过期") as refused:
        safety.check_token(SECRET, VISITOR, "comment", token, late)
    assert refused.value.status == 403
    with pytest.raises(Refusal, match="已过期"):  # issued "in the future": refused too
        safety.check_token(SECRET, VISITOR, "comment", token, NOW - timedelta(minutes=10))


@pytest.mark.parametrize("token", [None, "", "abc", "1.2.3", "x" * 200])
def test_a_missing_or_malformed_token(token: str | None) -> None:
    with pytest.raises(Refusal, match="安全校验码"):
        safety.check_token(SECRET, VISITOR, "comment", token, NOW)


@pytest.mark.parametrize("visitor", [None, "", "short", "G" * 32])
def test_no_usable_cookie(visitor: str | None) -> None:
    token = safety.issue_token(SECRET, VISITOR, "comment", NOW)
    with pytest.raises(Refusal, match="Cookie"):
        safety.check_token(SECRET, visitor, "comment", token, NOW)


def form(**values: str | list[str]) -> dict[str, list[str]]:
    base: dict[str, list[str]] = {"csrf": ["t"], "body": ["好建议"], "name": [""], "contact": [""]}
    for key, value in values.items():
        base[key] = value if isinstance(value, list) else [value]
    return base


def test_fields_are_cleaned() -> None:
    values = safety.clean_fields(
        forms.COMMENT,
        form(body="第一行\r\n第二行\u200b\x07 ", name="  王   女士 "),
    )
    assert values == {"body": "第一行\n第二行", "name": "王 女士", "contact": ""}
    assert safety.clean_fields(forms.COMMENT, {"csrf": ["t"], "body": ["x"]})["name"] == ""


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"approved": "1"}, "可能被篡改"),
        ({"body": ["a", "b"]}, "重复"),
        ({"body": ""}, "请填写“意见建议”"),
        ({"body": "字" * 501}, "最多500字，现在501字"),
        ({"name": "名" * 21}, "最多20字"),
        ({"body": "<script>alert(1)</script>"}, "网页代码"),
        ({"body": "</p>"}, "网页代码"),
        ({"body": "<!-- x -->"}, "网页代码"),
        ({"body": "&lt;b&gt;"}, "网页代码"),
        ({"body": "见 javascript:alert(1)"}, "网页代码"),
        ({"contact": "x onmouseover=alert(1)"}, "网页代码"),
    ],
)
def test_fields_refused(values: dict[str, str | list[str]], says: str) -> None:
    with pytest.raises(Refusal, match=says):
        safety.clean_fields(forms.COMMENT, form(**values))


def test_comparisons_in_words_are_fine() -> None:
    values = safety.clean_fields(forms.COMMENT, form(body="收费标准 3 < 5 元，效果 > 预期"))
    assert values["body"] == "收费标准 3 < 5 元，效果 > 预期"


def test_keys_hide_the_address() -> None:
    client = safety.client_key(SECRET, "203.0.113.7")
    assert "203.0.113.7" not in client
    assert client == safety.client_key(SECRET, "203.0.113.7")
    assert client != safety.client_key("other" * 10, "203.0.113.7")
    visitor = safety.visitor_key(SECRET, VISITOR, "203.0.113.7")
    assert visitor != safety.visitor_key(SECRET, VISITOR, "203.0.113.8")
    assert visitor != safety.visitor_key(SECRET, "f" * 32, "203.0.113.7")


def test_choice() -> None:
    assert safety.choice("满意", ["满意", "不满意"], "评价") == "满意"
    with pytest.raises(Refusal, match="选项无效"):
        safety.choice("非常满意", ["满意", "不满意"], "评价")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("我要上访", "信访部门"),
        ("法院判决不公", "法律途径"),
        ("提拔干部的问题", "组织、人事部门"),
        ("我的工资被拖欠", "12345"),
        ("内部文件显示", "请勿在网上提交"),
        ("他的身份证号是", "个人信息"),
    ],
)
def test_matters_outside_the_tip_collection(text: str, where: str) -> None:
    with pytest.raises(Refusal, match="不属于提案线索征集的范围") as refused:
        forms.check_scope(text, "城关镇", "请关注")
    assert where in refused.value.message


def test_a_public_matter_is_in_scope() -> None:
    forms.check_scope("城区停车难", "城关镇", "建设立体停车场")
