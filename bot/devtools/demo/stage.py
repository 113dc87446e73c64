"""The demo's stage: people post through the OneBot simulator, each step waits for the bot's
reply (or the message it starts) and checks it holds what the step expects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.devtools.demo.cast import Group, Person, by_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.devtools.demo.transcript import Transcript
    from bot.devtools.onebot_sim import OneBotSimulator, SentMessage

#: Seconds to wait for one reply (generous: the machine may be busy).
TIMEOUT = 30.0
_MENTION = re.compile(r"@(\S+?)(?=\s|$)")


class DemoError(RuntimeError):
    """The bot did not answer as the demo expects (the message says which step)."""


@dataclass(frozen=True)
class Step:
    """One step of the day: what was sent (or awaited), what the reply had to hold, the reply."""

    label: str
    expect: str
    reply: str


@dataclass
class Stage:
    sim: OneBotSimulator
    transcript: Transcript
    steps: list[Step] = field(default_factory=list)
    _shown: int = 0

    def segments(self, text: str) -> str | list[dict[str, Any]]:
        """`@李四` in a line becomes an at segment, as QQ sends a mention."""
        if "@" not in text:
            return text
        parts: list[dict[str, Any]] = []
        position = 0
        for found in _MENTION.finditer(text):
            if found.start() > position:
                parts.append({"type": "text", "data": {"text": text[position : found.start()]}})
            parts.append({"type": "at", "data": {"qq": str(by_name(found[1]).qq)}})
            position = found.end()
        if position < len(text):
            parts.append({"type": "text", "data": {"text": text[position:]}})
        return parts

    def flush(self) -> None:
        """Show what the bot sent since the last look, in the order it sent it."""
        for message in self.sim.sent[self._shown :]:
            self.transcript.bot(message)
        self._shown = len(self.sim.sent)

    def _check(self, label: str, expect: str, message: SentMessage) -> SentMessage:
        self.steps.append(Step(label, expect, message.text))
        if expect not in message.text:
            self.flush()
            raise DemoError(f"{label}: the reply lacks {expect!r}:\n{message.text}")
        return message

    async def say(
        self,
        who: Person,
        where: Group | None,
        text: str,
        expect: str,
        *,
        reply_to: SentMessage | None = None,
    ) -> SentMessage:
        """`who` sends `text` in `where` (None: privately); the bot's reply must hold `expect`."""
        self.flush()
        place = where.label if where is not None else f"私聊 {who.name}"
        shown = f"（回复机器人）{text}" if reply_to is not None else text
        self.transcript.said(place, who.name, who.role, shown)
        quoted = reply_to.message_id if reply_to is not None else None
        message = self.segments(text)
        if where is not None:
            sent_id = await self.sim.post_group_message(
                where.group_id, who.qq, message, reply_to=quoted, card=who.card
            )
        else:
            sent_id = await self.sim.post_private_message(who.qq, message, reply_to=quoted)
        try:
            reply = await self.sim.wait_for_sent(lambda m: m.reply_id == sent_id, timeout=TIMEOUT)
        except TimeoutError:
            self.flush()
            raise DemoError(f"{who.name}: “{text[:30]}” got no reply") from None
        self._check(f"{who.name}：{text.splitlines()[0]}", expect, reply)
        self.flush()
        return reply

    async def told(
        self, label: str, to: Person | Group, expect: str, timeout: float = TIMEOUT
    ) -> SentMessage:
        """A message the bot starts itself (a notice, a reminder, a digest) to `to`."""
        match: Callable[[SentMessage], bool]
        if isinstance(to, Group):
            match = lambda m: m.group_id == to.group_id and expect in m.text  # noqa: E731
        else:
            match = lambda m: (  # noqa: E731
                m.message_type == "private" and m.user_id == to.qq and expect in m.text
            )
        try:
            message = await self.sim.wait_for_sent(match, timeout=timeout)
        except TimeoutError:
            self.flush()
            raise DemoError(f"{label}: nothing holding {expect!r} reached {to}") from None
        self._check(label, expect, message)
        self.flush()
        return message

    async def relay(self, who: Person, text: str, reaches: Person) -> SentMessage:
        """A private message that is not a command (a discussion post): no reply, it is
        relayed to the other participants, `reaches` among them."""
        self.flush()
        self.transcript.said(f"私聊 {who.name}", who.name, who.role, text)
        await self.sim.post_private_message(who.qq, text)
        return await self.told(f"{who.name}的发言转给{reaches.name}", reaches, text)

    def restart(self, sim: OneBotSimulator) -> None:
        """A new connection (the bot restarted): fresh message ids, nothing of it shown yet."""
        self.flush()
        self.sim = sim
        sim.world.take_message_id(50_000)  # the earlier ids are the bot's "seen" ones
        self._shown = 0

    def note(self, text: str) -> None:
        self.flush()
        self.transcript.note(text)

    def scene(self, title: str) -> None:
        self.flush()
        self.transcript.scene(title)
