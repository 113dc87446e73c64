"""The public forms' POST routes: comment on a plan item or a topic, suggest a topic, leave a
proposal tip, rate a proposal's handling. Each: the board's access gate, the safety layer
(visitors.read_form: CSRF token, fields, limits, no markup), the service (what may be
commented on, the per-address limit), then a redirect back (success) or the refusal's page.
Nothing is stored on a refusal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.public import forms
from bot.core.public.safety import Refusal
from bot.nb import runtime
from bot.plugins.board.routes import gate
from bot.plugins.board.visitors import (
    VISITOR_COOKIE,
    address,
    answer,
    is_id,
    is_year_number,
    read_form,
)

router = APIRouter()

GONE = "这一项已不在征集意见的范围内（可能已列入计划、办结或撤回）。请回到列表选择其他项。"


@router.post("/plan/{item_id}/comments", include_in_schema=False)
async def plan_comment(request: Request, item_id: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused

    async def work() -> None:
        values = await read_form(request, services, forms.COMMENT)
        found = await services.public.public_plan_item(int(item_id)) if is_id(item_id) else None
        if found is None:
            raise Refusal(GONE, 404)
        await services.public.comment(address(request), values, plan=found)

    back = f"/plan/{item_id}" if is_id(item_id) else "/plan"
    return await answer(back, work, done="comment")


@router.post("/topics/{year}/{number}/comments", include_in_schema=False)
async def topic_comment(request: Request, year: str, number: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    valid = is_year_number(year, number)

    async def work() -> None:
        values = await read_form(request, services, forms.COMMENT)
        record = await services.public.open_topic(int(year), int(number)) if valid else None
        if record is None:
            raise Refusal(GONE, 404)
        await services.public.comment(address(request), values, topic=record)

    back = f"/topics/{year}/{number}" if valid else "/topics"
    return await answer(back, work, done="comment")


@router.post("/topics/suggest", include_in_schema=False)
async def suggest(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused

    async def work() -> None:
        values = await read_form(request, services, forms.SUGGESTION)
        await services.public.suggest(address(request), values)

    return await answer("/topics", work, done="suggestion")


@router.post("/tips", include_in_schema=False)
async def tip(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused

    async def work() -> None:
        values = await read_form(request, services, forms.TIP)
        categories = list(services.proposals.categories)
        await services.public.tip(address(request), values, categories)

    return await answer("/tips", work, done="tip")


@router.post("/proposals/{year}/{number}/rating", include_in_schema=False)
async def rating(request: Request, year: str, number: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    valid = is_year_number(year, number)

    async def work() -> None:
        values = await read_form(request, services, forms.RATING)
        record = await services.public.public_proposal(int(year), int(number)) if valid else None
        if record is None:
            raise Refusal("没有这件提案，或它不对外公开。请回到“提案办理”列表查找。", 404)
        visitor_id = request.cookies.get(VISITOR_COOKIE, "")
        await services.public.rate(address(request), visitor_id, record, values["value"])

    back = f"/proposals/{year}/{number}" if valid else "/proposals"
    return await answer(back, work, done="rating")
