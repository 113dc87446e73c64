"""The web side of the public forms: the visitor cookie, the CSRF token printed in each form,
reading a posted form (urlencoded only, size-capped) and the answer to it — a redirect back
after success (POST, redirect, GET: no script needed), or a page with the refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from bot.core.public import safety
from bot.core.public.safety import FormSpec, Refusal
from bot.core.services import Services
from bot.plugins.board.render import message_page

VISITOR_COOKIE = "cppcc_visitor"
VISITOR_MAX_AGE = 365 * 24 * 3600
#: A posted form larger than this is refused unread (every form's limits add up to far less).
MAX_BODY = 16 * 1024
SENT = "sent"
THANKS = {
    "comment": "感谢您的留言！工作人员审核通过后，留言会显示在本页。",
    "suggestion": "感谢您建议协商议题！工作人员审核通过后，它会进入议题征集列表。",
    "tip": "感谢您提供提案线索！工作人员审核通过后，它会列入提案选题参考，供委员选用。",
    "rating": "感谢您的评价！您的评价已计入网民满意度。",
}


@dataclass(frozen=True)
class Visitor:
    """Who looks at a page with a form: the cookie id (new when they had none) and whether the
    response must set it."""

    visitor_id: str
    new: bool

    def keep(self, response: Response) -> Response:
        if self.new:
            response.set_cookie(
                VISITOR_COOKIE,
                self.visitor_id,
                max_age=VISITOR_MAX_AGE,
                httponly=True,
                samesite="lax",
                path="/",
            )
        return response


def visitor(request: Request) -> Visitor:
    found = request.cookies.get(VISITOR_COOKIE, "")
    if safety.VISITOR_PATTERN.match(found):
        return Visitor(found, new=False)
    return Visitor(safety.new_visitor_id(), new=True)


async def tokens(services: Services, who: Visitor, *forms: FormSpec) -> dict[str, str]:
    """The CSRF token of each form on a page, by form name."""
    secret = await services.public.secret()
    now = services.clock.now()
    return {f.name: safety.issue_token(secret, who.visitor_id, f.name, now) for f in forms}


def notices_of(request: Request) -> list[str]:
    """The thanks after a successful post (?sent=…)."""
    sent = request.query_params.get(SENT, "")
    return [THANKS[sent]] if sent in THANKS else []


def is_id(text: str) -> bool:
    return text.isdigit() and len(text) < 10


def is_year_number(year: str, number: str) -> bool:
    return year.isdigit() and len(year) == 4 and is_id(number)


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_form(request: Request, services: Services, spec: FormSpec) -> dict[str, str]:
    """The posted form's checked values; Refusal for anything the safety layer refuses."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise Refusal("提交失败：请在网页上的表单里填写后点“提交”。", 415)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise Refusal("提交的内容太长了，请精简后再提交。", 413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refusal("提交的内容太长了，请精简后再提交。", 413)
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise Refusal("提交失败：内容编码无法识别。请在网页上的表单里重新填写。") from None
    token = form.get("csrf", [""])
    if len(token) != 1:
        raise Refusal("提交失败：表单内容重复，可能被篡改。请回到页面重新填写。")
    safety.check_token(
        await services.public.secret(),
        request.cookies.get(VISITOR_COOKIE),
        spec.name,
        token[0],
        services.clock.now(),
    )
    return safety.clean_fields(spec, form)


async def answer(back: str, work: Callable[[], Awaitable[object]], *, done: str = SENT) -> Response:
    """Run `work`; a redirect to `back` (with ?sent=…) when it stored something, else the
    refusal's page (with a link back to the form)."""
    try:
        await work()
    except Refusal as refusal:
        return message_page(refusal.status, "未能提交", refusal.message, back)
    sep = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{sep}{SENT}={done}", status_code=303)
