"""Jinja2 (autoescape on: every value is text, a title holding <script> shows as text) and the
headers every board page carries: a Content-Security-Policy that allows no script at all and
only this site's stylesheet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.clock import format_local
from bot.core.models import AnswerCategory
from bot.plugins.board import charts

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "static" / "board.css"

#: The navigation, in order: (path, label).
NAV: list[tuple[str, str]] = [
    ("/", "年度总览"),
    ("/proposals", "提案办理"),
    ("/units", "承办单位"),
    ("/plan", "协商计划"),
    ("/topics", "议题征集"),
    ("/tips", "提案线索"),
    ("/news", "政协动态"),
]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _local(value: datetime | None, with_time: bool = False) -> str:
    return format_local(value, with_time) if value is not None else ""


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value is not None else ""


def _answer_label(category: str | None) -> str:
    return AnswerCategory(category).label if category else ""


def _query(params: dict[str, Any], **changes: Any) -> str:
    """`?year=2026&status=…` from the current filters with `changes` (empty values left out)."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "", 0)}
    return "?" + urlencode(kept) if kept else ""


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        auto_reload=False,  # templates ship with the package; no stat() per page
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = _local
    env.filters["day"] = _day
    env.filters["answer_label"] = _answer_label
    env.globals.update(
        nav=NAV,
        query=_query,
        bar_chart=charts.bar_chart,
        stacked=charts.stacked,
        meter=charts.meter,
    )
    return env


_env = environment()


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def message_page(status_code: int, heading: str, text: str, path: str = "/") -> HTMLResponse:
    """A page with one message; a link back to `path` when it is not the home page."""
    return page("message.html", status_code, heading=heading, text=text, path=path)
