"""`python -m bot export --year 2026 FILE`: the same workbook as `导出`, from the shell."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from openpyxl import load_workbook

from bot.core.clock import FakeClock
from bot.core.db import upgrade_database
from bot.core.services import CoreConfig, Services
from bot.settings import DEFAULT_DATA_DIR
from tests.stats_data import handled_year
from tests.test_cli import database_url, run_bot, sqlite_url

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["database_url", "sqlite_url"]  # fixtures


async def test_export_from_the_shell(database_url: str, tmp_path: Path) -> None:
    await upgrade_database(database_url)
    clock = FakeClock(datetime(2026, 3, 2, 1, tzinfo=UTC))
    services = Services(CoreConfig(database_url=database_url, data_dir=DEFAULT_DATA_DIR), clock)
    try:
        await handled_year(services, clock)
    finally:
        await services.db.dispose()
    target = tmp_path / "导出" / "2026.xlsx"
    result = run_bot("export", "--year", "2026", str(target), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "已导出2026年：提案 8 件、社情民意信息 7 件、议题 1 件" in result.stdout
    book = load_workbook(target)
    summary = {r[0]: r[1] for r in book["年度统计"].iter_rows(min_row=2, values_only=True)}
    assert summary["立案率"] == 5 / 7  # the same figure as 统计
    assert book["提案办理情况汇总"].max_row == 9


def test_export_refuses_other_formats(sqlite_url: str, tmp_path: Path) -> None:
    result = run_bot("export", str(tmp_path / "x.csv"), database_url=sqlite_url)
    assert result.returncode == 1
    assert "只能导出为 .xlsx 文件" in result.stderr
    help_text = run_bot("--help", database_url=sqlite_url)
    assert "export" in help_text.stdout
