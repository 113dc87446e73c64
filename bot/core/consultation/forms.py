"""The forms of consultation a plan item takes (协商形式), in the order the plan lists them, and
the words staff may type for each. The plan is numbered within its forms ("5类51项")."""

from __future__ import annotations

from bot.core.errors import InvalidInput

#: The forms, in the plan's order (DESIGN.md §2; the seed's city plan).
FORMS: tuple[str, ...] = (
    "常委会议协商",
    "专题协商",
    "主席会议视察",
    "主席约谈",
    "对口协商",
    "界别协商",
    "提案办理协商",
    "调研",
)

_ALIASES: dict[str, str] = {
    "常委会协商": "常委会议协商",
    "常委会议": "常委会议协商",
    "全会协商": "常委会议协商",
    "专题协商会": "专题协商",
    "专题议政": "专题协商",
    "视察": "主席会议视察",
    "主席视察": "主席会议视察",
    "约谈": "主席约谈",
    "对口协商会": "对口协商",
    "界别协商会": "界别协商",
    "提案协商": "提案办理协商",
    "调研协商": "调研",
    "专题调研": "调研",
    "重点调研": "调研",
    "协商调研": "调研",
}

_DIGITS = "零一二三四五六七八九"


def resolve_form(word: str) -> str:
    """The form `word` names; InvalidInput listing the forms otherwise."""
    word = word.strip()
    if word in FORMS:
        return word
    if word in _ALIASES:
        return _ALIASES[word]
    shown = f"“{word[:12]}”不是协商形式。" if word else "请写明协商形式。"
    raise InvalidInput(f"{shown}可以写：{'、'.join(FORMS)}。")


def form_order(form: str) -> int:
    return FORMS.index(form) if form in FORMS else len(FORMS)


def cn_ordinal(n: int) -> str:
    """一, 二, … 十, 十一 … 九十九 (the plan's section numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}" if n < 100 else str(n)
