"""The manuals' examples (docs/委员使用手册.md, docs/机关操作手册.md), parsed and played through the
real NoneBot pipeline (nonebug) in the order they are written, so each builds on the one before.

In the manuals an example is a fenced block tagged ``qq`` with who sends it and where, and the
bot's reply follows in a block tagged ``reply``::

    ```qq 委员 全体群
    查提案 1
    ```
    ```reply
    提案第1号《…》
    ```

Steps the manual does not show but the story needs (staff filing a proposal before the member
evaluates it) are HTML comments: ``<!-- 准备 机关 机关群：立案 1 -->`` (``\\n`` is a line break).
``UPDATE_MANUALS=1 pytest tests/plugins/help/test_manuals.py`` writes the bot's actual replies into the reply blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nonebot.adapters.onebot.v11 import Message, MessageSegment

from bot.settings import PROJECT_ROOT
from tests import utils
from tests.workflow_utils import COSIGNER, EDU_CONTACT, FIN_CONTACT, MEMBER, PROPOSER, STAFF

if TYPE_CHECKING:
    from pathlib import Path

    from nonebot.adapters.onebot.v11.event import MessageEvent

DOCS = PROJECT_ROOT / "docs"
MEMBER_MANUAL = DOCS / "委员使用手册.md"
STAFF_MANUAL = DOCS / "机关操作手册.md"
MANUALS = (MEMBER_MANUAL, STAFF_MANUAL)
#: An unbound group, for the binding examples.
NEW_GROUP = 900_004

#: Who sends an example: the people of tests/plugins/conftest.py's `units` fixture.
WHO = {
    "委员": PROPOSER,  # 张三（农业界）
    "委员李四": COSIGNER,
    "委员赵六": MEMBER,
    "机关": STAFF,  # 王秘书
    "单位": EDU_CONTACT,  # 县教育局的联系人
    "单位财政局": FIN_CONTACT,
    "超级管理员": utils.SUPERUSER,
    "访客": str(utils.GUEST),
}
NAMES = {"张三": PROPOSER, "李四": COSIGNER, "赵六": MEMBER, "王秘书": STAFF}
WHERE = {
    "全体群": utils.MEMBER_GROUP,
    "机关群": utils.STAFF_GROUP,
    "承办单位群": utils.UNIT_GROUP,
    "新群": NEW_GROUP,
    "私聊": None,
}

_BLOCK = re.compile(r"```qq ([^\n]*)\n(.*?)\n```(\n+```reply\n(.*?)\n?```)?", re.S)
_HIDDEN = re.compile(r"<!-- 准备 (\S+) (\S+)( 无回复)?：(.*?) -->")
#: The third word of an example's tag when the bot answers nothing (a discussion post, relayed).
SILENT = "无回复"
_MENTION = re.compile(r"@(\S+?)(?=\s|$)")


@dataclass(frozen=True)
class Example:
    manual: Path
    who: str
    where: str
    text: str
    shown: bool  # False: a hidden set-up step
    silent: bool = False  # the bot answers nothing (SILENT)
    start: int = 0  # the reply block's span in the file (shown examples)
    end: int = 0
    reply: str = ""

    @property
    def label(self) -> str:
        return f"{self.manual.name}: [{self.who} {self.where}] {self.text.splitlines()[0]}"


def examples(manual: Path) -> list[Example]:
    text = manual.read_text(encoding="utf-8")
    found: list[tuple[int, Example]] = []
    for match in _BLOCK.finditer(text):
        who, where, *flags = match[1].split()
        start, end = (match.start(3), match.end(3)) if match[3] else (match.end(), match.end())
        example = Example(
            manual, who, where, match[2], True, SILENT in flags, start, end, match[4] or ""
        )
        found.append((match.start(), example))
    for match in _HIDDEN.finditer(text):
        body = match[4].replace("\\n", "\n")
        example = Example(manual, match[1], match[2], body, False, bool(match[3]))
        found.append((match.start(), example))
    return [example for _, example in sorted(found, key=lambda pair: pair[0])]


def message_of(text: str) -> Message:
    """`@李四` becomes an at segment, as QQ sends a mention."""
    message = Message()
    position = 0
    for found in _MENTION.finditer(text):
        if found[1] not in NAMES:
            continue
        if found.start() > position:
            message.append(MessageSegment.text(text[position : found.start()]))
        message.append(MessageSegment.at(NAMES[found[1]]))
        position = found.end()
    if position < len(text):
        message.append(MessageSegment.text(text[position:]))
    return message


def event_of(example: Example) -> MessageEvent:
    if example.who not in WHO or example.where not in WHERE:
        raise ValueError(
            f"{example.label}: unknown sender or place (see tests/plugins/help/manuals.py)"
        )
    user = WHO[example.who]
    group = WHERE[example.where]
    message = message_of(example.text)
    if group is None:
        return utils.private_message(message, user_id=user)
    return utils.group_message(message, user_id=user, group_id=group)


def write_replies(manual: Path, replies: dict[int, tuple[int, str]]) -> None:
    """Put the bot's replies into the manual's reply blocks (start offset -> (end, reply))."""
    text = manual.read_text(encoding="utf-8")
    for start in sorted(replies, reverse=True):
        end, reply = replies[start]
        text = text[:start] + f"\n```reply\n{reply}\n```" + text[end:]
    manual.write_text(text, encoding="utf-8")
