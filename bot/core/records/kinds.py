"""The kinds of record a member can post: proposal (提案), opinion lead (社情民意信息), topic (议题)."""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    PROPOSAL = "proposal"
    OPINION = "opinion"
    TOPIC = "topic"

    @property
    def label(self) -> str:
        """Full Chinese name: 提案 / 社情民意信息 / 议题."""
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """Short Chinese name used in commands and replies: 提案 / 民意 / 议题 (as in ``查民意 5``)."""
        return _SHORT_LABELS[self]

    @property
    def tag(self) -> str:
        """The canonical tag a member types: ``#提案`` / ``#社情民意`` / ``#议题``."""
        return _TAGS[self]

    @property
    def number_prefix(self) -> str:
        """Letter prefix for a number where kinds mix in one list (P17, O5, T3; discussions are D3)."""
        return _NUMBER_PREFIXES[self]

    def format_number(self, number: int, year: int | None = None) -> str:
        """``第17号``, or ``2026年第17号`` when the year must be shown."""
        return f"{year}年第{number}号" if year is not None else f"第{number}号"

    def describe(self, number: int, year: int | None = None) -> str:
        """Kind and number for replies: ``提案第17号``, ``社情民意信息2026年第5号``."""
        return f"{self.label}{self.format_number(number, year)}"


_LABELS: dict[RecordKind, str] = {
    RecordKind.PROPOSAL: "提案",
    RecordKind.OPINION: "社情民意信息",
    RecordKind.TOPIC: "议题",
}
_SHORT_LABELS: dict[RecordKind, str] = {
    RecordKind.PROPOSAL: "提案",
    RecordKind.OPINION: "民意",
    RecordKind.TOPIC: "议题",
}
_TAGS: dict[RecordKind, str] = {
    RecordKind.PROPOSAL: "#提案",
    RecordKind.OPINION: "#社情民意",
    RecordKind.TOPIC: "#议题",
}
_NUMBER_PREFIXES: dict[RecordKind, str] = {
    RecordKind.PROPOSAL: "P",
    RecordKind.OPINION: "O",
    RecordKind.TOPIC: "T",
}
