"""The demo's conversation as a readable transcript: who said what where, the bot's replies and
the messages it started. ANSI colours only when the output is a terminal."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from bot.devtools.demo.cast import by_qq, group_of

if TYPE_CHECKING:
    from bot.devtools.onebot_sim import SentMessage

BOT_NAME = "机器人"
_COLOURS = {"机关": "35", "委员": "36", "承办单位": "33", BOT_NAME: "32", "scene": "1;34"}


@dataclass(frozen=True)
class Line:
    kind: str  # "scene", "said", "bot", "note"
    place: str
    who: str
    text: str
    role: str = ""


def place_of_sent(message: SentMessage) -> str:
    group = group_of(message.group_id)
    if group is not None:
        return group.label
    person = by_qq(message.user_id)
    return f"私聊 → {person.name if person else message.user_id}"


def spoken(message: SentMessage) -> str:
    """The text as a member reads it: an @ shows as `@name`."""
    parts = []
    for segment in message.message:
        data = segment.get("data") or {}
        if segment.get("type") == "text":
            parts.append(str(data.get("text", "")))
        elif segment.get("type") == "at":
            person = by_qq(int(data["qq"])) if str(data.get("qq", "")).isdigit() else None
            parts.append(f"@{person.name if person else data.get('qq')}")
    return "".join(parts)


@dataclass
class Transcript:
    """Lines in the order things happened; printed as they come when `out` is given."""

    out: TextIO | None = None
    colour: bool = False
    lines: list[Line] = field(default_factory=list)

    @classmethod
    def to_stdout(cls) -> Transcript:
        return cls(out=sys.stdout, colour=sys.stdout.isatty())

    def add(self, line: Line) -> None:
        self.lines.append(line)
        if self.out is not None:
            self.out.write(self.render_line(line) + "\n")
            self.out.flush()

    def scene(self, title: str) -> None:
        self.add(Line("scene", "", "", title))

    def said(self, place: str, who: str, role: str, text: str) -> None:
        self.add(Line("said", place, who, text, role))

    def bot(self, message: SentMessage) -> None:
        text = "（合并转发）\n" + message.text if message.is_forward else spoken(message)
        self.add(Line("bot", place_of_sent(message), BOT_NAME, text, BOT_NAME))

    def note(self, text: str) -> None:
        self.add(Line("note", "", "", text))

    def _paint(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour and code else text

    def render_line(self, line: Line) -> str:
        if line.kind == "scene":
            return "\n" + self._paint(_COLOURS["scene"], f"══ {line.text} ══")
        if line.kind == "note":
            return self._paint("2", f"   （{line.text}）")
        head = f"［{line.place}］{self._paint(_COLOURS.get(line.role, ''), line.who)}："
        body = line.text.replace("\n", "\n      ")
        return f"{head}{body}"

    def render(self) -> str:
        return "\n".join(self.render_line(line) for line in self.lines)

    def text(self) -> str:
        """Everything said, without colours (what a test reads)."""
        plain = Transcript(colour=False, lines=self.lines)
        return plain.render()
