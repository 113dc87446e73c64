"""The board's pages for public engagement: 协商计划 (the plan, numbered within its forms, and
one item with its comments), 议题征集 (topics open for suggestions, one topic, a suggestion),
提案线索 (the tip form and the approved tips), 政协动态 (news list and one item). Only what the
public may read: public plan items, topics not submitted privately, approved comments and
tips, published news. The forms post to bot/plugins/board/submit.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.consultation.queries import entries, open_topics, public_plan
from bot.core.models import PlanEntryKind
from bot.core.public import forms
from bot.core.public.queries import approved_comments, approved_tips
from bot.core.public.safety import FormSpec
from bot.nb import runtime
from bot.plugins.board.render import message_page, page
from bot.plugins.board.routes import _year, gate
from bot.plugins.board.visitors import is_id, is_year_number, notices_of, tokens, visitor

router = APIRouter()

NOT_FOUND = "没有找到这一项，或它不对外公开。请回到列表查找。"


async def form_page(
    request: Request, template: str, spec: FormSpec, path: str, **context: Any
) -> Response:
    """A page holding a public form: the visitor's cookie kept, the form's CSRF token, and the
    notice that the redirect after a post left."""
    services = runtime.get_services()
    who = visitor(request)
    csrf = await tokens(services, who, spec)
    return who.keep(
        page(template, csrf=csrf, spec=spec, notices=notices_of(request), path=path, **context)
    )


@router.get("/plan", include_in_schema=False)
async def plan(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    notices: list[str] = []
    year = _year(request, services.board.current_year(), notices)
    rows = await public_plan(services.db, year, services.consultation.forms)
    by_form: list[tuple[str, list]] = []
    for row in rows:
        if not by_form or by_form[-1][0] != row.item.form:
            by_form.append((row.item.form, []))
        by_form[-1][1].append(row)
    return page(
        "plan.html", year=year, by_form=by_form, total=len(rows), notices=notices, path="/plan"
    )


@router.get("/plan/{item_id}", include_in_schema=False)
async def plan_item(request: Request, item_id: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    found = await services.public.public_plan_item(int(item_id)) if is_id(item_id) else None
    if found is None:
        return message_page(404, "没有找到这项协商计划", NOT_FOUND, "/plan")
    item, record = found
    shown = await entries(services.db, item.id or 0)
    return await form_page(
        request,
        "plan_item.html",
        forms.COMMENT,
        "/plan",
        item=item,
        record=record,
        entries=shown,
        labels={k.value: k.label for k in PlanEntryKind},
        comments=await approved_comments(services.db, plan_item_id=item.id),
    )


@router.get("/topics", include_in_schema=False)
async def topics(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    rows = await open_topics(services.db)
    return await form_page(request, "topics.html", forms.SUGGESTION, "/topics", rows=rows)


@router.get("/topics/{year}/{number}", include_in_schema=False)
async def topic(request: Request, year: str, number: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    record = None
    if is_year_number(year, number):
        record = await services.public.open_topic(int(year), int(number))
    if record is None:
        return message_page(
            404,
            "没有找到这个议题",
            NOT_FOUND + "（已列入协商计划的议题请看“协商计划”。）",
            "/topics",
        )
    return await form_page(
        request,
        "topic.html",
        forms.COMMENT,
        "/topics",
        record=record,
        comments=await approved_comments(services.db, record_id=record.id),
    )


@router.get("/tips", include_in_schema=False)
async def tips(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    return await form_page(
        request,
        "tips.html",
        forms.TIP,
        "/tips",
        tips=await approved_tips(services.db),
        categories=list(services.proposals.categories),
        excluded=[what for _, what, _ in forms.EXCLUDED],
    )


@router.get("/news", include_in_schema=False)
async def news(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    before = request.query_params.get("before", "")
    items = await services.news.published(
        limit=20, before_id=int(before) if is_id(before) else None
    )
    return page("news.html", items=items, path="/news")


@router.get("/news/{item_id}", include_in_schema=False)
async def news_item(request: Request, item_id: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services)) is not None:
        return refused
    item = await services.news.published_item(int(item_id)) if is_id(item_id) else None
    if item is None:
        return message_page(
            404, "没有找到这条动态", "这条动态不存在或已撤回。请回到“政协动态”列表。", "/news"
        )
    return page("news_item.html", item=item, path="/news")
