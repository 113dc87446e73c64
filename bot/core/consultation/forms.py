"""The forms of consultation a plan item takes (协商形式), in the order the plan lists them, and
the words staff may type for each. The plan is numbered within its forms ("5类51项").

A county lists its own in ``data/consultation_forms.txt`` (one a line, ``name: alias, alias``,
as sectors.txt); without the file the defaults below hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import InvalidInput
from bot.core.people.sectors import read_sector_file

FORMS_FILE = "consultation_forms.txt"

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


@dataclass(frozen=True)
class FormList:
    """The county's forms in the plan's order, and the other words for them."""

    names: tuple[str, ...]
    aliases: dict[str, str]

    @classmethod
    def load(cls, data_dir: Path) -> FormList:
        """``data_dir/consultation_forms.txt``, else the defaults."""
        path = Path(data_dir) / FORMS_FILE
        entries = read_sector_file(path) if path.is_file() else []
        if not entries:
            return DEFAULT_FORMS
        aliases = {alias: e.name for e in entries for alias in e.aliases}
        return cls(tuple(e.name for e in entries), aliases)

    def resolve(self, word: str) -> str:
        """The form `word` names; InvalidInput listing the forms otherwise."""
        word = word.strip()
        if word in self.names:
            return word
        if word in self.aliases:
            return self.aliases[word]
        shown = f"“{word[:12]}”不是协商形式。" if word else "请写明协商形式。"
        raise InvalidInput(f"{shown}可以写：{'、'.join(self.names)}。")

    def order(self, form: str) -> int:
        """Where a form comes in the plan (forms no longer listed come last)."""
        return self.names.index(form) if form in self.names else len(self.names)


DEFAULT_FORMS = FormList(FORMS, _ALIASES)


def cn_ordinal(n: int) -> str:
    """一, 二, … 十, 十一 … 九十九 (the plan's section numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}" if n < 100 else str(n)
