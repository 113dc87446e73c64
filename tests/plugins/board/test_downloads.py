"""The staff download page (/exports): the files 导出 wrote, staff only even on a public board;
a name finds only a file the folder lists; the export's fallback text links to it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import httpx
import pytest

from bot.core.export import texts
from bot.core.export.files import download_url, find_export, list_exports
from tests.board_data import YEAR, BoardData

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from bot.core.services import Services

TOKEN = "staff-token-7"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    import nonebot

    transport = httpx.ASGITransport(app=nonebot.get_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://board.test") as c:
        yield c


@pytest.fixture
def staff_token(services: Services, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(services, "config", replace(services.config, board_token=TOKEN))
    return TOKEN


async def test_staff_list_and_download_an_export(
    client: httpx.AsyncClient, services: Services, data: BoardData, staff_token: str
) -> None:
    result = await services.export.export(YEAR)
    refused = await client.get("/exports")
    assert refused.status_code == 401  # the board is public; its downloads are not
    assert result.path.name not in refused.text
    given = await client.get("/exports", params={"token": staff_token})
    assert (given.status_code, given.headers["location"]) == (303, "/exports")
    listing = await client.get("/exports")  # the cookie holds the token now
    assert listing.status_code == 200
    assert result.path.name in listing.text
    link = download_url("", result.path.name)
    assert f'href="{link}"' in listing.text
    file = await client.get(link)
    assert file.status_code == 200
    assert file.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in file.headers["content-disposition"]
    assert file.content == result.path.read_bytes()
    assert file.content[:2] == b"PK"


async def test_download_needs_the_token(
    client: httpx.AsyncClient, services: Services, staff_token: str
) -> None:
    result = await services.export.export(YEAR)
    response = await client.get(download_url("", result.path.name))
    assert response.status_code == 401
    assert response.content[:2] != b"PK"


async def test_only_listed_files_are_found(
    client: httpx.AsyncClient, services: Services, staff_token: str
) -> None:
    folder = services.export.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text("not an export", encoding="utf-8")
    client.cookies.set("board_token", staff_token)
    for name in ("notes.txt", "..%2F..%2Fpyproject.toml", "%2Fetc%2Fpasswd", "缺失.xlsx"):
        response = await client.get(f"/exports/{name}")
        assert response.status_code == 404, name
        assert "not an export" not in response.text
    assert find_export(folder, "../pyproject.toml") is None
    assert all(f.name.endswith((".xlsx", ".docx")) for f in list_exports(folder))


async def test_without_a_token_set_the_page_is_closed(
    client: httpx.AsyncClient, services: Services
) -> None:
    response = await client.get("/exports", params={"token": ""})
    assert response.status_code == 403
    assert "BOARD_TOKEN" in response.text


async def test_fallback_links_to_the_download(services: Services, tmp_path: Path) -> None:
    result = await services.export.export(YEAR, tmp_path / "2026年提案办理情况.xlsx")
    with_board = texts.fallback(result, "https://zx.example.gov.cn")
    assert "文件已保存在服务器" in with_board
    assert (
        "https://zx.example.gov.cn/exports/2026%E5%B9%B4%E6%8F%90%E6%A1%88%E5%8A%9E%E7%90%86"
        "%E6%83%85%E5%86%B5.xlsx" in with_board
    )
    assert "/exports/" not in texts.fallback(result, "")
    assert "https://x.cn/exports/" in texts.document_fallback(tmp_path / "a.docx", "https://x.cn")
