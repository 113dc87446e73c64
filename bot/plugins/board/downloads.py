"""The staff download page: ``/exports`` lists the files 导出 wrote (newest first),
``/exports/<name>`` downloads one. Staff only (BOARD_TOKEN, as ``?token=`` once, then the
cookie), whether or not the board is public; a name is looked up among the folder's files,
never joined into a path."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from bot.core.export.files import DOWNLOAD_PATH, find_export, list_exports
from bot.nb import runtime
from bot.plugins.board.render import SECURITY_HEADERS, message_page, page
from bot.plugins.board.routes import gate

router = APIRouter()

MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get(DOWNLOAD_PATH, include_in_schema=False)
async def exports(request: Request) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services, staff=True)) is not None:
        return refused
    files = list_exports(services.export.folder)
    return page("exports.html", files=files, base=DOWNLOAD_PATH, path=DOWNLOAD_PATH)


@router.get(DOWNLOAD_PATH + "/{name}", include_in_schema=False)
async def download(request: Request, name: str) -> Response:
    services = runtime.get_services()
    if (refused := gate(request, services, staff=True)) is not None:
        return refused
    found = find_export(services.export.folder, name)
    if found is None:
        return message_page(
            404,
            "没有这个文件",
            "没有找到这个导出文件，可能名字不对或已被删除。请打开机关下载页选择文件，"
            "或在机关群重新发送“导出”。",
            DOWNLOAD_PATH,
        )
    headers = {k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"}
    return FileResponse(
        found,
        media_type=MEDIA_TYPES[found.suffix],
        filename=found.name,  # Content-Disposition: attachment, with the UTF-8 name
        headers=headers,
    )
