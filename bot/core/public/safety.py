"""The one safety layer of the board's public forms (framework-free, tested directly).

- CSRF: a token signed with the form key (HMAC-SHA256), tied to the visitor's cookie id and to
  the form it was printed in, valid for TOKEN_MINUTES.
- Fields: exactly the fields a form declares (an unknown field, a repeated one, or a missing
  required one is a forged form), each within its length limit; no HTML or script in any field
  (the pages escape everything anyway: refusing it keeps the review queue clean too).
- Clients: the address is never stored, only hashed with the form key (`client_key`); a
  visitor is the random cookie id hashed with the address (`visitor_key`).

Every refusal is a :class:`Refusal` whose message is Chinese and says what to do instead.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TOKEN_MINUTES = 120
#: A visitor id as the cookie carries it: 32 hex digits.
VISITOR_PATTERN = re.compile(r"^[0-9a-f]{32}$")
#: Markup: a tag, a comment, an entity, or a script scheme.
MARKUP = re.compile(r"<\s*[/!?a-zA-Z]|&#?[0-9a-zA-Z]+;|javascript\s*:|on[a-z]+\s*=", re.I)
#: Control characters other than line breaks and tabs.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


class Refusal(InvalidInput):
    """A public form refused; `status` is the HTTP status the page answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    limit: int
    required: bool = False
    multiline: bool = False


@dataclass(frozen=True)
class FormSpec:
    """A public form: its name (signed into the token) and its fields."""

    name: str
    fields: tuple[FieldSpec, ...]

    @property
    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields) | {"csrf"}


def new_visitor_id() -> str:
    return secrets.token_hex(16)


def new_secret() -> str:
    return secrets.token_hex(32)


def _mac(secret: str, *parts: str) -> str:
    message = "|".join(parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def client_key(secret: str, address: str) -> str:
    return _mac(secret, "client", address)[:40]


def visitor_key(secret: str, visitor_id: str, address: str) -> str:
    return _mac(secret, "visitor", visitor_id, address)[:40]


def issue_token(secret: str, visitor_id: str, form: str, now: datetime) -> str:
    stamp = str(int(now.timestamp()))
    return f"{stamp}.{_mac(secret, 'csrf', visitor_id, form, stamp)}"


def check_token(
    secret: str, visitor_id: str | None, form: str, token: str | None, now: datetime
) -> None:
    """Refusal unless `token` was issued for this visitor and form less than TOKEN_MINUTES ago."""
    again = "请回到表单页面，刷新后重新填写提交。"
    if not visitor_id or not VISITOR_PATTERN.match(visitor_id):
        raise Refusal(f"提交失败：浏览器没有带上本站的 Cookie。请允许本站使用 Cookie，{again}", 403)
    if not token:
        raise Refusal(f"提交失败：表单缺少安全校验码。{again}", 403)
    stamp, _, mac = token.partition(".")
    if not stamp.isdigit() or len(stamp) > 12:
        raise Refusal(f"提交失败：表单的安全校验码无效。{again}", 403)
    if not hmac.compare_digest(mac, _mac(secret, "csrf", visitor_id, form, stamp)):
        raise Refusal(f"提交失败：表单的安全校验码无效。{again}", 403)
    age = now - datetime.fromtimestamp(int(stamp), tz=now.tzinfo)
    if age > timedelta(minutes=TOKEN_MINUTES) or age < timedelta(minutes=-5):
        raise Refusal(
            f"提交失败：页面打开太久，安全校验码已过期（{TOKEN_MINUTES}分钟）。{again}", 403
        )


def clean_fields(spec: FormSpec, form: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The form's values, checked: exactly the declared fields, each once, within its limit,
    no markup. `form` maps each name to every value sent under it."""
    unknown = sorted(set(form) - spec.names)
    if unknown:
        raise Refusal("提交失败：表单里有本页没有的内容，可能被篡改。请回到页面重新填写。")
    values: dict[str, str] = {}
    for field in spec.fields:
        sent = form.get(field.name, [])
        if len(sent) > 1:
            raise Refusal("提交失败：表单内容重复，可能被篡改。请回到页面重新填写。")
        values[field.name] = _clean(field, sent[0] if sent else "")
    return values


def _clean(field: FieldSpec, raw: str) -> str:
    text = CONTROLS.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not field.multiline:
        text = " ".join(text.split())
    if field.required and not text:
        raise Refusal(f"请填写“{field.label}”。")
    if len(text) > field.limit:
        raise Refusal(
            f"“{field.label}”最多{field.limit}字，现在{len(text)}字。请精简后再提交。", 413
        )
    if MARKUP.search(text):
        raise Refusal(
            f"“{field.label}”里含有网页代码（如 < > 标签或脚本），不能提交。请只写文字，"
            "不要用尖括号。"
        )
    return text


def choice(value: str, allowed: Sequence[str], label: str) -> str:
    """A value picked from a list on the page; anything else is a forged field."""
    if value not in allowed:
        raise Refusal(f"提交失败：“{label}”的选项无效，可能被篡改。请在页面上的选项中选择。")
    return value
