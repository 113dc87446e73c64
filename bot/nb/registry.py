"""One table of chat commands for the whole bot.

NoneBot checks every matcher's rule on every message; dozens of `on_command` matchers make a
busy group slow (FIELD-NOTES.md). So plugins register their commands here, and one `on_message`
matcher (plugin `router`) looks the first word up in this table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Flag, auto
from typing import TYPE_CHECKING, Any

from bot.core.people.identity import Role

if TYPE_CHECKING:
    from bot.nb.context import CommandContext

Handler = Callable[["CommandContext"], Awaitable[None]]


class Where(Flag):
    """Where a command may be used."""

    PRIVATE = auto()
    MEMBER_GROUP = auto()  # whole-body and sector groups
    STAFF_GROUP = auto()
    UNIT_GROUP = auto()
    UNBOUND_GROUP = auto()  # only the binding commands
    BOUND_GROUP = MEMBER_GROUP | STAFF_GROUP | UNIT_GROUP
    ANYWHERE = PRIVATE | BOUND_GROUP
    STAFF_PLACES = PRIVATE | STAFF_GROUP


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    usage: str  # e.g. "查提案 17"
    summary: str  # one line, Chinese
    topic: str  # help section, e.g. "提案"
    role: Role = Role.ANYONE
    where: Where = Where.ANYWHERE
    aliases: tuple[str, ...] = ()
    details: str = ""  # longer help text
    # Argument-less commands ("我的") must stand alone; others accept text right after the name.
    takes_args: bool = True
    # Whether the `帮助` overview lists it now (None: always); `帮助 命令` always explains it.
    listed: Callable[[CommandContext], bool] | None = None


@dataclass
class HelpTopic:
    name: str
    intro: str
    commands: list[Command] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """`registry.command` with the topic, role and places of a group of commands filled in."""

    registry: Registry
    topic: str
    role: Role
    where: Where

    def command(
        self, name: str, *, usage: str, summary: str, **options: Any
    ) -> Callable[[Handler], Handler]:
        defaults = {"topic": self.topic, "role": self.role, "where": self.where}
        return self.registry.command(name, usage=usage, summary=summary, **(defaults | options))


_PUNCT_AFTER = set(" \t\r\n\u3000:：,，")
# A command may end with these ("帮助？", "我的。"), as long as nothing else follows.
_END_PUNCT = set("?？!！.。~～")
_SLASHES = {"/", "／"}


class Registry:
    def __init__(self) -> None:
        self._by_word: dict[str, Command] = {}
        self._topics: dict[str, HelpTopic] = {}
        self._lengths: list[int] = []

    def add(self, command: Command) -> Command:
        for word in (command.name.lower(), *(a.lower() for a in command.aliases)):
            existing = self._by_word.get(word)
            if existing is not None and existing is not command:
                raise ValueError(f"command word {word!r} is registered twice")
            self._by_word[word] = command
        topic = self._topics.setdefault(command.topic, HelpTopic(command.topic, ""))
        if command not in topic.commands:
            topic.commands.append(command)
        self._lengths = sorted({len(w) for w in self._by_word}, reverse=True)
        return command

    def command(
        self,
        name: str,
        *,
        usage: str,
        summary: str,
        topic: str,
        role: Role = Role.ANYONE,
        where: Where = Where.ANYWHERE,
        aliases: tuple[str, ...] = (),
        details: str = "",
        takes_args: bool = True,
        listed: Callable[[CommandContext], bool] | None = None,
    ) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.add(
                Command(
                    name=name,
                    handler=handler,
                    usage=usage,
                    summary=summary,
                    topic=topic,
                    role=role,
                    where=where,
                    aliases=aliases,
                    details=details,
                    takes_args=takes_args,
                    listed=listed,
                )
            )
            return handler

        return decorate

    def section(
        self, topic: str, *, role: Role = Role.ANYONE, where: Where = Where.ANYWHERE
    ) -> Section:
        """Commands that share a 帮助 topic, a minimum role and the places they work in."""
        return Section(self, topic, role, where)

    def describe_topic(self, name: str, intro: str) -> None:
        self._topics.setdefault(name, HelpTopic(name, intro)).intro = intro

    def match(self, text: str) -> tuple[Command, str] | None:
        """The command `text` starts with, and the rest; None for ordinary chatter.

        A command word must be followed by nothing, white space, punctuation or (for commands
        that take arguments) a digit, @ or a discussion number (``加入D3``), so that "我的天" or
        "统计一下" are not commands.
        """
        text = text.lstrip()
        if text[:1] in _SLASHES:
            text = text[1:].lstrip()
        for length in self._lengths:
            command = self._by_word.get(text[:length].lower())
            if command is None:
                continue
            rest = text[length:]
            if not rest.strip() or all(ch in _END_PUNCT for ch in rest.strip()):
                return command, ""
            head = rest[0]
            # `加入D3`: a discussion number right after the word counts as an argument
            numbered = head in "DdＤｄ" and rest[1:2].isdigit()
            if head in _PUNCT_AFTER or (
                command.takes_args and (head.isdigit() or head in "@＠#＃" or numbered)
            ):
                return command, rest.lstrip(" \t\u3000:：,，")
        return None

    def get(self, name: str) -> Command | None:
        return self._by_word.get(name.strip().lstrip("/／").lower())

    def commands(self) -> list[Command]:
        """Every registered command once, in the order they were registered."""
        return list(dict.fromkeys(self._by_word.values()))

    def topics(self) -> list[HelpTopic]:
        return list(self._topics.values())

    def topic(self, name: str) -> HelpTopic | None:
        return self._topics.get(name)


registry = Registry()
