"""What a hostile (or just careless) sender types, and what a broken client sends: seeded.

`Generator.message()` gives one chat message: a registered command word or a tag, with
arguments built from hostile atoms, as segment lists (text, @ with bad `qq`, replies to unknown
ids, faces, images), from one of five kinds of sender in one of five places. `bad_frames()`
and `bad_events()` are what a broken or forged client puts on the WebSocket.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from bench.reliability.common import SUPERUSER

Segment = dict[str, Any]

# The world (see hostile.setup_world).
G_MEMBERS, G_STAFF, G_UNIT, G_UNBOUND = 610_001, 610_002, 610_003, 610_004
STAFF, CONTACT = 20_002, 20_003
MEMBERS = tuple(range(20_010, 20_030))
STRANGERS = tuple(range(66_601, 66_611))
UNIT = "县教育局"
PLACES = ("private", "members", "staff", "unit", "unbound")
GROUP_OF = {"members": G_MEMBERS, "staff": G_STAFF, "unit": G_UNIT, "unbound": G_UNBOUND}
TAGS = (
    "#提案",
    "#社情民意",
    "#议题",
    "＃提案",
    "／＃提案：",
    "【提案】",
    "#提按",
    "＃社情民意",
    "#议题：",
)
#: Private posts carry a marker; no member or unit group may ever read one.
MARKER = "私{:06d}密"
MARKER_RE = r"私\d{6}密"

HUGE = 350_000
ATOMS: tuple[str, ...] = (
    # unencodable, invisible, control and line-breaking characters
    "\ud800", "\udfff", "\ud83d", "a\udc00b", "\ud800\ud800", "\x00", "标题\x00正文", "\x01\x02\x1b[31m",
    "\x7f", "\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2028", "\u2029", "\x85", "\r\n", "\r",
    "\t", "\u202e反向文字", "\u00ad", "\u2066隔离\u2069", "\x0b\x0c",
    # numbers and ids
    "0", "-1", "-17", "99999999999999999999999999", "1e9", "１７", "一", "abc", "17abc", "1-", "-",
    "1-100000", "100000-1", "1,2,3", "3-1", "1 2 3 4 5 6 7 8 9 10 11", "2026-17", "2026年第1号",
    "NaN", "inf", "0x11", "１－３", "１７。", "17！", "  17  ", "第1号", "1-60", "-5--1",
    "18446744073709551616", "9223372036854775808", "1.5", "٣", "Ⅻ",
    # SQL, LIKE and shell-looking text
    "' OR 1=1 --", "'; DROP TABLE record; --", "%", "_", "%_%\\", "\\", '"', "`", "$1", "?",
    "NULL", ":param", "%%%%%%%%%%", "*", "GLOB *", "\\x00", "); DELETE FROM member; --",
    # CQ-code-looking text
    "[CQ:at,qq=all]", "[CQ:reply,id=1]", "[CQ:image,file=file:///etc/passwd]",
    "&#91;CQ:face,id=1&#93;", "[CQ:", "&amp;", "[CQ:at,qq=10001]", "]]]][[[[",
    # emoji and wide forms
    "😀", "👨‍👩‍👧‍👦", "🇨🇳", "😀" * 50, "Ａ", "　", "１", "：", "，", "。。。",
    # words the commands know
    "关于加快推进农村生活污水治理的建议", "满意", "基本满意", "不满意", "A", "B", "C", "D",
    "主办 县教育局", "主办 不存在的局", "会办 县财政局,县住建局", "时限 2027-03-01", "时限 -5个月",
    "时限 99999个工作日", "时限 2026-02-30", "理由", "转社情民意", "到 9", "到 1", "设为 全体群",
    "界别群 不存在界", "界别 农业界", "职务 常委", "添加", "列表", "设置", "立即 日报", "关闭 周报",
    "设置 日报 25:99", "设置 日报 09:00", "联系人", "县教育局", "取消", "移除",
    # lengths
    "长" * 5000, "\n" * 2000, "a" * 300, "字" * 201,
)  # fmt: skip
SEPARATORS = (" ", "", "\n", "　", "\u2028", "\t", "，", ":")
PREFIXES = ("", "", "", "", "/", "／", "\u200b", " ", "\ufeff", "@")
AT_VALUES = ("abc", "-1", "0", "1" * 25, "all", "", "10001", "20010", "12345678901234567890", "1e5")
REPLY_IDS = ("999999999", "abc", "-5", "0", "", "1" * 30)


@dataclass
class Message:
    place: str
    sender: int
    segments: list[Segment]
    label: str  # what was tried (for examples in the report)


def _text(value: str) -> Segment:
    return {"type": "text", "data": {"text": value}}


class Generator:
    def __init__(self, seed: int, words: list[str]) -> None:
        self.rng = random.Random(seed)
        self.words = words
        self.markers = 0

    def marker(self) -> str:
        self.markers += 1
        return MARKER.format(self.markers)

    def sender(self) -> tuple[str, int]:
        kind = self.rng.choice(("superuser", "staff", "contact", "member", "member", "stranger"))
        user = {
            "superuser": SUPERUSER,
            "staff": STAFF,
            "contact": CONTACT,
            "member": self.rng.choice(MEMBERS),
            "stranger": self.rng.choice(STRANGERS),
        }[kind]
        return kind, user

    def atom(self) -> str:
        if self.rng.random() < 0.004:
            return self.rng.choice(("x", "字", "\ud800", "1 ")) * (HUGE // 2) * 2
        return self.rng.choice(ATOMS)

    def args(self) -> str:
        count = self.rng.choice((0, 1, 1, 2, 2, 3, 4))
        return "".join(self.rng.choice(SEPARATORS) + self.atom() for _ in range(count))

    def extra_segments(self) -> tuple[list[Segment], list[Segment]]:
        """Segments before the text (replies, @s) and after it (@s, faces, images)."""
        head: list[Segment] = []
        tail: list[Segment] = []
        roll = self.rng.random()
        if roll < 0.12:
            head.append({"type": "reply", "data": {"id": self.rng.choice(REPLY_IDS)}})
        if self.rng.random() < 0.25:
            qq = self.rng.choice(AT_VALUES)
            (head if self.rng.random() < 0.3 else tail).append({"type": "at", "data": {"qq": qq}})
        if self.rng.random() < 0.05:
            tail.append({"type": "face", "data": {"id": self.rng.choice(("1", "abc", "-1"))}})
        if self.rng.random() < 0.03:
            tail.append({"type": "image", "data": {"file": "file:///etc/passwd", "url": ""}})
        return head, tail

    def message(self) -> Message:
        place = self.rng.choice(PLACES)
        kind, user = self.sender()
        roll = self.rng.random()
        if roll < 0.02:
            empty: list[list[Segment]] = [[], [_text("")], [_text("   ")], [_text("\u200b")]]
            return Message(place, user, self.rng.choice(empty), f"{kind}@{place}: empty")
        if roll < 0.22:
            word = self.rng.choice(TAGS)
        else:
            word = self.rng.choice(self.words)
        body = self.rng.choice(PREFIXES) + word + self.args()
        if word in TAGS and place == "private":
            body = f"{word} {self.marker()}{self.args()}\n{self.args()}建议：一是{self.atom()}。"
        head, tail = self.extra_segments()
        segments = [*head, _text(body), *tail]
        return Message(place, user, segments, f"{kind}@{place}: {body[:80]!r}")

    def bad_frames(self) -> list[tuple[str, str | bytes, bool | None]]:
        """(label, frame, text flag for send_raw) for malformed WebSocket frames."""
        event = {
            "post_type": "message",
            "message_type": "private",
            "sub_type": "friend",
            "message_id": 1,
            "user_id": SUPERUSER,
            "message": [_text("帮助")],
            "raw_message": "帮助",
            "font": 0,
            "sender": {"user_id": SUPERUSER},
        }
        whole = json.dumps(event, ensure_ascii=False)
        return [
            ("non-JSON text", "this is not json", None),
            ("truncated JSON", whole[: len(whole) // 2], None),
            ("bad UTF-8 in a text frame", b'{"post_type": "\xff\xfe\xfd"}', True),
            ("binary frame", b"\x00\x01\x02binary\xff", None),
            ("binary JSON", whole.encode(), None),
            ("deeply nested list", "[" * 100_000 + "]" * 100_000, None),
            ("deeply nested object", '{"a":' * 50_000 + "1" + "}" * 50_000, None),
            ("JSON list", "[]", None),
            ("JSON number", "1", None),
            ("JSON string", '"event"', None),
            ("empty object", "{}", None),
            ("NaN", '{"post_type": NaN}', None),
            ("empty frame", "", None),
            ("2 MB of spaces", " " * 2_000_000, None),
            ("lone surrogate escape", '{"post_type": "message", "message": "\\ud800"}', None),
            ("control characters", "\x00\x01\x02", None),
        ]

    def bad_events(self) -> list[tuple[str, dict[str, Any]]]:
        """(label, event) for events with invalid ids or fields (valid JSON)."""

        def private(**over: Any) -> dict[str, Any]:
            event: dict[str, Any] = {
                "post_type": "message",
                "message_type": "private",
                "sub_type": "friend",
                "message_id": self.rng.randint(10**8, 10**9),
                "user_id": SUPERUSER,
                "message": [_text("查提案 1")],
                "raw_message": "查提案 1",
                "font": 0,
                "sender": {"user_id": SUPERUSER, "nickname": "x"},
            }
            event.update(over)
            return event

        def group(**over: Any) -> dict[str, Any]:
            event = private(message_type="group", sub_type="normal", group_id=G_MEMBERS)
            event["sender"] = {"user_id": SUPERUSER, "card": "农业界-某人"}
            event.update(over)
            return event

        bad_ids: list[Any] = ["abc", -1, 0, 2**70, "", None, 1.5, [], {}, True, "1e5", "0x10"]
        events: list[tuple[str, dict[str, Any]]] = []
        for value in bad_ids:
            events.append((f"message_id={value!r}", private(message_id=value)))
            events.append((f"user_id={value!r}", private(user_id=value)))
            events.append((f"group_id={value!r}", group(group_id=value)))
            events.append((f"self_id={value!r}", private(self_id=value)))
            events.append((f"time={value!r}", private(time=value)))
        events += [
            ("unknown self_id", private(self_id=99_999)),
            ("unknown post_type", private(post_type="nonsense")),
            ("unknown message_type", private(message_type="channel")),
            ("message as a CQ string", private(message="[CQ:at,qq=abc]查提案 1")),
            ("message as a number", private(message=17)),
            ("segment without data", private(message=[{"type": "text"}])),
            ("segment of unknown type", private(message=[{"type": "nonsense", "data": {}}])),
            ("sender missing", private(sender=None)),
            ("sender a string", private(sender="x")),
            ("notice without fields", {"post_type": "notice"}),
            ("group_increase bad ids", {"post_type": "notice", "notice_type": "group_increase",
                                        "sub_type": "approve", "group_id": "abc",
                                        "user_id": -1, "operator_id": 0}),
            ("request bad ids", {"post_type": "request", "request_type": "friend",
                                 "user_id": "abc", "comment": "\ud800", "flag": "x"}),
            ("meta without type", {"post_type": "meta_event"}),
            ("at with bad qq", group(message=[{"type": "at", "data": {"qq": "1" * 25}},
                                              _text(" 附议 1")])),
            ("reply to unknown id", group(message=[{"type": "reply", "data": {"id": "abc"}},
                                                   _text("附议")])),
        ]  # fmt: skip
        return events
