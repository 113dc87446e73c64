"""The board's routes on NoneBot's own FastAPI app (no second server): parse the query, check
access, ask ``services.board``, render. Bad input never fails a page: the filter is ignored
and the page says what to choose instead."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from bot.core.board import ListFilters, access
from bot.core.models import RatingValue
from bot.core.public.forms import RATING
from bot.core.services import Services
from bot.nb import runtime
from bot.plugins.board.render import STYLESHEET, message_page, page
from bot.plugins.board.visitors import notices_of, tokens, visitor

router = APIRouter()

MIN_YEAR, MAX_YEAR = 2000, 2100
FILTER_PARAMS = ("status", "unit", "category", "sector", "q")


def _presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.query_params.get(access.TOKEN_PARAM) or request.cookies.get(access.TOKEN_COOKIE)


def gate(request: Request, services: Services, *, staff: bool = False) -> Response | None:
    """None when the page may be shown; else the refusal, or (for a right ``?token=``) a
    redirect to the same address without it that leaves the token in a cookie."""
    config = services.config
    presented = _presented(request)
    decision = access.decide(
        public=config.board_public, token=config.board_token, presented=presented, staff=staff
    )
    if decision is not access.Access.OPEN:
        status, heading, text = access.REFUSALS[decision]
        return message_page(status, heading, text, request.url.path)
    if access.TOKEN_PARAM in request.query_params and presented:
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != access.TOKEN_PARAM]
        target = request.url.path + ("?" + urlencode(rest) if rest else "")
        redirect = RedirectResponse(target, status_code=303)
        redirect.set_cookie(access.TOKEN_COOKIE, presented, httponly=True, samesite="lax", path="/")
        return redirect
    return None


def _year(request: Request, default: int, notices: list[str]) -> int:
    text = request.query_params.get("year", "").strip()
    if not text:
        return default
    if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    notices.append(
        f"年份“{text[:20]}”无效，已显示{default}年；请写四位数字的年份，例如 {default}。"
    )
    return default


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "").strip()
    return int(text) if text.isdigit() and len(text) < 7 else 1


@router.get("/static/board.css", include_in_schema=False)
async def stylesheet() -> FileResponse:
    return FileResponse(
        STYLESHEET, media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    notices: list[str] = []
    year = _year(request, services.board.current_year(), notices)
    overview = await services.board.overview(year)
    return page("home.html", o=overview, notices=notices, path="/")


@router.get("/proposals", include_in_schema=False)
async def proposals(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    notices: list[str] = []
    year = _year(request, services.board.current_year(), notices)
    params = {k: request.query_params.get(k, "").strip()[:60] for k in FILTER_PARAMS}
    filters = ListFilters(
        year=year,
        status=params["status"] or None,
        unit=params["unit"] or None,
        category=params["category"] or None,
        sector=params["sector"] or None,
        query=params["q"],
        page=_page_number(request),
    )
    result, options = await services.board.proposals(filters)
    return page(
        "proposals.html",
        p=result,
        options=options,
        params={"year": year, **params},
        notices=[*notices, *result.notices],
        path="/proposals",
    )


@router.get("/units", include_in_schema=False)
async def units(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    notices: list[str] = []
    year = _year(request, services.board.current_year(), notices)
    return page("units.html", u=await services.board.units(year), notices=notices, path="/units")


@router.get("/proposals/{year}/{number}", include_in_schema=False)
async def proposal(request: Request, year: str, number: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    detail = None
    if year.isdigit() and number.isdigit() and len(year) == 4 and len(number) < 9:
        detail = await services.board.proposal(int(year), int(number))
    if detail is None:
        return message_page(
            404,
            "没有找到这件提案",
            "没有这个编号的提案，或者它还没有立案、不对外公开。"
            "请回到“提案办理”列表查找，地址形如 /proposals/2026/17。",
            "/proposals",
        )
    who = visitor(request)
    record = await services.public.public_proposal(int(year), int(number))
    counts = await services.public.ratings([record.id] if record and record.id else [])
    return who.keep(
        page(
            "proposal.html",
            d=detail,
            rating=counts.get(record.id or 0) if record else None,
            rating_values=[v.value for v in RatingValue],
            csrf=await tokens(services, who, RATING),
            notices=notices_of(request),
            path="/proposals",
        )
    )
