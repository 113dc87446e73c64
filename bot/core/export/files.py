"""The files 导出 wrote (.xlsx, .docx) in the export folder, for the board's staff download page.

A file is found by its exact name among the folder's own entries, never by joining a path: a
name with a separator, ``..`` or anything not listed finds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from pathlib import Path

#: What 导出 writes; nothing else in the folder is offered.
SUFFIXES = frozenset({".xlsx", ".docx"})
#: The board's download path for a file: ``/exports/<name>``.
DOWNLOAD_PATH = "/exports"


@dataclass(frozen=True)
class ExportFile:
    name: str
    size: int
    modified: datetime  # UTC

    @property
    def kind(self) -> str:
        return "Excel" if self.name.endswith(".xlsx") else "Word"

    @property
    def size_text(self) -> str:
        return (
            f"{self.size / 1024:.0f} KB"
            if self.size < 1024 * 1024
            else f"{self.size / 1048576:.1f} MB"
        )


def reserve_file(folder: Path, stem: str, suffix: str, stamp: str) -> Path:
    """``folder/stem-stamp.suffix``, created empty at once so that two exports in the same second
    (also at the same time) get two files: `-2`, `-3`… when the name is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    for serial in range(1, 1000):
        path = folder / f"{stem}-{stamp}{f'-{serial}' if serial > 1 else ''}{suffix}"
        try:
            path.touch(exist_ok=False)
        except FileExistsError:
            continue
        return path
    raise RuntimeError(f"no free file name in {folder}")


def list_exports(folder: Path) -> list[ExportFile]:
    """The export files, newest first (an empty list when the folder does not exist yet)."""
    if not folder.is_dir():
        return []
    files: list[ExportFile] = []
    for entry in folder.iterdir():
        if entry.suffix in SUFFIXES and entry.is_file() and not entry.is_symlink():
            stat = entry.stat()
            if stat.st_size == 0:  # a name reserved by an export still being written
                continue
            modified = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            files.append(ExportFile(entry.name, stat.st_size, modified))
    return sorted(files, key=lambda f: (f.modified, f.name), reverse=True)


def find_export(folder: Path, name: str) -> Path | None:
    """The file called exactly ``name`` in the folder, or None."""
    for file in list_exports(folder):
        if file.name == name:
            return folder / file.name
    return None


def download_url(board_url: str, name: str) -> str:
    """The board's download address of one file (``board_url`` without a trailing slash)."""
    return f"{board_url}{DOWNLOAD_PATH}/{quote(name)}"
